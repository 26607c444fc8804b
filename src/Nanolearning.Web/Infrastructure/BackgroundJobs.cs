using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.InMemory;
using Hangfire.Logging;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.FollowUp;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Features.Retention;
using Nanolearning.Web.Features.Xapi;
using System.Linq.Expressions;
using Microsoft.Extensions.Options;

namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// Hangfire: the server that runs recurring and queued jobs, and its dashboard for admins. The jobs' own state lives in
/// the app database, so on SQLite (one instance) the queue may be in memory: a restart loses nothing the next run would
/// not redo. On PostgreSQL the queue is in the database too (schema "hangfire"), so instances sharing it share the jobs.
/// </summary>
public static class BackgroundJobs
{
    /// <summary>
    /// The Hangfire dashboard, in English: the expert view under the admins' Swedish page of the jobs
    /// (Features/Jobs, at /admin/jobb), which covers the daily work.
    /// </summary>
    public const string DashboardPath = "/admin/jobb/hangfire";

    public const string AssignmentPlanning = "assignment-planning";

    public const string XapiDelivery = "xapi-delivery";
    public const string ReminderScanning = "reminder-scan";

    public const string ReminderDispatching = "reminder-dispatch";

    public const string FollowUpSnapshot = "follow-up-snapshot";

    public const string Retention = "retention";

    public static void AddBackgroundJobs(this IServiceCollection services, IConfiguration configuration)
    {
        // Hangfire's defaults come from process-wide statics (JobStorage.Current, JobActivator.Current): registered
        // here first, each app instance (the tests host many at once) keeps its own queue and its own services.
        if (Database.Provider(configuration) == Database.PostgreSql)
        {
            var connectionString = configuration.GetConnectionString("Nanolearning")!;
            // Long polling (LISTEN/NOTIFY): an enqueued job starts at once, not at the next poll. The schema is not
            // prepared by the storage, which is made as soon as the dashboard is mapped, in every instance at once,
            // but by InstallSchema, under the start-up lock.
            var storage = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false, EnableLongPolling = true };
            services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storage), storage));
        }
        else
        {
            services.AddSingleton<JobStorage>(_ => new InMemoryStorage(new InMemoryStorageOptions()));
        }

        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((provider, config) => config
            .UseLogProvider(new SurvivingLogProvider(provider.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        // Jobs are short and mostly wait on the database or the mail server; two workers leave the CPU to requests.
        services.AddHangfireServer(server => server.WorkerCount = 2);
    }

    /// <summary>
    /// On PostgreSQL, creates or upgrades Hangfire's schema. Called at start-up under <see cref="DatabaseLock.StartUp"/>:
    /// two instances installing it at the same moment fail on each other's DDL.
    /// </summary>
    public static void InstallSchema(IConfiguration configuration)
    {
        if (Database.Provider(configuration) != Database.PostgreSql)
        {
            return;
        }

        using var connection = new Npgsql.NpgsqlConnection(configuration.GetConnectionString("Nanolearning"));
        connection.Open();
        PostgreSqlObjectsInstaller.Install(connection, new PostgreSqlStorageOptions().SchemaName);
    }

    public static void MapJobDashboard(this WebApplication app)
    {
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            DashboardTitle = "Jobb – Nanolearning",
            // "Back to site" leads to the Swedish page of the jobs.
            AppPath = "/admin/jobb",
            Authorization = [new AdminsOnly()],
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(Roles.Admin);
    }

    /// <summary>Registers the recurring jobs; idempotent, so every start (and every instance) may run it.</summary>
    public static void ScheduleRecurringJobs(IServiceProvider services)
    {
        var recurring = services.GetRequiredService<IRecurringJobManager>();
        // Campaign windows open and people join scopes without anyone pressing a button: plan every hour.
        recurring.AddOrUpdate<AssignmentPlanner>(
            AssignmentPlanning, planner => planner.PlanAsync(CancellationToken.None), Cron.Hourly());
        // Learning events reach the LRS within a minute by default; each event waits out its own back-off after a failure.
        var xapi = services.GetRequiredService<IOptions<XapiOptions>>().Value;
        Schedule<StatementDelivery>(recurring, XapiDelivery, xapi.Delivery.Schedule, delivery => delivery.DeliverAsync(CancellationToken.None));

        // The kommun's follow-up figures are counted in the background, so its pages rarely wait for a count.
        var snapshotMinutes = services.GetRequiredService<IOptions<FollowUpOptions>>().Value.SnapshotMinutes;
        recurring.AddOrUpdate<MunicipalitySnapshot>(
            FollowUpSnapshot, snapshot => snapshot.KeepFreshAsync(CancellationToken.None),
            snapshotMinutes == 60 ? Cron.Hourly() : Cron.MinuteInterval(snapshotMinutes));

        var reminders = services.GetRequiredService<IOptions<ReminderOptions>>().Value;
        Schedule<ReminderScan>(recurring, ReminderScanning, reminders.ScanSchedule, scan => scan.RunAsync(CancellationToken.None));
        Schedule<ReminderDispatch>(recurring, ReminderDispatching, reminders.DispatchSchedule, dispatch => dispatch.RunAsync(CancellationToken.None));

        // Gallring once a night, while nobody learns: what is due is decided by the clock, so a missed night is caught up.
        var retention = services.GetRequiredService<IOptions<RetentionOptions>>().Value;
        Schedule<RetentionSweep>(recurring, Retention, retention.Schedule, sweep => sweep.RunAsync(CancellationToken.None));
    }

    private static void Schedule<T>(IRecurringJobManager recurring, string id, string cron, Expression<Func<T, Task>> job)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            recurring.RemoveIfExists(id);
            return;
        }

        recurring.AddOrUpdate(id, job, cron);
    }

    /// <summary>
    /// Hangfire keeps one log provider for the whole process, set by whichever app instance configured it last. When
    /// that instance is gone (the tests host many, one after another and at once), Hangfire must still be able to make
    /// a logger for the others, so a disposed logger factory gives a silent logger instead of an exception.
    /// </summary>
    internal sealed class SurvivingLogProvider(ILoggerFactory factory) : ILogProvider
    {
        private readonly AspNetCoreLogProvider host = new(factory);

        public ILog GetLogger(string name)
        {
            try
            {
                return host.GetLogger(name);
            }
            catch (ObjectDisposedException)
            {
                return new SilentLog();
            }
        }

        private sealed class SilentLog : ILog
        {
            public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
        }
    }

    /// <summary>
    /// The dashboard checks the cookie user itself as well: the endpoint policy covers the page, but the dashboard
    /// would otherwise fall back to its own default (local requests only), which lets anyone on the server in.
    /// </summary>
    private sealed class AdminsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
    }
}
