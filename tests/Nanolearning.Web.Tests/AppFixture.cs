using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The real app over a real database and a private copy of the shipped courses, in demo mode with a small demo
/// municipality. One per test class; tests that edit courses get their own. The database is a SQLite file, or, with
/// NANOLEARNING_TEST_DB=PostgreSql, a PostgreSQL database of its own on the server NANOLEARNING_TEST_POSTGRESQL names,
/// created by the app's migrations and dropped with the fixture.
/// </summary>
public class AppFixture : WebApplicationFactory<Program>
{
    public AppFixture()
    {
        ClientOptions.BaseAddress = Https;
        Root = Path.Combine(Path.GetTempPath(), "nanolearning-web-tests", Guid.NewGuid().ToString("N"));
        CopyDirectory(Path.Combine(Repository.Root, "courses"), CoursesFolder);
        _ownsRoot = true;
    }

    /// <summary>The app started again over another instance's database and course folder: a restart, or a second instance.</summary>
    protected AppFixture(string root, IReadOnlyDictionary<string, string>? settings)
    {
        ClientOptions.BaseAddress = Https;
        Root = root;
        _restartSettings = settings;
    }

    private readonly bool _ownsRoot;

    private readonly IReadOnlyDictionary<string, string>? _restartSettings;

    /// <summary>The app started again over this one's database, with the default settings or <paramref name="settings"/> on top.</summary>
    public AppFixture Restart(IReadOnlyDictionary<string, string>? settings = null) =>
        new(Root, settings) { Clock = new(Clock.GetUtcNow()) { AutoAdvanceAmount = Clock.AutoAdvanceAmount } };

    /// <summary>
    /// A Monday morning in November in Sweden, inside the demo's onboarding window: tests never depend on the day they
    /// run, nor on running across midnight. A test class that needs another day overrides it.
    /// </summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 16, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The app's clock. It moves a millisecond each time it is read, so times still follow one another as on a real
    /// clock, and tests move it further themselves.
    /// </summary>
    public FakeTimeProvider Clock { get; private set; } = new(DefaultStart) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    /// <summary>Today in Sweden on the app's clock.</summary>
    public DateOnly Today => Format.Today(Clock);

    /// <summary>Now as the app sees it, as the UTC DateTime its entities store.</summary>
    public DateTime UtcNow => Clock.GetUtcNow().UtcDateTime;

    public string Root { get; }

    public string CoursesFolder => Path.Combine(Root, "courses");

    public string DatabaseFile => Path.Combine(Root, "nanolearning.db");

    /// <summary>The provider the tests run on: NANOLEARNING_TEST_DB, Sqlite unless it says PostgreSql.</summary>
    public static string Provider { get; } =
        string.Equals(Environment.GetEnvironmentVariable("NANOLEARNING_TEST_DB"), Database.PostgreSql, StringComparison.OrdinalIgnoreCase)
            ? Database.PostgreSql
            : Database.Sqlite;

    public static bool OnPostgreSql => Provider == Database.PostgreSql;

    /// <summary>The PostgreSQL server, without a database: NANOLEARNING_TEST_POSTGRESQL, or the local default.</summary>
    public static string PostgreSqlServer { get; } =
        Environment.GetEnvironmentVariable("NANOLEARNING_TEST_POSTGRESQL") is { Length: > 0 } server ? server : "Host=127.0.0.1;Port=5432;Username=postgres";

    /// <summary>On PostgreSQL, this app's database: named after its folder, so a restart finds it again.</summary>
    public string DatabaseName => "nanolearning_test_" + Path.GetFileName(Root);

    /// <summary>ConnectionStrings:Nanolearning for this app, on the provider the tests run on.</summary>
    public string ConnectionString => OnPostgreSql
        ? new NpgsqlConnectionStringBuilder(PostgreSqlServer) { Database = DatabaseName }.ToString()
        : $"Data Source={DatabaseFile}";

    /// <summary>The pickup folder the app writes e-mail to, since tests configure no mail server.</summary>
    public string MailFolder => Path.Combine(Root, "mail");

    /// <summary>Settings a test class changes, applied on top of the defaults below.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => _restartSettings ?? new Dictionary<string, string>();

    public CourseCatalog Catalog => Services.GetRequiredService<CourseCatalog>();

    public ServerErrors Errors { get; } = new();

    /// <summary>
    /// Where the test clients send their requests: over HTTPS, as in production, so the app's Secure cookies come back
    /// (the in-memory server takes the scheme as given).
    /// </summary>
    public static readonly Uri Https = new("https://localhost");

    public Visitor NewVisitor() => new(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = Https }), Errors);

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.BaseAddress = Https;
    }

    /// <summary>
    /// A self-signed certificate for 127.0.0.1 and localhost, for the fixtures on a real Kestrel port: the app's
    /// cookies are Secure and its antiforgery insists on HTTPS. Fixed dates, not the wall clock; nobody checks them.
    /// </summary>
    public static X509Certificate2 TestCertificate { get; } = NewCertificate("CN=localhost");

    /// <summary>A new self-signed certificate with its private key, as a PFX file would hold it.</summary>
    public static X509Certificate2 NewCertificate(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    /// <summary>A client handler that trusts <see cref="TestCertificate"/> and nothing else self-signed.</summary>
    public static HttpClientHandler TrustingTestCertificate() => new()
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
            errors == System.Net.Security.SslPolicyErrors.None || certificate?.Thumbprint == TestCertificate.Thumbprint,
    };

    /// <summary>The app on a real Kestrel port on 127.0.0.1, over HTTPS with <see cref="TestCertificate"/>.</summary>
    protected void UseHttpsKestrel() =>
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(TestCertificate)));

    /// <summary>Runs <paramref name="query"/> on a fresh context over the app's database.</summary>
    public async Task<T> Query<T>(Func<AppDbContext, Task<T>> query)
    {
        using var scope = Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>Runs <paramref name="work"/> with one of the app's services, in a scope of its own as a job or request would.</summary>
    public async Task<T> In<TService, T>(Func<TService, Task<T>> work)
        where TService : notnull
    {
        using var scope = Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public const string Password = "ett långt lösenord för test";

    /// <summary>A new learner with a login of their own, so a test starts from a clean slate.</summary>
    public async Task<string> NewLearner(params string[] audiences)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var key = Guid.NewGuid().ToString("N")[..8];
        var learner = new Learner
        {
            FirstName = "Test",
            LastName = "Person " + key,
            Email = $"test.{key}@exempel.se",
            UnitId = await db.Units.Where(u => u.Kind == UnitKind.Unit).Select(u => u.Id).FirstAsync(),
            StartDate = Today.AddDays(-15),
            Audiences = audiences.Length == 0 ? [Audience.NewEmployee, Audience.Employee] : [.. audiences],
        };
        db.Learners.Add(learner);
        await db.SaveChangesAsync();
        var user = new AppUser { UserName = learner.Email, Email = learner.Email, LearnerId = learner.Id };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        await users.AddToRoleAsync(user, Roles.Employee);
        if (learner.Audiences.Contains(Audience.Manager))
        {
            // As the HR import and the demo give it: a unit's ManagerId alone makes no chef (UnitAccess).
            await users.AddToRoleAsync(user, Roles.Manager);
        }

        return learner.Email;
    }

    /// <summary>A new admin login (no learner), signing in with a password alone until <see cref="EnableAuthenticator"/>.</summary>
    public async Task<string> NewAdmin()
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var email = $"admin.{Guid.NewGuid().ToString("N")[..8]}@exempel.se";
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Admin)).Succeeded);
        return email;
    }

    /// <summary>Sets up the authenticator app for the login; returns its key, for <see cref="Authenticator.CodeNow"/>.</summary>
    public async Task<string> EnableAuthenticator(string email)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await Authenticator.EnableAsync(users, (await users.FindByEmailAsync(email))!);
    }

    /// <summary>
    /// <paramref name="count"/> new learners, each with the course assigned from today and due in 30 days: the start
    /// of every test of reminder e-mail.
    /// </summary>
    public async Task<List<string>> NewLearnersAssigned(int count, string courseId)
    {
        List<string> people = [];
        for (var i = 0; i < count; i++)
        {
            people.Add(await NewLearner());
            await Assign(people[^1], courseId, Today, Today.AddDays(30));
        }

        return people;
    }

    /// <summary>
    /// Assigns a course to a learner, by default due in two weeks with no window start, as onboarding once did; given
    /// <paramref name="opensOn"/>, in a window, as the planner does from an årshjul campaign. Returns the new
    /// assignment's id; the planner may have given the learner others.
    /// </summary>
    public async Task<int> Assign(string email, string courseId, DateOnly opensOn = default, DateOnly? dueOn = null)
    {
        var assignment = new Assignment
        {
            LearnerId = await LearnerId(email), CourseId = courseId, OpensOn = opensOn, DueOn = dueOn ?? Today.AddDays(14),
            AssignedAt = UtcNow, Origin = "test",
        };
        await Query(db =>
        {
            db.Assignments.Add(assignment);
            return db.SaveChangesAsync();
        });
        return assignment.Id;
    }

    /// <summary>A completed enrolment of the whole course, every answer right, as the learner would have left it at <paramref name="at"/>.</summary>
    public async Task Complete(string email, CompiledCourse course, DateTime at) => await Complete(await LearnerId(email), course, at);

    /// <inheritdoc cref="Complete(string, CompiledCourse, DateTime)"/>
    public Task Complete(int learnerId, CompiledCourse course, DateTime at) =>
        Query(db =>
        {
            db.Enrolments.Add(Completed(learnerId, course, at));
            return db.SaveChangesAsync();
        });

    /// <summary>The enrolment <see cref="Complete(int, CompiledCourse, DateTime)"/> stores, for tests without a database.</summary>
    public static Enrolment Completed(int learnerId, CompiledCourse course, DateTime at)
    {
        var enrolment = Enrolment.Start(learnerId, course, at);
        foreach (var lesson in course.Lessons.Where(l => !l.IsFinalQuiz))
        {
            enrolment.CompleteLesson(course, lesson, at);
        }

        if (course.FinalQuiz is { } quiz)
        {
            var responses = quiz.Questions.ToDictionary(q => q.Id, q => new Response([.. q.CorrectOptionIds], q.IsGradable ? null : "Svar."));
            Assert.True(enrolment.SubmitFinalQuiz(course, quiz, responses, Guid.NewGuid(), at).Passed);
        }

        Assert.True(enrolment.IsCompleted);
        return enrolment;
    }

    public Task<int> LearnerId(string email) => Query(db => db.Learners.Where(l => l.Email == email).Select(l => l.Id).SingleAsync());

    /// <summary>Waits until the catalog's live version of a course differs from <paramref name="version"/> (the file watcher reloads it).</summary>
    public async Task<string> WaitForNewVersion(string courseId, string version)
    {
        for (var i = 0; i < 200; i++)
        {
            if (Catalog.FindLive(courseId)?.Version is { } live && live != version)
            {
                return live;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Course {courseId} was not reloaded within 10 s.");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider);
        builder.UseSetting("ConnectionStrings:Nanolearning", ConnectionString);
        builder.UseSetting("Nanolearning:CoursesPath", CoursesFolder);
        builder.UseSetting("Nanolearning:Demo", "true");
        // The tests run as "Testing", not Development: the demo there is as deliberate as on a public demo server.
        builder.UseSetting("Nanolearning:DemoOutsideDevelopment", "true");
        builder.UseSetting("Nanolearning:DemoEmployees", "60");
        builder.UseSetting("Nanolearning:DemoProgressRows", "200");
        builder.UseSetting("Nanolearning:CourseReloadDelay", "00:00:00.100");
        builder.UseSetting("Mail:PickupFolder", MailFolder);
        // One instance per fixture: the pickup folder is allowed on PostgreSQL too (tests of several instances use SMTP).
        builder.UseSetting("Mail:SingleInstance", "true");
        // Reminder tests run the scan and dispatch themselves, on their own clock; elsewhere they would mail the demo.
        builder.UseSetting("Reminders:ScanSchedule", "");
        builder.UseSetting("Reminders:DispatchSchedule", "");
        // Gallring removes what is old on the test's clock: tests that want it run it themselves.
        builder.UseSetting("Retention:Schedule", "");
        builder.ConfigureLogging(logging => logging.AddProvider(Errors));
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (!_ownsRoot)
        {
            return;
        }

        if (OnPostgreSql)
        {
            DropDatabase();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finishing request; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>A context of a test's own on the app's database, outside the app's services, with <paramref name="interceptors"/>.</summary>
    public AppDbContext NewDbContext(params Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] interceptors) => OnPostgreSql
        ? new PostgreSqlDbContext(new DbContextOptionsBuilder<PostgreSqlDbContext>().UseNpgsql(ConnectionString).AddInterceptors(interceptors).Options)
        : new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseSqlite($"Data Source={DatabaseFile}").AddInterceptors(interceptors).Options);

    /// <summary>A connection of a test's own to the app's database (read-only on SQLite), outside the app's pools.</summary>
    public System.Data.Common.DbConnection OpenDatabase()
    {
        System.Data.Common.DbConnection connection = OnPostgreSql
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString())
            : new SqliteConnection($"Data Source={DatabaseFile};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>The app's own tables in <paramref name="connection"/> (not SQLite's, not Hangfire's schema), by name.</summary>
    public static List<string> Tables(System.Data.Common.DbConnection connection)
    {
        using var list = connection.CreateCommand();
        list.CommandText = OnPostgreSql
            ? "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        using var reader = list.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>Drops this app's PostgreSQL database, closing what still holds a connection to it.</summary>
    private void DropDatabase()
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgreSqlServer) { Database = "postgres", Pooling = false }.ToString());
        connection.Open();
        using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)";
        drop.ExecuteNonQuery();
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>The app with some settings of a test's own, for tests that start it once or see it refuse to start.</summary>
public sealed class AppWith(IReadOnlyDictionary<string, string> settings) : AppFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => settings;
}

public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Nanolearning.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Nanolearning.sln not found above the test binaries.");
    }
}
