using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Features.Xapi;
using Nanolearning.Web.Infrastructure;
using Nanolearning.Xapi;

// The built-in LRS's endpoints (the same MapXapi and StatementStore as the app, on SQLite set up as the app sets it
// up) on Kestrel at 127.0.0.1, over a fresh SQLite file holding a generated history of learning statements:
//   dotnet run -c Release --project tests/Nanolearning.XapiBenchmark -- [stored] [batches] [queries]
// Measures POST of batches of 50 new statements (one client, then four at once) and filtered GETs of 100.
// Prints every measurement and the medians.
var stored = int.Parse(args.ElementAtOrDefault(0) ?? "1000000");
var batches = int.Parse(args.ElementAtOrDefault(1) ?? "200");
var queries = int.Parse(args.ElementAtOrDefault(2) ?? "100");
const string Password = "benchmark-lösenord";
// One fixed clock for the stored history, the new batches, the LRS's stored times and the "since" filter: every run
// stores and finds the same statements, whatever day it runs.
var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 11, 0, 0, TimeSpan.Zero));

var file = Path.Combine(Path.GetTempPath(), $"nanolearning-xapi-{Guid.NewGuid():N}.db");
var connectionString = $"Data Source={file}";
try
{
    var options = new DbContextOptionsBuilder<AppDbContext>().UseSqlite(connectionString).Options;
    await using (var db = new AppDbContext(options))
    {
        await Database.MigrateAsync(db);
    }

    var settings = new XapiOptions { HomePage = "https://www.exempelkommun.se/", Lrs = new LrsOptions { Username = "benchmark", Password = Password } };
    var profile = new StatementProfile(settings);
    var course = new CourseCompiler().CompileAll(FindCourses()).Select(r => r.Course).OfType<CompiledCourse>()
        .First(c => c.Id == "anhorigperspektiv-i-handlaggning");
    var history = new History(profile, course, settings, clock);

    var seeding = Stopwatch.StartNew();
    await history.InsertAsync(connectionString, stored);
    Console.WriteLine($"stored {stored:N0} statements in {seeding.Elapsed.TotalSeconds:0} s ({new FileInfo(file).Length / 1e6:0} MB)");
    // The kernel is still writing those gigabytes out, and every write the LRS makes meanwhile is throttled: the first
    // measurement ran at half speed until the file was synced first. A running LRS has no such backlog.
    SqliteConnection.ClearAllPools();
    await using (var written = new FileStream(file, FileMode.Open, FileAccess.ReadWrite))
    {
        written.Flush(flushToDisk: true);
    }

    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Services.AddDbContextPool<AppDbContext>(db => Database.UseSqlite(db, connectionString));
    builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(settings));
    builder.Services.AddSingleton<TimeProvider>(clock);
    builder.Services.AddScoped<StatementStore>();
    LrsBasicAuthenticationHandler.AddTo(builder.Services);
    await using var app = builder.Build();
    app.UseAuthentication();
    app.UseAuthorization();
    app.MapXapi();
    await app.StartAsync();

    using var http = new HttpClient();
    var lrs = new RemoteLrs(http, new Uri(app.Urls.Single() + "/xapi/"), "benchmark", Password);

    // Warm up: JIT, connection, SQLite page cache for the indexes.
    for (var i = 0; i < 5; i++)
    {
        Check(await lrs.SaveStatementsAsync(history.NewBatch(50)));
        Check(await lrs.QueryStatementsAsync(new StatementsQuery { VerbId = Verbs.Completed.Id, Limit = 100 }));
    }

    Console.WriteLine($"\nPOST /statements, batches of 50 new statements, {batches} batches:");
    foreach (var clients in new[] { 1, 4 })
    {
        // Made before the clock starts: the generator shares the machine with the LRS, and the figure is the LRS's.
        var ready = new Queue<List<Statement>>(Enumerable.Range(0, batches).Select(_ => history.NewBatch(50)));
        var started = Stopwatch.GetTimestamp();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var perBatch = new List<double>();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            for (var i = 0; i < batches / clients; i++)
            {
                List<Statement> batch;
                lock (ready)
                {
                    batch = ready.Dequeue();
                }

                var one = Stopwatch.GetTimestamp();
                Check(await lrs.SaveStatementsAsync(batch));
                lock (perBatch)
                {
                    perBatch.Add(Stopwatch.GetElapsedTime(one).TotalMilliseconds);
                }
            }
        }));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        // CPU of the whole process (LRS and client) per batch: what the load of other work on the machine changes least.
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / perBatch.Count;
        Console.WriteLine($"  {clients} client(s): {perBatch.Count * 50 / seconds,7:N0} statements/s; per batch median {Median(perBatch):0.0} ms, p95 {Percentile(perBatch, 0.95):0.0} ms, CPU {cpu:0.0} ms");
    }

    Console.WriteLine($"\nGET /statements, limit=100, {queries} queries each (a learner, a verb, an activity and so on, varied):");
    var filters = new (string Name, Func<int, StatementsQuery> Query)[]
    {
        ("no filter", _ => new StatementsQuery()),
        ("verb=completed", _ => new StatementsQuery { VerbId = Verbs.Completed.Id }),
        ("verb=answered, ascending", _ => new StatementsQuery { VerbId = Verbs.Answered.Id, Ascending = true }),
        ("activity=a question", i => new StatementsQuery { ActivityId = history.QuestionIri(i) }),
        ("activity=the course, related", _ => new StatementsQuery { ActivityId = profile.CourseIri(course.Id), RelatedActivities = true }),
        ("agent=a learner", i => new StatementsQuery { Agent = history.Learner(i) }),
        ("agent + verb=answered", i => new StatementsQuery { Agent = history.Learner(i), VerbId = Verbs.Answered.Id }),
        ("registration", i => new StatementsQuery { Registration = history.Registration(i) }),
        ("since 1 hour ago", _ => new StatementsQuery { Since = clock.GetUtcNow().AddHours(-1) }),
        ("verb=passed, next page (more)", _ => new StatementsQuery { VerbId = Verbs.Passed.Id }),
    };
    foreach (var (name, query) in filters)
    {
        var times = new List<double>();
        var counts = new List<double>();
        for (var i = 0; i < queries; i++)
        {
            var q = query(i) with { Limit = 100 };
            var one = Stopwatch.GetTimestamp();
            var page = Check(await lrs.QueryStatementsAsync(q));
            if (name.EndsWith("(more)", StringComparison.Ordinal))
            {
                one = Stopwatch.GetTimestamp();
                page = Check(await lrs.MoreStatementsAsync(page));
            }

            times.Add(Stopwatch.GetElapsedTime(one).TotalMilliseconds);
            counts.Add(page.Statements.Count);
        }

        Console.WriteLine($"  {name,-32} median {Median(times),6:0.0} ms, p95 {Percentile(times, 0.95),6:0.0} ms, {Median(counts),4:0} statements per page");
    }

    await app.StopAsync();
}
finally
{
    SqliteConnection.ClearAllPools();
    foreach (var suffix in new[] { "", "-wal", "-shm" })
    {
        File.Delete(file + suffix);
    }
}

static T Check<T>(LrsResponse<T> response) =>
    response.Success ? response.Content! : throw new InvalidOperationException($"The LRS answered {response.Error}");

static double Median(List<double> values) => Percentile(values, 0.5);

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToArray();
    return sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(p * sorted.Length))];
}

static string FindCourses()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "courses")))
    {
        dir = dir.Parent;
    }

    return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("No courses folder above the benchmark."), "courses");
}

/// <summary>
/// A kommun's learning history as the app's profile writes it: 5 000 learners each taking the case officers' course
/// (launched, every lesson experienced, every check question answered, the final quiz passed or failed, completed),
/// enrolment after enrolment, spread over the last year.
/// </summary>
internal sealed class History(StatementProfile profile, CompiledCourse course, XapiOptions settings, TimeProvider clock)
{
    private const int Learners = 5_000;
    private readonly Guid[] _keys = [.. Enumerable.Range(0, Learners).Select(i => new Guid(i + 1, 0, 0, new byte[8]))];
    private readonly List<Guid> _registrations = [];
    private readonly List<Guid> _learnersWithStatements = [];
    private readonly Random _random = new(7);

    public Agent Learner(int i) => profile.Actor(_learnersWithStatements[(i * 7919) % _learnersWithStatements.Count]);

    public Guid Registration(int i) => _registrations[(i * 7919) % _registrations.Count];

    public string QuestionIri(int i)
    {
        var questions = course.Lessons.SelectMany(l => l.Questions).ToList();
        return profile.QuestionIri(course.Id, questions[i % questions.Count].Id);
    }

    /// <summary>Statements of new enrolments, as the delivery job would send them.</summary>
    public List<Statement> NewBatch(int count)
    {
        lock (_random)
        {
            return [.. Enrolments(clock.GetUtcNow().UtcDateTime).Take(count)];
        }
    }

    public async Task InsertAsync(string connectionString, int count)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var authority = new Agent { Name = "Nanolearning LRS-klient", Account = new AgentAccount(settings.HomePage, settings.Lrs.Username) };
        var start = clock.GetUtcNow().UtcDateTime.AddDays(-365);
        var step = TimeSpan.FromDays(365).Ticks / count;
        var sequence = 0L;
        foreach (var chunk in Enrolments(start).Take(count).Chunk(20_000))
        {
            await using var transaction = connection.BeginTransaction();
            var statement = Command(connection, transaction,
                "INSERT INTO XapiStatements (Sequence, Id, Stored, ActorKey, ObjectAgentKey, VerbId, ActivityId, Registration, VoidsId, Voided, Json) " +
                "VALUES ($sequence, $id, $stored, $actor, NULL, $verb, $activity, $registration, NULL, 0, $json)");
            var activity = Command(connection, transaction, "INSERT INTO XapiStatementActivities (StatementSequence, ActivityId) VALUES ($sequence, $activity)");
            var agent = Command(connection, transaction, "INSERT INTO XapiStatementAgents (StatementSequence, AgentKey) VALUES ($sequence, $agent)");
            foreach (var s in chunk)
            {
                sequence++;
                var at = new DateTime(start.Ticks + sequence * step, DateTimeKind.Utc);
                at = at.AddTicks(-(at.Ticks % TimeSpan.TicksPerMillisecond));
                var row = StatementStore.Row(s with { Stored = at, Authority = authority, Version = RemoteLrs.XapiVersion, Timestamp = at }, at);
                Run(statement, sequence, row.Id.ToString().ToUpperInvariant(), at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF"), row.ActorKey!, row.VerbId,
                    row.ActivityId!, row.Registration!.Value.ToString().ToUpperInvariant(), row.Json);
                foreach (var related in row.RelatedActivities)
                {
                    Run(activity, sequence, related.ActivityId);
                }

                foreach (var related in row.RelatedAgents)
                {
                    Run(agent, sequence, related.AgentKey);
                }
            }

            await transaction.CommitAsync();
        }
    }

    private IEnumerable<Statement> Enrolments(DateTime at)
    {
        while (true)
        {
            var key = _keys[_random.Next(Learners)];
            var enrolment = Enrolment.Start(_random.Next(1, Learners), course, at);
            _registrations.Add(enrolment.Id);
            _learnersWithStatements.Add(key);
            foreach (var lesson in course.Lessons.Where(l => !l.IsFinalQuiz))
            {
                foreach (var question in lesson.Questions)
                {
                    var right = _random.NextDouble() < 0.8;
                    enrolment.RecordAnswer(lesson, question, new Response(right ? [.. question.CorrectOptionIds] : [question.Options[^1].Id], null), Guid.NewGuid(), at);
                }

                enrolment.CompleteLesson(course, lesson, at);
            }

            var quiz = course.FinalQuiz!;
            enrolment.SubmitFinalQuiz(course, quiz, quiz.Questions.ToDictionary(q => q.Id, q => new Response([.. q.CorrectOptionIds], null)), Guid.NewGuid(), at);
            foreach (var e in enrolment.Events)
            {
                yield return profile.ToStatement(e, key, enrolment.StartedAt, course);
            }
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in System.Text.RegularExpressions.Regex.Matches(sql, @"\$\w+").Select(m => m.Value).Distinct())
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        return command;
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        command.ExecuteNonQuery();
    }
}
