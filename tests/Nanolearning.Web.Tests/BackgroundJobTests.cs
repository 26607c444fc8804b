using System.Net;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Infrastructure;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>The Hangfire server in the app: its recurring jobs, and its dashboard for admins only.</summary>
public sealed class BackgroundJobTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public void Assignment_planning_is_a_recurring_job_every_hour()
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == BackgroundJobs.AssignmentPlanning);
        Assert.Equal(Cron.Hourly(), job.Cron);
        Assert.Equal(typeof(AssignmentPlanner), job.Job.Type);
        Assert.Equal(nameof(AssignmentPlanner.PlanAsync), job.Job.Method.Name);
    }

    [Fact]
    public async Task The_planning_job_runs_in_the_apps_own_services()
    {
        var storage = app.Services.GetRequiredService<JobStorage>();
        var before = LastPlanningRun(storage);
        app.Services.GetRequiredService<IRecurringJobManager>().Trigger(BackgroundJobs.AssignmentPlanning);

        var run = await NextPlanningRun(storage, before);

        Assert.Equal("Succeeded", run.LastJobState);
        Assert.Equal(0, storage.GetMonitoringApi().FailedCount());
    }

    /// <summary>
    /// Hangfire's log provider is process-wide and points at the app instance that started last. CI once failed 51
    /// tests when that instance had already stopped: every new Hangfire component threw ObjectDisposedException.
    /// </summary>
    [Fact]
    public async Task Jobs_still_run_after_another_app_instance_in_the_process_has_stopped()
    {
        var storage = app.Services.GetRequiredService<JobStorage>();
        using (var other = new AppFixture())
        {
            _ = other.Services.GetRequiredService<IRecurringJobManager>();
        }

        // A new manager asks Hangfire for a logger, as a new app's startup does.
        var manager = new RecurringJobManager(storage);
        var before = LastPlanningRun(storage);
        manager.Trigger(BackgroundJobs.AssignmentPlanning);

        Assert.Equal("Succeeded", (await NextPlanningRun(storage, before)).LastJobState);
    }

    // The planning job's own last run, not the count of all succeeded jobs: other recurring jobs (xAPI delivery,
    // every minute) may finish while a test waits.
    private static string? LastPlanningRun(JobStorage storage)
    {
        using var connection = storage.GetConnection();
        return connection.GetRecurringJobs().Single(j => j.Id == BackgroundJobs.AssignmentPlanning).LastJobId;
    }

    private static async Task<RecurringJobDto> NextPlanningRun(JobStorage storage, string? before)
    {
        for (var i = 0; i < 300; i++)
        {
            using var connection = storage.GetConnection();
            var job = connection.GetRecurringJobs().Single(j => j.Id == BackgroundJobs.AssignmentPlanning);
            if (job.LastJobId != before && job.LastJobState is "Succeeded" or "Failed")
            {
                return job;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The planning job did not run within 30 s.");
    }

    [Fact]
    public async Task Someone_not_logged_in_is_sent_to_the_login_page_not_the_dashboard()
    {
        using var response = await app.NewVisitor().Client.GetAsync(BackgroundJobs.DashboardPath);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/logga-in?ReturnUrl=%2Fadmin%2Fjobb%2Fhangfire", response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("medarbetare", "")]
    [InlineData("chef", "/recurring")]
    public async Task A_user_who_is_not_an_admin_is_refused_the_dashboard(string persona, string subpage)
    {
        var visitor = app.NewVisitor();
        await visitor.LogInAs(persona);
        using var response = await visitor.Client.GetAsync(BackgroundJobs.DashboardPath + subpage);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var denied = await visitor.Open(response.Headers.Location!.OriginalString, HttpStatusCode.Forbidden);
        Assert.Contains("Du har inte behörighet", Text(denied));
    }

    [Fact]
    public async Task An_admin_sees_the_dashboard_with_the_planning_job()
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        using var dashboard = await admin.Client.GetAsync(BackgroundJobs.DashboardPath);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Jobb – Nanolearning", await dashboard.Content.ReadAsStringAsync());

        using var recurring = await admin.Client.GetAsync(BackgroundJobs.DashboardPath + "/recurring");
        Assert.Equal(HttpStatusCode.OK, recurring.StatusCode);
        Assert.Contains(BackgroundJobs.AssignmentPlanning, await recurring.Content.ReadAsStringAsync());
    }
}

/// <summary>The reminder jobs on their default schedules (the other tests' apps run them by hand).</summary>
public sealed class ReminderScheduleTests(ReminderScheduleTests.DefaultSchedules app) : IClassFixture<ReminderScheduleTests.DefaultSchedules>
{
    public sealed class DefaultSchedules : AppFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Reminders:ScanSchedule"] = new ReminderOptions().ScanSchedule,
            ["Reminders:DispatchSchedule"] = new ReminderOptions().DispatchSchedule,
        };
    }

    [Fact]
    public void Reminders_are_scanned_hourly_and_dispatched_every_minute()
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var jobs = connection.GetRecurringJobs().ToDictionary(j => j.Id);
        Assert.Equal(Cron.Hourly(), jobs[BackgroundJobs.ReminderScanning].Cron);
        Assert.Equal(Cron.Minutely(), jobs[BackgroundJobs.ReminderDispatching].Cron);
    }

    [Fact]
    public void An_empty_schedule_leaves_the_job_out()
    {
        using var tests = new AppWith(new Dictionary<string, string> { ["Xapi:Delivery:Schedule"] = "" });
        using var connection = tests.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.DoesNotContain(connection.GetRecurringJobs(), j => j.Id is BackgroundJobs.ReminderScanning or BackgroundJobs.ReminderDispatching or BackgroundJobs.XapiDelivery);
    }

    [Fact]
    public void Statements_are_delivered_every_minute_unless_the_schedule_says_otherwise()
    {
        using (var connection = app.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            Assert.Equal(Cron.Minutely(), connection.GetRecurringJobs().Single(j => j.Id == BackgroundJobs.XapiDelivery).Cron);
        }

        using var hourly = new AppWith(new Dictionary<string, string> { ["Xapi:Delivery:Schedule"] = "15 * * * *" });
        using var hourlyJobs = hourly.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Equal("15 * * * *", hourlyJobs.GetRecurringJobs().Single(j => j.Id == BackgroundJobs.XapiDelivery).Cron);
    }
}
