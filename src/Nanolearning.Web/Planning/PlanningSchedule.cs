using Microsoft.Extensions.Options;

namespace Nanolearning.Web.Planning;

/// <summary>
/// Runs the assignment planner every <see cref="NanolearningOptions.PlanningInterval"/>, so campaign windows that
/// open, and people who join a scope, get their assignments without anyone pressing a button. Startup runs it once
/// before the app takes requests. Runs on every instance; the planner is idempotent.
/// </summary>
public sealed class PlanningSchedule(IServiceScopeFactory scopes, IOptions<NanolearningOptions> options, TimeProvider time, ILogger<PlanningSchedule> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PlanningInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<AssignmentPlanner>().PlanAsync(stoppingToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                log.LogError(failure, "Planning assignments failed; trying again at the next interval.");
            }
        }
    }
}
