using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Features.AnnualWheel;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.FollowUpBenchmark;

/// <summary>
/// Builds the benchmark's database: migrated like the app's, then the kommun, its årshjul, the assignments the planner
/// would have made and everyone's progress, inserted with prepared statements. Deterministic for a given today; no
/// value comes from the wall clock.
/// </summary>
internal static class Generator
{
    public static readonly DateOnly DefaultToday = new(2026, 11, 16);
    public const int DefaultProgressRows = 3_000_000;

    private const int KommunSeed = 20_261_116;
    private const int ProgressSeed = 13;

    /// <summary>When the course versions were published: before any generated progress.</summary>
    private static readonly DateTime PublishedAt = new(2020, 12, 1, 8, 0, 0, DateTimeKind.Utc);

    public static async Task GenerateAsync(string file, string coursesFolder, DateOnly today, int progressRows)
    {
        var clock = Stopwatch.StartNew();
        var options = new NanolearningOptions();
        var compiled = BenchmarkCourses.Write(FindRepository(), coursesFolder);
        var courses = compiled.Select((c, i) => new CourseModel(c, new Random(ProgressSeed * 1_000 + i))).ToList();
        Console.WriteLine($"{courses.Count} courses in {coursesFolder}: " +
            string.Join(", ", courses.Select(c => $"{c.Id} ({c.Lessons.Length} lessons, {c.Lessons.Sum(l => l.Questions.Length)} questions)")));

        var kommun = Kommun.Generate(today, KommunSeed);
        var campaigns = new Campaigns(kommun, today, options.OnboardingDays);
        var simulator = new ProgressSimulator(kommun, campaigns, courses, today, ProgressSeed);
        var history = await TuneHistoryAsync(simulator, progressRows);
        Console.WriteLine($"planned in {clock.Elapsed.TotalSeconds:0.0} s");

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(file + suffix);
        }

        var dbOptions = new DbContextOptionsBuilder<AppDbContext>().UseSqlite($"Data Source={file}").Options;
        await using var db = new AppDbContext(dbOptions);
        await Database.MigrateAsync(db);
        await db.Database.OpenConnectionAsync();
        // A bulk load into a new file: no journal worth keeping, no syncs, a large cache. The app's settings come back below.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000; PRAGMA temp_store=MEMORY;");

        var organisation = Stopwatch.StartNew();
        await InsertOrganisationAsync(db, kommun, campaigns, compiled);
        await Logins.AddAsync(db, kommun, new Random(KommunSeed + 1));
        Console.WriteLine($"organisation, årshjul, courses and logins in {organisation.Elapsed.TotalSeconds:0.0} s");

        var progress = Stopwatch.StartNew();
        var written = new SqliteRows(db);
        await simulator.RunAsync(written, history);
        await written.FlushAsync();
        Console.WriteLine($"assignments and progress in {progress.Elapsed.TotalSeconds:0.0} s");

        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        var counts = await CountAsync(db);
        await db.Database.CloseConnectionAsync();
        SqliteConnection.ClearAllPools();
        clock.Stop();

        var followed = kommun.Units[kommun.FollowedUnitId - 1];
        var manifest = new Manifest(
            today, file, coursesFolder, Logins.Password, Logins.AdminEmail, kommun.AdminId, Logins.ChefEmail, kommun.FollowedChefId,
            kommun.FollowedUnitId, followed.Name, kommun.People.Count(p => p.IsActive && p.UnitId == followed.Id), kommun.MunicipalityId,
            counts, Math.Round(clock.Elapsed.TotalSeconds, 1));
        var manifestFile = Path.ChangeExtension(file, ".json");
        await File.WriteAllTextAsync(manifestFile, JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));

        Console.WriteLine();
        foreach (var (table, count) in counts)
        {
            Console.WriteLine($"  {table,-24} {count,12:N0}");
        }

        Console.WriteLine($"  {"progress rows",-24} {counts["LessonCompletions"] + counts["Answers"],12:N0}  (lesson completions + answers)");
        Console.WriteLine($"  {"database size",-24} {new FileInfo(file).Length / 1e6,12:N0} MB");
        Console.WriteLine($"  enrolments completed: {written.CompletedEnrolments:N0} of {written.Enrolments:N0}");
        Console.WriteLine($"  assignment outcomes: {string.Join(", ", simulator.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value:N0} ({100.0 * o.Value / counts["Assignments"]:0.0} %)"))}");
        Console.WriteLine();
        Console.WriteLine($"today {today:yyyy-MM-dd}; followed enhet {followed.Id} \"{followed.Name}\" ({manifest.FollowedUnitPeople} people), " +
            $"its chef learner {kommun.FollowedChefId} <{Logins.ChefEmail}>; admin learner {kommun.AdminId} <{Logins.AdminEmail}>; password \"{Logins.Password}\"");
        // CPU time beside the wall clock: on a shared machine the wall clock says as much about the neighbours.
        Console.WriteLine($"written {file} and {manifestFile} in {clock.Elapsed.TotalSeconds:0.0} s " +
            $"({Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0.0} s CPU)");
    }

    /// <summary>
    /// How much history (completions before the campaigns) brings the progress rows to the target. The rows grow
    /// almost linearly with it: counting runs at 0 and 1 give the line, then secant steps close in to within 0.01 %.
    /// </summary>
    private static async Task<double> TuneHistoryAsync(ProgressSimulator simulator, int target)
    {
        async Task<long> CountAt(double history)
        {
            var rows = new Rows();
            await simulator.RunAsync(rows, history);
            return rows.ProgressRows;
        }

        var (x0, y0) = (0.0, await CountAt(0));
        if (y0 >= target)
        {
            Console.WriteLine($"warning: without history there are already {y0:N0} progress rows, more than the {target:N0} asked for");
            return 0;
        }

        var (x1, y1) = (1.0, await CountAt(1));
        for (var step = 0; step < 6 && Math.Abs(y1 - target) > target / 10_000 && y1 != y0; step++)
        {
            var x = Math.Clamp(x1 + (target - y1) * (x1 - x0) / (y1 - y0), 0, ProgressSimulator.MaxHistory);
            (x0, y0, x1, y1) = (x1, y1, x, await CountAt(x));
        }

        Console.WriteLine($"history level {x1:0.0000}: {y1:N0} progress rows");
        return x1;
    }

    private static async Task InsertOrganisationAsync(AppDbContext db, Kommun kommun, Campaigns campaigns, IReadOnlyList<CompiledCourse> courses)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        await using (var units = new PreparedInsert(db, typeof(Unit),
            [nameof(Unit.Id), nameof(Unit.Name), nameof(Unit.Code), nameof(Unit.Kind), nameof(Unit.ParentId)]))
        {
            foreach (var u in kommun.Units)
            {
                await units.RunAsync(default, u.Id, u.Name, u.Code, u.Kind, u.ParentId);
            }
        }

        await using (var learners = new PreparedInsert(db, typeof(Learner),
            [nameof(Learner.Id), nameof(Learner.EmployeeNumber), nameof(Learner.FirstName), nameof(Learner.LastName), nameof(Learner.Email),
             nameof(Learner.JobTitle), nameof(Learner.UnitId), nameof(Learner.StartDate), nameof(Learner.IsActive), nameof(Learner.LeftOn),
             nameof(Learner.Audiences), nameof(Learner.PseudonymKey), nameof(Learner.DigestDay), nameof(Learner.DigestOff)]))
        {
            foreach (var p in kommun.People)
            {
                await learners.RunAsync(default, p.Id, p.EmployeeNumber, p.FirstName, p.LastName, p.Email, p.JobTitle, p.UnitId, p.StartDate,
                    p.IsActive, p.LeftOn, p.Audiences.ToList(), p.PseudonymKey, DayOfWeek.Monday, false);
            }
        }

        foreach (var u in kommun.Units.Where(u => u.ManagerId is not null))
        {
            await db.Units.Where(x => x.Id == u.Id).ExecuteUpdateAsync(set => set.SetProperty(x => x.ManagerId, u.ManagerId));
        }

        var defaults = new AnnualWheelEntry { Title = "" };
        var created = Format.StartOfDayUtc(new DateOnly(2024, 12, 2)).AddHours(9);
        await using (var entries = new PreparedInsert(db, typeof(AnnualWheelEntry),
            [nameof(AnnualWheelEntry.Id), nameof(AnnualWheelEntry.UnitId), nameof(AnnualWheelEntry.Kind), nameof(AnnualWheelEntry.Title),
             nameof(AnnualWheelEntry.StartsOn), nameof(AnnualWheelEntry.EndsOn), nameof(AnnualWheelEntry.RecursYearly), nameof(AnnualWheelEntry.CourseId),
             nameof(AnnualWheelEntry.Audiences), nameof(AnnualWheelEntry.RemindOnOpening), nameof(AnnualWheelEntry.RemindDaysBeforeDue),
             nameof(AnnualWheelEntry.RemindOnDueDate), nameof(AnnualWheelEntry.RemindWeeksOverdue), nameof(AnnualWheelEntry.CreatedAt),
             nameof(AnnualWheelEntry.UpdatedAt)]))
        {
            foreach (var c in campaigns.All)
            {
                await entries.RunAsync(default, c.Id, c.UnitId, AnnualWheelKind.CourseCampaign, c.Title, c.StartsOn, c.EndsOn, true, c.CourseId,
                    c.Audiences.ToList(), defaults.RemindOnOpening, defaults.RemindDaysBeforeDue, defaults.RemindOnDueDate,
                    defaults.RemindWeeksOverdue, created, created);
            }
        }

        // Published as the app publishes them, so its catalog finds the ten courses live at startup and every
        // enrolment's version stored.
        db.CourseVersions.AddRange(courses.Select(c => new StoredCourseVersion
        {
            CourseId = c.Id, Version = c.Version, Title = c.Title, Json = CourseJson.Serialize(c), PublishedAt = PublishedAt,
        }));
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    private static async Task<Dictionary<string, long>> CountAsync(AppDbContext db)
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in new[]
        {
            "Units", "Learners", "AspNetUsers", "AnnualWheelEntries", "CourseVersions", "Assignments", "Enrolments", "QuizAttempts",
            "LessonCompletions", "Answers",
        })
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            counts[table] = Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        return counts;
    }

    private static string FindRepository()
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
}

/// <summary>What the measuring step needs to find its way in the generated data, written beside the database.</summary>
internal sealed record Manifest(
    DateOnly Today, string Database, string CoursesPath, string Password, string AdminEmail, int AdminLearnerId, string ChefEmail,
    int ChefLearnerId, int FollowedUnitId, string FollowedUnitName, int FollowedUnitPeople, int MunicipalityId,
    Dictionary<string, long> Rows, double Seconds)
{
    /// <summary>The manifest the generator wrote beside <paramref name="database"/>.</summary>
    public static Manifest Read(string database) =>
        JsonSerializer.Deserialize<Manifest>(File.ReadAllText(Path.ChangeExtension(database, ".json")))
        ?? throw new InvalidOperationException($"No manifest beside {database}: run generate first.");
}
