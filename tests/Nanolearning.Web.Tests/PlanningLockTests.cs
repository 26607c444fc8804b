using Npgsql;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>Instances on one PostgreSQL database take turns planning: a run waits while another instance's run holds the lock.</summary>
public sealed class PlanningLockTests(AppFixture app) : IClassFixture<AppFixture>
{
    [PostgreSqlFact]
    public async Task A_planning_run_waits_while_another_instance_plans_and_runs_when_it_is_done()
    {
        _ = app.Services;
        // The other instance's run, as its session holds it.
        await using var other = (NpgsqlConnection)app.OpenDatabase();
        await Advisory(other, "pg_advisory_lock");

        var planning = app.In<AssignmentPlanner, PlanResult>(planner => planner.PlanAsync());
        await UntilWaiting(other);
        Assert.False(planning.IsCompleted, "The planner ran while another instance held the planning lock.");

        await Advisory(other, "pg_advisory_unlock");
        await planning;
    }

    private static async Task Advisory(NpgsqlConnection connection, string function)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}(hashtext(@name))", connection);
        command.Parameters.AddWithValue("name", DatabaseLock.Planning);
        await command.ExecuteScalarAsync();
    }

    /// <summary>Until the server shows a session waiting for the planning lock: the app's run is queued behind ours.</summary>
    private static async Task UntilWaiting(NpgsqlConnection connection)
    {
        for (var i = 0; i < 600; i++)
        {
            await using var waiting = new NpgsqlCommand(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = hashtext(@name)::oid", connection);
            waiting.Parameters.AddWithValue("name", DatabaseLock.Planning);
            if ((long)(await waiting.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The planner never asked for the planning lock.");
    }
}
