using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web;

/// <summary>What runs once before the app takes requests: migrations, roles, courses, the demo municipality, a first planning run, and the recurring jobs.</summary>
public static class Startup
{
    public static async Task PrepareAsync(WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Nanolearning");
        var options = app.Services.GetRequiredService<IOptions<NanolearningOptions>>().Value;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            // Instances sharing a PostgreSQL database start one after another: the first migrates, publishes the
            // courses and seeds; the next finds it done. Without it two would race to publish the same course version.
            await using var startUp = await DatabaseLock.AcquireAsync(db, DatabaseLock.StartUp, createDatabase: true);
            await PrepareDatabaseAsync(scope.ServiceProvider);
            BackgroundJobs.InstallSchema(app.Configuration);

            var catalog = app.Services.GetRequiredService<CourseCatalog>();
            await catalog.LoadAsync();
            log.LogInformation("{Count} courses live from {Folder}.", catalog.Live.Count(), catalog.Folder);

            if (options.Demo && !await db.Learners.AnyAsync())
            {
                log.LogInformation("Demo mode: seeding a demo municipality ({Employees} employees).", options.DemoEmployees);
                await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
            }

            await scope.ServiceProvider.GetRequiredService<AssignmentPlanner>().PlanAsync();
        }

        BackgroundJobs.ScheduleRecurringJobs(app.Services);

        app.Lifetime.ApplicationStarted.Register(() => PrintWelcome(app, options, log));
    }

    /// <summary>Migrations and roles: what both the web server and the operator's commands (AccountCommands) need.</summary>
    public static async Task PrepareDatabaseAsync(IServiceProvider scope)
    {
        await Database.MigrateAsync(scope.GetRequiredService<AppDbContext>());
        var roles = scope.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    private static void PrintWelcome(WebApplication app, NanolearningOptions options, ILogger log)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            log.LogInformation("Nanolearning is running at {Address}", address);
        }

        if (options.Demo)
        {
            // The personas' roles, not their addresses or password: logs travel further than the login page, and
            // even made-up people's e-mail addresses in a log would make "no e-mail in logs" impossible to check.
            log.LogInformation(
                "Demo mode: sign in with the one-click buttons on the login page, as one of: {Logins}.",
                string.Join(", ", DemoSeeder.Personas.Select(p => p.Label)));
        }
    }
}
