using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Infrastructure;

// The assignment planner on a generated kommun, each run on a fresh SQLite file:
//   dotnet run -c Release --project tests/Nanolearning.PlanningBenchmark -- [employees] [units] [entries] [runs]
// Measures the first planning (everything materialised), a second one (nothing to do), and one after 600 people
// joined and 300 moved. Prints each run and the medians.
var employees = int.Parse(args.ElementAtOrDefault(0) ?? "60000");
var unitCount = int.Parse(args.ElementAtOrDefault(1) ?? "1500");
var entryCount = int.Parse(args.ElementAtOrDefault(2) ?? "20");
var runs = int.Parse(args.ElementAtOrDefault(3) ?? "5");
var today = new DateOnly(2026, 11, 23);
var clock = new FakeTimeProvider(new DateTimeOffset(today.ToDateTime(new TimeOnly(11, 0)), TimeSpan.Zero));

var results = new List<Measured[]>();
for (var run = 1; run <= runs; run++)
{
    var file = Path.Combine(Path.GetTempPath(), $"nanolearning-planning-{Guid.NewGuid():N}.db");
    try
    {
        var options = new DbContextOptionsBuilder<AppDbContext>().UseSqlite($"Data Source={file}").Options;
        await using (var db = new AppDbContext(options))
        {
            await Database.MigrateAsync(db);
        }

        var kommun = await Generate(file, employees, unitCount, entryCount, today);
        var first = await Measure("first planning", options, clock);
        var second = await Measure("again, nothing new", options, clock);
        await JoinAndMove(file, kommun, joiners: 600, movers: 300, today);
        var third = await Measure("after 600 joiners, 300 movers", options, clock);
        results.Add([first, second, third]);
        Console.WriteLine($"run {run}: " + string.Join("; ", new[] { first, second, third }.Select(m => m.ToString())));
    }
    finally
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(file + suffix);
        }
    }
}

Console.WriteLine($"\n{employees} employees, {unitCount} units, {entryCount} entries; medians of {runs} runs:");
for (var i = 0; i < 3; i++)
{
    var column = results.Select(r => r[i]).ToList();
    Console.WriteLine($"  {column[0].Name,-32} {Median(column.Select(m => m.Seconds)),6:0.00} s  " +
        $"{Median(column.Select(m => (double)m.Added)),8:0} added  {Median(column.Select(m => (double)m.Withdrawn)),5:0} withdrawn  " +
        $"allocated {Median(column.Select(m => m.AllocatedMb)),6:0} MB  peak working set {Median(column.Select(m => m.PeakWorkingSetMb)),5:0} MB");
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static async Task<Measured> Measure(string name, DbContextOptions<AppDbContext> options, TimeProvider clock)
{
    GC.Collect();
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var started = Stopwatch.GetTimestamp();
    await using var db = new AppDbContext(options);
    var planner = new AssignmentPlanner(db, Options.Create(new NanolearningOptions()), clock, NullLogger<AssignmentPlanner>.Instance);
    var result = await planner.PlanAsync();
    var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    using var process = Process.GetCurrentProcess();
    return new Measured(name, seconds, result.Added, result.Withdrawn,
        (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6, process.PeakWorkingSet64 / 1e6);
}

// A kommun: 10 förvaltningar, 90 avdelningar, the rest enheter under them, people spread evenly over the enheter,
// one chef per enhet. Inserted with plain SQL in one transaction: the set-up is not what is measured.
static async Task<Kommun> Generate(string file, int employees, int unitCount, int entryCount, DateOnly today)
{
    await using var connection = new SqliteConnection($"Data Source={file}");
    await connection.OpenAsync();
    await using var transaction = connection.BeginTransaction();
    var random = new Random(60_000);

    var unitParents = new List<int?> { null };
    var kinds = new List<string> { "Municipality" };
    for (var i = 0; i < 10; i++) { unitParents.Add(1); kinds.Add("Administration"); }
    for (var i = 0; i < 90; i++) { unitParents.Add(2 + i % 10); kinds.Add("Department"); }
    while (unitParents.Count < unitCount) { unitParents.Add(12 + random.Next(90)); kinds.Add("Unit"); }
    var insertUnit = Command(transaction, "INSERT INTO Units (Id, Name, Kind, ParentId, Code) VALUES ($id, $name, $kind, $parent, $code)");
    for (var i = 0; i < unitParents.Count; i++)
    {
        Run(insertUnit, i + 1, $"Enhet {i + 1}", kinds[i], (object?)unitParents[i] ?? DBNull.Value, (1000 + i).ToString(Swedish.Culture));
    }

    var enheter = Enumerable.Range(102, unitParents.Count - 101).ToArray();
    var insertLearner = Command(transaction,
        "INSERT INTO Learners (Id, EmployeeNumber, FirstName, LastName, Email, UnitId, StartDate, IsActive, Audiences, PseudonymKey) " +
        "VALUES ($id, $number, 'Förnamn', 'Efternamn', $email, $unit, $start, 1, $audiences, $key)");
    for (var id = 1; id <= employees; id++)
    {
        var unit = enheter[id % enheter.Length];
        var isChef = id <= enheter.Length;
        var audiences = isChef ? "[\"medarbetare\",\"chef\"]"
            : random.NextDouble() < 0.05 ? "[\"medarbetare\",\"handlaggare\"]"
            : "[\"medarbetare\"]";
        var start = random.NextDouble() < 0.01 ? today.AddDays(-random.Next(30)) : today.AddDays(-random.Next(200, 9000));
        Run(insertLearner, id, id.ToString(Swedish.Culture), $"person{id}@kommun.exempel.se", unit, start.ToString("yyyy-MM-dd"), audiences, Guid.NewGuid().ToString());
    }

    var manage = Command(transaction, "UPDATE Units SET ManagerId = $id WHERE Id = $unit");
    for (var i = 0; i < enheter.Length && i < employees; i++)
    {
        var chef = i + 1;
        Run(manage, chef, enheter[chef % enheter.Length]);
    }

    // 20 entries: campaigns at every level, open today, and APTs and notes that assign nothing.
    string[] courses = ["anhorigperspektiv-introduktion", "leda-med-anhorigperspektiv", "anhorigperspektiv-i-handlaggning"];
    var insertEntry = Command(transaction,
        "INSERT INTO AnnualWheelEntries (UnitId, Kind, Title, StartsOn, EndsOn, RecursYearly, CourseId, Audiences, CreatedAt, UpdatedAt) " +
        "VALUES ($unit, $kind, $title, $start, $end, 1, $course, $audiences, '2026-01-01', '2026-01-01')");
    for (var i = 0; i < entryCount; i++)
    {
        var (unit, kind, course, audiences) = (i % 5) switch
        {
            0 when i < 5 => (1, "CourseCampaign", courses[0], "[\"medarbetare\"]"),
            0 => (1, "CourseCampaign", courses[1], "[\"chef\"]"),
            1 => (2 + i % 10, "CourseCampaign", courses[2], "[\"handlaggare\"]"),
            2 => (12 + i % 90, "CourseCampaign", courses[0], "[]"),
            3 => (enheter[i], "WorkplaceMeeting", courses[0], "[]"),
            _ => (2 + i % 10, "Note", (string?)null, "[]"),
        };
        var opens = today.AddDays(-10 - i);
        Run(insertEntry, unit, kind, $"Post {i + 1}", opens.ToString("yyyy-MM-dd"), opens.AddDays(60 + i).ToString("yyyy-MM-dd"),
            (object?)course ?? DBNull.Value, audiences);
    }

    await transaction.CommitAsync();
    return new Kommun(employees, enheter);
}

static async Task JoinAndMove(string file, Kommun kommun, int joiners, int movers, DateOnly today)
{
    await using var connection = new SqliteConnection($"Data Source={file}");
    await connection.OpenAsync();
    await using var transaction = connection.BeginTransaction();
    var insert = Command(transaction,
        "INSERT INTO Learners (EmployeeNumber, FirstName, LastName, Email, UnitId, StartDate, IsActive, Audiences, PseudonymKey) " +
        "VALUES ($number, 'Ny', 'Person', $email, $unit, $start, 1, '[\"medarbetare\"]', $key)");
    for (var i = 0; i < joiners; i++)
    {
        Run(insert, $"ny{i}", $"ny{i}@kommun.exempel.se", kommun.Enheter[i % kommun.Enheter.Length], today.ToString("yyyy-MM-dd"), Guid.NewGuid().ToString());
    }

    var move = Command(transaction, "UPDATE Learners SET UnitId = $unit WHERE Id = $id");
    for (var i = 0; i < movers; i++)
    {
        Run(move, kommun.Enheter[(i * 7) % kommun.Enheter.Length], kommun.Employees - i);
    }

    await transaction.CommitAsync();
}

static SqliteCommand Command(SqliteTransaction transaction, string sql)
{
    var command = transaction.Connection!.CreateCommand();
    command.Transaction = transaction;
    command.CommandText = sql;
    return command;
}

static void Run(SqliteCommand command, params object[] values)
{
    if (command.Parameters.Count == 0)
    {
        var names = System.Text.RegularExpressions.Regex.Matches(command.CommandText, @"\$\w+").Select(m => m.Value).Distinct().ToList();
        names.ForEach(n => command.Parameters.Add(new SqliteParameter(n, null)));
    }

    for (var i = 0; i < values.Length; i++)
    {
        command.Parameters[i].Value = values[i];
    }

    command.ExecuteNonQuery();
}

internal sealed record Kommun(int Employees, int[] Enheter);

internal sealed record Measured(string Name, double Seconds, int Added, int Withdrawn, double AllocatedMb, double PeakWorkingSetMb)
{
    public override string ToString() => $"{Name}: {Seconds:0.00} s, +{Added}/-{Withdrawn}, {AllocatedMb:0} MB allocated";
}
