using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Infrastructure;

// The reminder scan over a generated kommun, and sending to Debian's aiosmtpd (a sink) on this machine:
//   dotnet run -c Release --project tests/Nanolearning.ReminderBenchmark -- [employees] [assignments each] [mails] [runs] [keep]
// Each run: a fresh SQLite file with the app (real services, real migrations) on a fixed Monday 10:00, the scan twice
// (first: writes the day's reminders; second: nothing new), bundling into one e-mail per person, then sending the
// first [mails] of them in batches of 100 on two workers (as Hangfire's two workers would). Prints runs and medians.
var employees = int.Parse(args.ElementAtOrDefault(0) ?? "60000");
var perEmployee = int.Parse(args.ElementAtOrDefault(1) ?? "5");
var mailCount = int.Parse(args.ElementAtOrDefault(2) ?? "3000");
var runs = int.Parse(args.ElementAtOrDefault(3) ?? "5");
// "keep" leaves the last run's database for a look with sqlite3.
var keep = args.ElementAtOrDefault(4) == "keep";
var repository = FindRepository();
// Where WebApplicationFactory finds the app's content root (it looks beside the solution otherwise).
Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_NANOLEARNING_WEB", Path.Combine(repository, "src", "Nanolearning.Web"));

var smtp = StartSink(out var port);
// The sink must not outlive the harness: it would hold the harness's output open.
AppDomain.CurrentDomain.ProcessExit += (_, _) => smtp.Kill();
var results = new List<double[]>();
for (var run = 1; run <= runs; run++)
{
    var root = Path.Combine(Path.GetTempPath(), $"nanolearning-reminders-{Guid.NewGuid():N}");
    Directory.CreateDirectory(root);
    try
    {
        await using var app = new App(root, Path.Combine(repository, "courses"), port);
        using (var scope = app.Services.CreateScope())
        {
            await Generate(scope.ServiceProvider.GetRequiredService<AppDbContext>(), employees, perEmployee, app.Clock);
        }

        var (firstScan, added) = await Timed(() => app.In<ReminderScan, int>(scan => scan.RunAsync()));
        var (secondScan, _) = await Timed(() => app.In<ReminderScan, int>(scan => scan.RunAsync()));
        var (bundle, mails) = await Timed(() => app.In<ReminderDispatch, int>(dispatch => dispatch.BundleAsync(Format.Today(app.Clock), app.Clock.GetUtcNow().UtcDateTime)));
        var ids = await app.In<AppDbContext, List<long>>(db => db.ReminderMails.OrderBy(m => m.Id).Select(m => m.Id).Take(mailCount).ToListAsync());
        var (writing, _) = await Timed(() => app.In<ReminderLetter, int>(async letter =>
        {
            foreach (var id in ids)
            {
                await letter.ComposeAsync(id, CancellationToken.None);
            }

            return ids.Count;
        }));
        var batches = ids.Chunk(100).ToList();
        var next = -1;
        var (sending, sent) = await Timed(async () =>
        {
            // Two workers take batches in turn, as Hangfire's two workers take enqueued jobs.
            var counts = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            {
                var total = 0;
                while (Interlocked.Increment(ref next) is var i && i < batches.Count)
                {
                    total += (await app.In<ReminderSender, SendResult>(sender => sender.SendAsync(batches[i]))).Sent;
                }

                return total;
            }));
            return counts.Sum();
        });

        var perSecond = sent / sending;
        results.Add([firstScan, secondScan, bundle, ids.Count / writing, perSecond]);
        Console.WriteLine($"run {run}: scan {firstScan:0.000} s ({added} reminders), again {secondScan:0.000} s, bundling {bundle:0.000} s ({mails} e-mails), " +
            $"writing {ids.Count / writing:0} e-mails/s, sent {sent} in {sending:0.00} s = {perSecond:0} e-mails/s");
    }
    finally
    {
        SqliteConnection.ClearAllPools();
        if (keep && run == runs)
        {
            Console.WriteLine($"kept {root}");
        }
        else
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

Console.WriteLine($"\n{employees} employees x {perEmployee} assignments; medians of {runs} runs:");
string[] names = ["scan, first of the day (s)", "scan, nothing new (s)", "bundling (s)", "writing (e-mails/s)", "sending (e-mails/s)"];
for (var i = 0; i < names.Length; i++)
{
    Console.WriteLine($"  {names[i],-24} {Median(results.Select(r => r[i])),8:0.000}");
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static async Task<(double Seconds, T Result)> Timed<T>(Func<Task<T>> work)
{
    var started = Stopwatch.GetTimestamp();
    var result = await work();
    return (Stopwatch.GetElapsedTime(started).TotalSeconds, result);
}

// Windows opened over the last three months, due 2 to 8 weeks after they open; a third of the assignments done.
static async Task Generate(AppDbContext db, int employees, int perEmployee, TimeProvider clock)
{
    var today = Format.Today(clock);
    string[] courses = ["anhorigperspektiv-introduktion", "anhorigperspektiv-i-handlaggning", "leda-med-anhorigperspektiv", "anhorigstrategin-for-politiker"];
    var connection = (SqliteConnection)db.Database.GetDbConnection();
    await connection.OpenAsync();
    await using var transaction = connection.BeginTransaction();
    var unitId = await db.Units.Select(u => u.Id).FirstOrDefaultAsync();
    if (unitId == 0)
    {
        Execute(connection, transaction, """INSERT INTO "Units" ("Name", "Kind") VALUES ('Kommunen', 'Municipality')""");
        unitId = 1;
    }

    var random = new Random(42);
    using var learner = Command(connection, transaction,
        """INSERT INTO "Learners" ("FirstName", "LastName", "Email", "UnitId", "StartDate", "IsActive", "Audiences", "PseudonymKey", "DigestDay", "DigestOff") VALUES ($1, $2, $3, $4, $5, 1, '["medarbetare"]', $6, 'Monday', 0)""");
    using var assignment = Command(connection, transaction,
        """INSERT INTO "Assignments" ("LearnerId", "CourseId", "OpensOn", "DueOn", "AssignedAt", "Origin") VALUES ($1, $2, $3, $4, $5, 'benchmark')""");
    using var enrolment = Command(connection, transaction,
        """INSERT INTO "Enrolments" ("Id", "LearnerId", "CourseId", "CourseVersion", "StartedAt", "CurrentLessonId", "CompletedAt") VALUES ($1, $2, $3, 'v', $4, 'x', $5)""");
    for (var id = 1; id <= employees; id++)
    {
        Run(learner, "Anna", $"Person {id}", $"person{id}@exempel.se", unitId, new DateOnly(2020, 1, 1), Guid.NewGuid());
        for (var a = 0; a < perEmployee; a++)
        {
            // A fifth assignment is last year's campaign of the first course.
            var opens = today.AddDays(-random.Next(0, 90) - 365 * (a / courses.Length));
            var due = opens.AddDays(random.Next(14, 57));
            Run(assignment, id, courses[a % courses.Length], opens, due, opens.ToDateTime(TimeOnly.MinValue));
            if (random.Next(3) == 0)
            {
                var done = opens.ToDateTime(new TimeOnly(12, 0)).AddDays(random.Next(0, 14));
                Run(enrolment, Guid.NewGuid(), id, courses[a % courses.Length], done, done);
            }
        }
    }

    await transaction.CommitAsync();
}

static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
{
    var command = connection.CreateCommand();
    command.Transaction = transaction;
    command.CommandText = sql;
    return command;
}

static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
{
    using var command = Command(connection, transaction, sql);
    command.ExecuteNonQuery();
}

static void Run(SqliteCommand command, params object[] values)
{
    command.Parameters.Clear();
    for (var i = 0; i < values.Length; i++)
    {
        command.Parameters.AddWithValue($"${i + 1}", values[i] switch
        {
            DateOnly day => day.ToString("yyyy-MM-dd"),
            DateTime at => at.ToString("yyyy-MM-dd HH:mm:ss"),
            Guid guid => guid.ToString().ToUpperInvariant(),
            var other => other,
        });
    }

    command.ExecuteNonQuery();
}

static Process StartSink(out int port)
{
    using (var listener = new TcpListener(IPAddress.Loopback, 0))
    {
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    var sink = Process.Start(new ProcessStartInfo("/usr/bin/python3")
    {
        ArgumentList = { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink" },
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    })!;
    for (var attempt = 0; ; attempt++)
    {
        try
        {
            using var probe = new TcpClient();
            probe.Connect(IPAddress.Loopback, port);
            return sink;
        }
        catch (SocketException) when (attempt < 100)
        {
            Thread.Sleep(100);
        }
    }
}

static string FindRepository()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "Nanolearning.sln")))
        {
            return folder.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository.");
}

/// <summary>
/// The app on a fixed Monday, 10:00 in Sweden, over its own database, sending to the local sink; no demo, no
/// schedules. Found through one of its types: this program has a Program class of its own.
/// </summary>
internal sealed class App(string root, string courses, int smtpPort) : WebApplicationFactory<NanolearningOptions>
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Nanolearning", $"Data Source={Path.Combine(root, "nanolearning.db")}");
        builder.UseSetting("Nanolearning:CoursesPath", courses);
        builder.UseSetting("Nanolearning:Demo", "false");
        // What Production needs to start: its host names, an https address for links, a certificate for the keys.
        builder.UseSetting("AllowedHosts", "localhost");
        builder.UseSetting("Nanolearning:PublicUrl", "https://nanolearning.exempel.se");
        builder.UseSetting("DataProtection:CertificatePath", KeyCertificate());
        builder.UseSetting("DataProtection:CertificatePassword", CertificatePassword);
        builder.UseSetting("Reminders:ScanSchedule", "");
        builder.UseSetting("Reminders:DispatchSchedule", "");
        builder.UseSetting("Mail:Host", "127.0.0.1");
        builder.UseSetting("Mail:Port", smtpPort.ToString());
        builder.UseSetting("Mail:Tls", "None");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    private const string CertificatePassword = "benchmark";

    private string KeyCertificate()
    {
        var path = Path.Combine(root, "keys.pfx");
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Nanolearning keys", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, CertificatePassword));
        return path;
    }

    public async Task<T> In<TService, T>(Func<TService, Task<T>> work)
        where TService : notnull
    {
        using var scope = Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
