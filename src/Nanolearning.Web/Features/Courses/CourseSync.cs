using Microsoft.Extensions.Options;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Courses;

/// <summary>
/// Brings this instance's live course versions to the newest ones published in the database, every
/// CourseSyncInterval on the app's clock: with several instances, an edit one of them publishes from its folder
/// reaches the others within that time, whatever their own folders hold. With one instance it finds nothing to do.
/// </summary>
public sealed class CourseSync(CourseCatalog catalog, IOptions<NanolearningOptions> options, TimeProvider time, ILogger<CourseSync> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.Value.CourseSyncInterval, time, stoppingToken);
                try
                {
                    await catalog.SyncAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database may be away for a moment (the load balancer sees it in /health); the next round retries.
                    log.LogWarning(ex, "Checking the database for newer course versions failed; the live versions are unchanged.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
