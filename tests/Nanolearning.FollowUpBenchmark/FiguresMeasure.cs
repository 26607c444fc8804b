using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.FollowUp;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.FollowUpBenchmark;

/// <summary>
/// In process, without HTTP: <see cref="FollowUpFigures.LoadAsync"/> and the figures a follow-up page computes from it,
/// for the whole kommun and for the 200-person enhet, the two scopes taking turns so a busy neighbour slows both alike.
/// Then where a load's time goes (each query's reader, the same SQL on a bare connection) and each query's plan.
/// </summary>
internal static class FiguresMeasure
{
    public static async Task RunAsync(string file, int runs, int warmUp)
    {
        var manifest = Manifest.Read(file);
        var options = new NanolearningOptions();
        var recorder = new CommandRecorder();
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        Database.UseSqlite(builder, new SqliteConnectionStringBuilder { DataSource = file }.ToString()).AddInterceptors(recorder);
        var dbOptions = builder.Options;

        OrganisationTree tree;
        await using (var db = new AppDbContext(dbOptions))
        {
            tree = await OrganisationTree.LoadAsync(db, CancellationToken.None);
        }

        Scope[] scopes =
        [
            new("kommun", manifest.MunicipalityId, null),
            new($"enhet {manifest.FollowedUnitId} ({manifest.FollowedUnitPeople} people)", manifest.FollowedUnitId,
                [.. tree.Subtree(manifest.FollowedUnitId).Select(u => u.Id)]),
        ];
        Console.WriteLine($"{file}: today {manifest.Today:yyyy-MM-dd}, {warmUp} warm-up and {runs} measured runs per scope, taking turns; " +
            $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, {Environment.ProcessorCount} cores, load average {Stats.LoadAverage()}");

        var results = scopes.ToDictionary(s => s, _ => new List<PageRun>());
        for (var run = 0; run < warmUp + runs; run++)
        {
            foreach (var scope in scopes)
            {
                var result = await PageAsync(dbOptions, recorder, options, tree, scope, manifest.Today);
                if (run >= warmUp)
                {
                    results[scope].Add(result);
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{"ms, median / p90",-34}{string.Join("", scopes.Select(s => $"{s.Name,28}"))}");
        Row("whole page (load + figures)", r => r.Total.TotalMilliseconds);
        Row("  load (three queries)", r => r.Load.TotalMilliseconds);
        for (var q = 0; q < QueryNames.Length; q++)
        {
            var query = q;
            Row($"    {QueryNames[q]} reader open", r => r.Queries.ElementAtOrDefault(query)?.Duration.TotalMilliseconds ?? double.NaN);
        }

        Row("    after the readers (sorting)", r => r.Load.TotalMilliseconds - r.Queries.Sum(c => c.Duration.TotalMilliseconds));
        Row("  figures in memory", r => r.Figures.TotalMilliseconds);
        // On shared cores the wall clock also counts the neighbours' turns; the process's CPU time (all threads, the
        // garbage collector's included) does not.
        Row("CPU time of the process", r => r.Cpu.TotalMilliseconds);
        Row("allocated MB", r => r.AllocatedBytes / 1e6, "0.0");
        Console.WriteLine($"{"rows read (learners/assign./enrol.)",-34}{string.Join("", scopes.Select(s => $"{string.Join(" / ", results[s][0].Queries.Select(c => c.Rows.ToString("N0", CultureInfo.InvariantCulture))),28}"))}");
        Console.WriteLine($"{"learners loaded, courses, groups",-34}{string.Join("", scopes.Select(s => $"{results[s][0].Shape,28}"))}");

        Console.WriteLine();
        Console.WriteLine("The same SQL on a bare connection, no EF: SQLite stepping through the rows and reading each value, then with the");
        Console.WriteLine("dates parsed as Microsoft.Data.Sqlite parses them for EF; ms, median of 5:");
        foreach (var scope in scopes)
        {
            foreach (var (command, q) in results[scope][0].Queries.Select((c, i) => (c, i)))
            {
                var (text, parsed) = (new List<double>(), new List<double>());
                for (var i = 0; i < 5; i++)
                {
                    text.Add(BareRead(file, command, parseDates: false).TotalMilliseconds);
                    parsed.Add(BareRead(file, command, parseDates: true).TotalMilliseconds);
                }

                Console.WriteLine($"  {scope.Name,-28} {QueryNames.ElementAtOrDefault(q),-12} {Stats.Median(text),8:0.0} {Stats.Median(parsed),8:0.0}");
            }
        }

        foreach (var scope in scopes)
        {
            Console.WriteLine();
            Console.WriteLine($"== EXPLAIN QUERY PLAN, {scope.Name}");
            foreach (var (command, q) in results[scope][0].Queries.Select((c, i) => (c, i)))
            {
                Console.WriteLine($"-- {QueryNames.ElementAtOrDefault(q)} ({command.Parameters.Count} parameters)");
                Console.WriteLine(command.Sql);
                foreach (var line in QueryPlan(file, command))
                {
                    Console.WriteLine(line);
                }
            }
        }

        void Row(string label, Func<PageRun, double> value, string format = "0.0") =>
            Console.WriteLine($"{label,-34}{string.Join("", scopes.Select(s =>
            {
                var values = results[s].Select(value).ToList();
                return $"{Stats.Median(values).ToString(format, CultureInfo.InvariantCulture) + " / " + Stats.P90(values).ToString(format, CultureInfo.InvariantCulture),28}";
            }))}");
    }

    private static readonly string[] QueryNames = ["learners", "assignments", "enrolments"];

    /// <summary>One page's worth of figures: what the kommun view or the chef's unit page computes from one load.</summary>
    private static async Task<PageRun> PageAsync(
        DbContextOptions<AppDbContext> dbOptions, CommandRecorder recorder, NanolearningOptions options, OrganisationTree tree, Scope scope, DateOnly today)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        recorder.Commands.Clear();
        recorder.Recording = true;
        var clock = Stopwatch.StartNew();
        FollowUpFigures figures;
        await using (var db = new AppDbContext(dbOptions))
        {
            figures = await FollowUpFigures.LoadAsync(db, options, scope.UnitIds, today, withNames: false, CancellationToken.None);
        }

        var load = clock.Elapsed;
        recorder.Recording = false;

        // A checksum of every figure, so none of them can be skipped as unused.
        var sum = FollowUpFigures.Headcount(figures.Learners);
        sum += figures.Courses(figures.Learners).Sum(c => c.Assigned + c.Completed);
        sum += figures.Trend(figures.Learners).Sum(m => m.Completed);
        foreach (var course in figures.CourseIds)
        {
            sum += figures.Trend(figures.Learners, course).Sum(m => m.Completed);
        }

        // The groups a page breaks the scope into: the förvaltningar for the kommun, the sub-units for a chef.
        var groups = tree.ChildrenOf(scope.TopUnitId).Where(u => u.Kind != UnitKind.Committee).ToList();
        foreach (var unit in groups)
        {
            var group = figures.InUnits(tree.Subtree(unit.Id).Select(u => u.Id)).ToList();
            sum += FollowUpFigures.Headcount(group);
            sum += figures.Courses(group).Sum(c => c.Completed);
            sum += figures.Introduction(group).Completed;
        }

        sum += figures.Courses(figures.Learners.Where(l => l.IsPolitician)).Sum(c => c.Completed);
        sum += figures.Onboarding(figures.Learners).CompletedInTime;
        sum += figures.Introduction(figures.Learners).Completed;
        sum += figures.IntroductionTrend(figures.Learners).Sum(i => i.Completed);
        clock.Stop();

        return new PageRun(
            clock.Elapsed, load, clock.Elapsed - load, Process.GetCurrentProcess().TotalProcessorTime - cpu,
            GC.GetTotalAllocatedBytes(precise: true) - allocated, [.. recorder.Commands],
            $"{figures.Learners.Count:N0}, {figures.CourseIds.Count}, {groups.Count} (sum {sum % 1000:000})");
    }

    /// <summary>
    /// The recorded SQL on a bare connection, reading every value: as stored (dates as text), or with the dates
    /// parsed into DateOnly and DateTime the way Microsoft.Data.Sqlite parses them for EF.
    /// </summary>
    private static TimeSpan BareRead(string file, RecordedCommand recorded, bool parseDates)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = Prepare(connection, recorded.Sql, recorded);
        var clock = Stopwatch.StartNew();
        using var reader = command.ExecuteReader();
        var values = new object[reader.FieldCount];
        while (reader.Read())
        {
            reader.GetValues(values);
            for (var i = 0; parseDates && i < values.Length; i++)
            {
                // Dates are the only text of these lengths with a dash at 4: yyyy-MM-dd and yyyy-MM-dd HH:mm:ss[.fffffff].
                if (values[i] is string { Length: 10 } day && day[4] == '-')
                {
                    values[i] = reader.GetFieldValue<DateOnly>(i);
                }
                else if (values[i] is string { Length: >= 19 } time && time[4] == '-' && time[10] == ' ')
                {
                    values[i] = reader.GetDateTime(i);
                }
            }
        }

        return clock.Elapsed;
    }

    private static IEnumerable<string> QueryPlan(string file, RecordedCommand recorded)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = Prepare(connection, "EXPLAIN QUERY PLAN " + recorded.Sql, recorded);
        using var reader = command.ExecuteReader();
        var depth = new Dictionary<long, int> { [0] = 0 };
        var lines = new List<string>();
        while (reader.Read())
        {
            var (id, parent, detail) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(3));
            depth[id] = depth.GetValueOrDefault(parent) + 1;
            lines.Add($"{new string(' ', 2 * depth[id])}{detail}");
        }

        return lines;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, RecordedCommand recorded)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in recorded.Parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private sealed record Scope(string Name, int TopUnitId, IReadOnlyCollection<int>? UnitIds);

    private sealed record PageRun(TimeSpan Total, TimeSpan Load, TimeSpan Figures, TimeSpan Cpu, long AllocatedBytes, IReadOnlyList<RecordedCommand> Queries, string Shape);
}

internal static class Stats
{
    public static double Median(IReadOnlyCollection<double> values) => Percentile(values, 0.5);

    public static double P90(IReadOnlyCollection<double> values) => Percentile(values, 0.9);

    /// <summary>Nearest rank: the smallest value with at least the share <paramref name="p"/> of values at or below it.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    /// <summary>The machine's 1, 5 and 15 minute load averages: on shared cores they say how far to trust a run.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
