using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.ErrorReports;
using Nanolearning.Web.Features.FollowUp;
using Nanolearning.Web.Features.HrImport;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Features.Retention;
using Nanolearning.Web.Features.Xapi;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The app with the gallring job scheduled on a day that is years away (tests run it themselves, on the fake clock),
/// and leavers pseudonymised a month after leaving, while they still count in the follow-up trend.
/// </summary>
public sealed class RetentionFixture : AppFixture
{
    public const string NeverSoon = "0 0 29 2 *";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Retention:Schedule"] = NeverSoon,
        ["Retention:LeaverMonths"] = "1",
    };
}

/// <summary>Gallring: each kind of record goes after its period and not before, leavers are pseudonymised, runs repeat safely.</summary>
public sealed class RetentionTests(RetentionFixture app) : IClassFixture<RetentionFixture>
{
    private const string Course = "anhorigperspektiv-i-handlaggning";

    private RetentionOptions Settings => app.Services.GetRequiredService<IOptions<RetentionOptions>>().Value;

    [Fact]
    public void Gallring_is_a_recurring_job_on_its_schedule()
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == BackgroundJobs.Retention);
        Assert.Equal(RetentionFixture.NeverSoon, job.Cron);
        Assert.Equal(typeof(RetentionSweep), job.Job.Type);
    }

    [Theory]
    [InlineData(RecordKind.Reflections)]
    [InlineData(RecordKind.Answers)]
    [InlineData(RecordKind.Reminders)]
    [InlineData(RecordKind.ReminderMails)]
    [InlineData(RecordKind.MailFiles)]
    [InlineData(RecordKind.StaffFiles)]
    [InlineData(RecordKind.Statements)]
    [InlineData(RecordKind.LearningEvents)]
    [InlineData(RecordKind.AuditEntries)]
    [InlineData(RecordKind.ErrorReports)]
    [InlineData(RecordKind.Leavers)]
    [InlineData(RecordKind.Progress)]
    public async Task A_record_stays_for_its_period_and_goes_after_it(RecordKind kind)
    {
        var planted = await Plant(kind);
        var due = Due(kind, planted.At);
        // A day either side, since some periods count whole days; an hour for the staff file's single day.
        var margin = kind == RecordKind.StaffFiles ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);

        app.Clock.Advance(due - app.UtcNow - margin);
        await Sweep().RunAsync(CancellationToken.None);
        Assert.True(await planted.IsKept(), $"{kind}: gone before its period ended");

        app.Clock.Advance(2 * margin);
        await Sweep().RunAsync(CancellationToken.None);
        Assert.False(await planted.IsKept(), $"{kind}: still there after its period ended");
    }

    [Fact]
    public async Task The_preview_counts_what_the_run_removes_and_a_second_run_removes_nothing()
    {
        foreach (var kind in Enum.GetValues<RecordKind>())
        {
            await Plant(kind);
        }

        app.Clock.Advance(TimeSpan.FromDays(366 * 6));
        var preview = await Sweep().PreviewAsync(CancellationToken.None);
        var removed = await Sweep().RunAsync(CancellationToken.None);
        var tables = await RowCounts();
        var again = await Sweep().RunAsync(CancellationToken.None);

        Assert.Equal(preview.Select(p => (p.Kind, p.Count)), removed.Select(r => (r.Kind, r.Count)));
        Assert.All(removed, r => Assert.True(r.Count > 0, $"{r.Kind}: nothing removed, so the comparison proves nothing"));
        Assert.All(again, r => Assert.Equal(0, r.Count));
        Assert.Equal(tables, await RowCounts());
        Assert.All(await Sweep().PreviewAsync(CancellationToken.None), p => Assert.Equal(0, p.Count));
    }

    [Fact]
    public async Task Pseudonymising_a_leaver_keeps_the_units_figures_and_removes_their_name_everywhere()
    {
        var (learnerId, unitId, name, email, employeeNumber) = await Leaver();
        app.Clock.Advance(TimeSpan.FromDays(Settings.LeaverMonths * 31 + 2));
        var before = await Figures(unitId);
        Assert.Contains(before.Learners, l => l.Id == learnerId);

        var removed = await Sweep().RunAsync(CancellationToken.None);

        Assert.True(removed.Single(r => r.Kind == RecordKind.Leavers).Count >= 1);
        var after = await Figures(unitId);
        var group = (FollowUpFigures f) => f.InUnits([unitId]).ToList();
        Assert.Equal(before.Courses(group(before)), after.Courses(group(after)));
        Assert.Equal(before.Trend(group(before)), after.Trend(group(after)));
        Assert.Equal(before.Trend(group(before), Course), after.Trend(group(after), Course));
        Assert.Equal(before.IntroductionTrend(group(before)), after.IntroductionTrend(group(after)));

        var person = await app.Query(db => db.Learners.SingleAsync(l => l.Id == learnerId));
        Assert.Equal(Pseudonym.Of(learnerId), person.FullName);
        Assert.False(await app.Query(db => db.Users.AnyAsync(u => u.LearnerId == learnerId)));
        Assert.True(await app.Query(db => db.Enrolments.AnyAsync(e => e.LearnerId == learnerId && e.CompletedAt != null)));
        Assert.True(await app.Query(db => db.Assignments.AnyAsync(a => a.LearnerId == learnerId)));
        Assert.Empty(await TablesHolding(name, email, employeeNumber));
        // The bytes of the file itself (its free space, its write-ahead log) only on SQLite: PostgreSQL's files are the server's.
        if (!AppFixture.OnPostgreSql)
        {
            Assert.Empty(FilesHolding(name, email, employeeNumber));
        }
    }

    [Fact]
    public async Task The_admin_page_shows_what_is_due_and_Gallra_nu_removes_it()
    {
        var planted = await Plant(RecordKind.AuditEntries);
        app.Clock.Advance(Due(RecordKind.AuditEntries, planted.At) - app.UtcNow + TimeSpan.FromDays(1));
        var expected = await Sweep().PreviewAsync(CancellationToken.None);
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");

        var page = await admin.Open("/admin/gallring");

        Assert.Equal("Gallring", page.QuerySelector("h1")!.TextContent);
        var shown = page.QuerySelectorAll("tr[data-kind]").Select(r => (r.GetAttribute("data-kind") ?? "", int.Parse(r.QuerySelector("[data-count]")!.TextContent))).ToList();
        Assert.Equal(expected.Select(e => (e.Kind.ToString(), e.Count)), shown);
        Assert.True(shown.Single(s => s.Item1 == nameof(RecordKind.AuditEntries)).Item2 >= 1);

        var done = await admin.SubmitAndFollow(page, "form[action*='handler=Run']");

        Assert.Contains("Gallringen är klar", done.QuerySelector("[role=status]")!.TextContent);
        Assert.False(await planted.IsKept());
        Assert.All(done.QuerySelectorAll("[data-count]"), cell => Assert.Equal("0", cell.TextContent));
    }

    [Fact]
    public async Task An_open_error_report_stays_however_old_until_an_admin_has_handled_it()
    {
        var open = NewErrorReport(app.UtcNow);
        await Save(db => db.ErrorReports.Add(open));

        app.Clock.Advance(TimeSpan.FromDays(31 * (Settings.ErrorReportMonths + 1)));
        await Sweep().RunAsync(CancellationToken.None);

        Assert.True(await app.Query(db => db.ErrorReports.AnyAsync(r => r.Id == open.Id)), "an open report was removed before anyone handled it");
    }

    private static ErrorReport NewErrorReport(DateTime at) => new()
    {
        CourseId = Course, CourseVersion = "v1", LessonId = "l", LessonTitle = "En lektion",
        Text = "Telefonnumret i lektionen stämmer inte, säger min granne Eva.", ReportedAt = at,
    };

    private RetentionSweep Sweep() => app.Services.CreateScope().ServiceProvider.GetRequiredService<RetentionSweep>();

    /// <summary>When a record of the kind written at <paramref name="at"/> becomes due: its period after it.</summary>
    private DateTime Due(RecordKind kind, DateTime at) => kind switch
    {
        RecordKind.Reflections => at.AddDays(Settings.ReflectionDays),
        RecordKind.Answers => at.AddMonths(Settings.AnswerMonths),
        RecordKind.Reminders or RecordKind.ReminderMails => at.AddMonths(Settings.ReminderMonths),
        RecordKind.MailFiles => at.AddDays(Settings.MailFileDays),
        RecordKind.StaffFiles => at.AddDays(Settings.StaffFileDays),
        RecordKind.Statements or RecordKind.LearningEvents => at.AddMonths(Settings.StatementMonths),
        RecordKind.AuditEntries => at.AddMonths(Settings.AuditMonths),
        RecordKind.ErrorReports => at.AddMonths(Settings.ErrorReportMonths),
        RecordKind.Leavers => at.AddMonths(Settings.LeaverMonths),
        RecordKind.Progress => at.AddMonths(Settings.ProgressMonths),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private sealed record Planted(DateTime At, Func<Task<bool>> IsKept);

    /// <summary>Writes one record of the kind now, as the app would; tells whether it is still there (or, for a leaver, still named).</summary>
    private async Task<Planted> Plant(RecordKind kind)
    {
        var at = app.UtcNow;
        switch (kind)
        {
            case RecordKind.Reflections:
            case RecordKind.Answers:
            {
                var enrolment = Enrolment.Start(await app.LearnerId(await app.NewLearner()), app.Catalog.FindLive(Course)!, at);
                var answer = new Answer
                {
                    LessonId = "l", QuestionId = "q", SubmissionId = Guid.NewGuid(), AnsweredAt = at,
                    Response = kind == RecordKind.Reflections ? "Min pappa har demens." : "a", IsCorrect = kind == RecordKind.Reflections ? null : true,
                };
                enrolment.Answers.Add(answer);
                await Save(db => db.Enrolments.Add(enrolment));
                return new(at, () => app.Query(db => db.Answers.AnyAsync(a => a.Id == answer.Id && a.Response != "")));
            }

            case RecordKind.Reminders:
            {
                var reminder = new Reminder
                {
                    LearnerId = await app.LearnerId(await app.NewLearner()), Kind = ReminderKind.Assigned, Reason = "test:" + Guid.NewGuid(),
                    Date = app.Today, CreatedAt = at,
                };
                await Save(db => db.Reminders.Add(reminder));
                return new(at, () => app.Query(db => db.Reminders.AnyAsync(r => r.Id == reminder.Id)));
            }

            case RecordKind.ReminderMails:
            {
                var mail = new ReminderMail
                {
                    LearnerId = await app.LearnerId(await app.NewLearner()), Day = app.Today, State = ReminderMailState.Sent, NextAttemptAt = at, SentAt = at,
                };
                await Save(db => db.ReminderMails.Add(mail));
                return new(at, () => app.Query(db => db.ReminderMails.AnyAsync(m => m.Id == mail.Id)));
            }

            case RecordKind.MailFiles:
            {
                var before = MailFiles();
                await app.Services.GetRequiredService<Mailer>().SendAsync(new OutgoingMail("a@exempel.se", "A", "Test", "Text", "<p>Text</p>"));
                var file = Assert.Single(MailFiles().Except(before));
                return new(at, () => Task.FromResult(File.Exists(file)));
            }

            case RecordKind.StaffFiles:
            {
                var pending = new PendingImport { Id = Guid.NewGuid(), UploadedBy = "x", FileName = "personal.csv", Content = "Anställningsnummer;Förnamn", UploadedAt = at };
                await Save(db => db.PendingImports.Add(pending));
                return new(at, () => app.Query(db => db.PendingImports.AnyAsync(p => p.Id == pending.Id)));
            }

            case RecordKind.Statements:
            {
                var statement = new StoredStatement { Id = Guid.NewGuid(), Stored = at, VerbId = "http://adlnet.gov/expapi/verbs/experienced", Json = "{}" };
                await Save(db => db.XapiStatements.Add(statement));
                var activity = "https://exempel.se/" + statement.Id;
                await Save(db => db.XapiStatementActivities.Add(new StatementActivity { StatementSequence = statement.Sequence, ActivityId = activity }));
                return new(at, () => app.Query(async db =>
                    await db.XapiStatements.AnyAsync(s => s.Id == statement.Id) | await db.XapiStatementActivities.AnyAsync(a => a.ActivityId == activity)));
            }

            case RecordKind.LearningEvents:
            {
                var enrolment = Enrolment.Start(await app.LearnerId(await app.NewLearner()), app.Catalog.FindLive(Course)!, at);
                await Save(db => db.Enrolments.Add(enrolment));
                var launched = Assert.Single(enrolment.Events).Id;
                return new(at, () => app.Query(db => db.LearningEvents.AnyAsync(e => e.Id == launched)));
            }

            case RecordKind.AuditEntries:
            {
                var entry = new AuditEntry { At = at, UserId = "u", UserName = "Anna Ek", Action = AuditAction.ViewedPeople, Subject = "Personer i en enhet" };
                await Save(db => db.AuditEntries.Add(entry));
                return new(at, () => app.Query(db => db.AuditEntries.AnyAsync(e => e.Id == entry.Id)));
            }

            case RecordKind.ErrorReports:
            {
                var report = NewErrorReport(at);
                report.HandledAt = at;
                await Save(db => db.ErrorReports.Add(report));
                return new(at, () => app.Query(db => db.ErrorReports.AnyAsync(r => r.Id == report.Id)));
            }

            case RecordKind.Leavers:
            {
                var (learnerId, _, _, email, _) = await Leaver();
                return new(at, () => app.Query(db => db.Learners.AnyAsync(l => l.Id == learnerId && l.Email == email)));
            }

            case RecordKind.Progress:
            {
                var (learnerId, _, _, _, _) = await Leaver();
                return new(at, () => app.Query(db => db.Enrolments.AnyAsync(e => e.LearnerId == learnerId)));
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>
    /// Someone employed two years who completed an assigned course ten weeks ago, wrote a reflection, was looked at by a chef and had a
    /// reminder refused by the mail server, and left today.
    /// </summary>
    private async Task<(int LearnerId, int UnitId, string Name, string Email, string EmployeeNumber)> Leaver()
    {
        var email = await app.NewLearner();
        var learnerId = await app.LearnerId(email);
        var employeeNumber = "T" + Guid.NewGuid().ToString("N")[..10];
        var learner = await app.Query(async db =>
        {
            var person = await db.Learners.SingleAsync(l => l.Id == learnerId);
            person.StartDate = app.Today.AddYears(-2);
            person.EmployeeNumber = employeeNumber;
            await db.SaveChangesAsync();
            return person;
        });
        var course = app.Catalog.FindLive(Course)!;
        // Completed well before leaving, so the trend's month ends in between count the completion.
        await app.Assign(email, Course, opensOn: app.Today.AddDays(-100), dueOn: app.Today.AddDays(-40));
        var enrolment = AppFixture.Completed(learnerId, course, app.UtcNow.AddDays(-70));
        enrolment.Answers.Add(new Answer
        {
            LessonId = "l", QuestionId = "reflektion", SubmissionId = Guid.NewGuid(), AnsweredAt = app.UtcNow, Response = $"Jag, {learner.FullName}, tar hand om min mamma.",
        });
        await Save(db => db.Enrolments.Add(enrolment));
        await Save(db => db.AuditEntries.Add(new AuditEntry
        {
            At = app.UtcNow, UserId = "chef", UserName = "En chef", Action = AuditAction.ViewedPerson, Subject = "Person: " + learner.FullName, LearnerId = learnerId,
        }));
        await Save(db => db.ReminderMails.Add(new ReminderMail
        {
            LearnerId = learnerId, Day = app.Today, State = ReminderMailState.Failed, NextAttemptAt = app.UtcNow, LastError = $"550 {email}: no such user",
        }));
        await app.Query(db => db.Learners.Where(l => l.Id == learnerId)
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.IsActive, false).SetProperty(l => l.LeftOn, app.Today)));
        return (learnerId, learner.UnitId, learner.FullName, email, employeeNumber);
    }

    private Task Save(Action<AppDbContext> add) => app.Query(db =>
    {
        add(db);
        return db.SaveChangesAsync();
    });

    private Task<FollowUpFigures> Figures(int unitId) => app.Query(db => FollowUpFigures.LoadAsync(
        db, app.Services.GetRequiredService<IOptions<NanolearningOptions>>().Value, [unitId], app.Today, withNames: false, CancellationToken.None));

    private string[] MailFiles() => Directory.Exists(app.MailFolder) ? Directory.GetFiles(app.MailFolder, "*.eml") : [];

    /// <summary>Every table's row count, read straight from the database.</summary>
    private async Task<Dictionary<string, long>> RowCounts()
    {
        await using var connection = app.OpenDatabase();
        var counts = new Dictionary<string, long>();
        foreach (var table in AppFixture.Tables(connection))
        {
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            counts[table] = (long)(await count.ExecuteScalarAsync())!;
        }

        return counts;
    }

    /// <summary>The tables (and columns) of the database where any of <paramref name="words"/> appears in any value.</summary>
    private async Task<List<string>> TablesHolding(params string[] words)
    {
        await using var connection = app.OpenDatabase();
        var found = new List<string>();
        foreach (var table in AppFixture.Tables(connection))
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var rows = await select.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                for (var i = 0; i < rows.FieldCount; i++)
                {
                    if (!rows.IsDBNull(i) && rows.GetValue(i) is string text
                        && words.FirstOrDefault(w => text.Contains(w, StringComparison.OrdinalIgnoreCase)) is { } word)
                    {
                        found.Add($"{table}.{rows.GetName(i)}: {word}");
                    }
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Which of the database's files (the file and its write-ahead log) still hold any of <paramref name="words"/>,
    /// byte for byte, in a table, an index or free space.
    /// </summary>
    private List<string> FilesHolding(params string[] words)
    {
        var found = new List<string>();
        foreach (var path in new[] { app.DatabaseFile, app.DatabaseFile + "-wal" }.Where(File.Exists))
        {
            // Read while the app has the file open; Latin-1 maps every byte to one char, so ASCII words match as bytes.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
            var bytes = reader.ReadToEnd();
            found.AddRange(words.Where(w => bytes.Contains(w, StringComparison.OrdinalIgnoreCase)).Select(w => $"{Path.GetFileName(path)}: {w}"));
        }

        return found;
    }
}
