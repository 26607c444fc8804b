using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.ErrorReports;
using Nanolearning.Web.Features.FollowUp;
using Nanolearning.Web.Features.HrImport;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Features.Mail;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Features.Xapi;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Retention;

/// <summary>
/// Gallring: removes what has been kept for its retention period (<see cref="RetentionOptions"/>), and pseudonymises
/// leavers. The preview and the run ask the same queries, so the admin page's counts are what the run removes; what
/// is due is decided by the database and the clock alone, so a second run finds nothing left. Deletes go in batches,
/// each in its own write transaction, so learners' saves get the SQLite writer between them.
/// </summary>
public sealed class RetentionSweep(
    AppDbContext db, IOptions<RetentionOptions> options, Mailer mailer, TimeProvider time, ILogger<RetentionSweep> log)
{
    private const int BatchSize = 500;

    private readonly RetentionOptions _settings = options.Value;

    /// <summary>What a run now would remove, per kind of record, in the order the run takes them.</summary>
    public async Task<IReadOnlyList<RetentionCount>> PreviewAsync(CancellationToken cancel)
    {
        var cutoffs = Cutoffs.Of(_settings, time);
        var counts = new List<RetentionCount>();
        foreach (var kind in Enum.GetValues<RecordKind>())
        {
            counts.Add(new RetentionCount(kind, cutoffs.For(kind), await CountAsync(kind, cutoffs, cancel)));
        }

        return counts;
    }

    /// <summary>Removes (or pseudonymises) everything due; returns how many of each kind it took.</summary>
    public async Task<IReadOnlyList<RetentionCount>> RunAsync(CancellationToken cancel)
    {
        var cutoffs = Cutoffs.Of(_settings, time);
        var counts = new List<RetentionCount>();
        // In the order of the enum: the kinds that remove parts of a record (a reflection's text, an answer) come
        // before pseudonymisation and the enrolments' removal, which would otherwise take those parts uncounted.
        foreach (var kind in Enum.GetValues<RecordKind>())
        {
            counts.Add(new RetentionCount(kind, cutoffs.For(kind), await ApplyAsync(kind, cutoffs, cancel)));
        }

        await CheckpointAsync(cancel);
        // Counts only: what was removed is personal data and stays out of the log.
        log.LogInformation("Gallring: {Counts}.", string.Join(", ", counts.Select(c => $"{c.Kind} {c.Count}")));
        return counts;
    }

    /// <summary>
    /// On SQLite, copies the write-ahead log into the database file and empties it: the log still holds the pages as
    /// they were before the run, names included, until then. Secure delete (<see cref="Database"/>) has zeroed the
    /// freed space in the new pages. A reader busy at the moment leaves the rest to SQLite's next checkpoint.
    /// </summary>
    private async Task CheckpointAsync(CancellationToken cancel)
    {
        if (!db.Database.IsSqlite())
        {
            return;
        }

        var writer = SqliteWriteQueue.For(db.Database.GetDbConnection().DataSource);
        await writer.WaitAsync(cancel);
        try
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancel);
        }
        finally
        {
            writer.Release();
        }
    }

    private Task<int> CountAsync(RecordKind kind, Cutoffs cutoffs, CancellationToken cancel) => kind switch
    {
        RecordKind.Reflections => Reflections(cutoffs).CountAsync(cancel),
        RecordKind.Answers => Answers(cutoffs).CountAsync(cancel),
        RecordKind.Reminders => Reminders(cutoffs).CountAsync(cancel),
        RecordKind.ReminderMails => ReminderMails(cutoffs).CountAsync(cancel),
        RecordKind.MailFiles => Task.FromResult(MailFiles(cutoffs).Count()),
        RecordKind.StaffFiles => StaffFiles(cutoffs).CountAsync(cancel),
        RecordKind.Statements => Statements(cutoffs).CountAsync(cancel),
        RecordKind.LearningEvents => LearningEvents(cutoffs).CountAsync(cancel),
        RecordKind.AuditEntries => AuditEntries(cutoffs).CountAsync(cancel),
        RecordKind.ErrorReports => ErrorReports(cutoffs).CountAsync(cancel),
        RecordKind.Leavers => Leavers(cutoffs).CountAsync(cancel),
        RecordKind.Progress => Progress(cutoffs).CountAsync(cancel),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private Task<int> ApplyAsync(RecordKind kind, Cutoffs cutoffs, CancellationToken cancel) => kind switch
    {
        // Emptied, not deleted: that the learner answered still counts, what they wrote goes.
        RecordKind.Reflections => InBatchesAsync(
            () => Reflections(cutoffs).OrderBy(a => a.Id).Take(BatchSize)
                .ExecuteUpdateAsync(set => set.SetProperty(a => a.Response, ""), cancel),
            cancel),
        RecordKind.Answers => InBatchesAsync(() => Answers(cutoffs).OrderBy(a => a.Id).Take(BatchSize).ExecuteDeleteAsync(cancel), cancel),
        RecordKind.Reminders => InBatchesAsync(() => Reminders(cutoffs).OrderBy(r => r.Id).Take(BatchSize).ExecuteDeleteAsync(cancel), cancel),
        RecordKind.ReminderMails => InBatchesAsync(() => ReminderMails(cutoffs).OrderBy(m => m.Id).Take(BatchSize).ExecuteDeleteAsync(cancel), cancel),
        RecordKind.MailFiles => Task.FromResult(DeleteMailFiles(cutoffs)),
        RecordKind.StaffFiles => InBatchesAsync(() => StaffFiles(cutoffs).OrderBy(p => p.Id).Take(BatchSize).ExecuteDeleteAsync(cancel), cancel),
        RecordKind.Statements => InBatchesAsync(() => DeleteStatementsAsync(cutoffs, cancel), cancel),
        RecordKind.LearningEvents => InBatchesAsync(() => LearningEvents(cutoffs).OrderBy(e => e.Id).Take(BatchSize).ExecuteDeleteAsync(cancel), cancel),
        RecordKind.AuditEntries => InBatchesAsync(() => AuditEntries(cutoffs).OrderBy(e => e.Id).Take(BatchSize).ExecuteDeleteAsync(cancel), cancel),
        RecordKind.ErrorReports => InBatchesAsync(() => ErrorReports(cutoffs).OrderBy(r => r.Id).Take(BatchSize).ExecuteDeleteAsync(cancel), cancel),
        RecordKind.Leavers => PseudonymiseLeaversAsync(cutoffs, cancel),
        // The database removes each enrolment's lessons, quiz attempts, answers and learning events with it.
        RecordKind.Progress => InBatchesAsync(() => Progress(cutoffs).OrderBy(e => e.Id).Take(BatchSize).ExecuteDeleteAsync(cancel), cancel),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private IQueryable<Answer> Reflections(Cutoffs cutoffs) =>
        db.Answers.Where(a => a.IsCorrect == null && a.Response != "" && a.AnsweredAt < cutoffs.Reflections);

    private IQueryable<Answer> Answers(Cutoffs cutoffs) =>
        db.Answers.Where(a => a.IsCorrect != null && a.AnsweredAt < cutoffs.Answers);

    private IQueryable<Reminder> Reminders(Cutoffs cutoffs) =>
        db.Reminders.Where(r => r.Date < cutoffs.RemindersDay);

    private IQueryable<ReminderMail> ReminderMails(Cutoffs cutoffs) =>
        db.ReminderMails.Where(m => m.Day < cutoffs.RemindersDay);

    private IQueryable<PendingImport> StaffFiles(Cutoffs cutoffs) =>
        db.PendingImports.Where(p => p.UploadedAt < cutoffs.StaffFiles);

    private IQueryable<StoredStatement> Statements(Cutoffs cutoffs) =>
        db.XapiStatements.Where(s => s.Stored < cutoffs.Statements);

    private IQueryable<LearningEvent> LearningEvents(Cutoffs cutoffs) =>
        db.LearningEvents.Where(e => e.OccurredAt < cutoffs.Statements);

    private IQueryable<AuditEntry> AuditEntries(Cutoffs cutoffs) =>
        db.AuditEntries.Where(e => e.At < cutoffs.AuditEntries);

    /// <summary>Handled error reports past their period, counted from when they were handled; open ones stay.</summary>
    private IQueryable<ErrorReport> ErrorReports(Cutoffs cutoffs) =>
        db.ErrorReports.Where(r => r.HandledAt != null && r.HandledAt < cutoffs.ErrorReports);

    /// <summary>Leavers past their period not yet pseudonymised. An inactive person without a leaving day is never due.</summary>
    private IQueryable<Learner> Leavers(Cutoffs cutoffs) =>
        db.Learners.Where(l => !l.IsActive && l.LeftOn < cutoffs.LeaversDay && l.PseudonymisedOn == null);

    private IQueryable<Enrolment> Progress(Cutoffs cutoffs) =>
        db.Enrolments.Where(e => db.Learners.Any(l => l.Id == e.LearnerId && !l.IsActive && l.LeftOn < cutoffs.ProgressDay));

    /// <summary>Runs one batch at a time, each in its own write transaction, until a batch comes back short.</summary>
    private async Task<int> InBatchesAsync(Func<Task<int>> batch, CancellationToken cancel)
    {
        var total = 0;
        while (true)
        {
            int done;
            await using (var transaction = await db.BeginWriteTransactionAsync(cancel))
            {
                done = await batch();
                await transaction.CommitAsync(cancel);
            }

            total += done;
            if (done < BatchSize)
            {
                return total;
            }
        }
    }

    /// <summary>One batch of statements with the rows that index their activities and agents (no foreign key ties them).</summary>
    private async Task<int> DeleteStatementsAsync(Cutoffs cutoffs, CancellationToken cancel)
    {
        var sequences = await Statements(cutoffs).OrderBy(s => s.Sequence).Take(BatchSize).Select(s => s.Sequence).ToListAsync(cancel);
        if (sequences.Count == 0)
        {
            return 0;
        }

        await db.XapiStatementActivities.Where(a => sequences.Contains(a.StatementSequence)).ExecuteDeleteAsync(cancel);
        await db.XapiStatementAgents.Where(a => sequences.Contains(a.StatementSequence)).ExecuteDeleteAsync(cancel);
        return await db.XapiStatements.Where(s => sequences.Contains(s.Sequence)).ExecuteDeleteAsync(cancel);
    }

    /// <summary>
    /// Replaces a leaver's name, e-mail and employee number with a pseudonym, deletes their login and empties their free
    /// texts, one person per transaction. Their unit, dates, assignments and enrolments stay, so the follow-up figures
    /// stay as they were.
    /// </summary>
    private async Task<int> PseudonymiseLeaversAsync(Cutoffs cutoffs, CancellationToken cancel)
    {
        var total = 0;
        while (true)
        {
            var leavers = await Leavers(cutoffs).OrderBy(l => l.Id).Take(BatchSize)
                .Select(l => new { l.Id, l.FirstName, l.LastName, l.Email })
                .ToListAsync(cancel);
            foreach (var leaver in leavers)
            {
                await using var transaction = await db.BeginWriteTransactionAsync(cancel);
                await PseudonymiseAsync(leaver.Id, leaver.FirstName + " " + leaver.LastName, leaver.Email, cutoffs.Today, cancel);
                await transaction.CommitAsync(cancel);
            }

            total += leavers.Count;
            if (leavers.Count < BatchSize)
            {
                return total;
            }
        }
    }

    private async Task PseudonymiseAsync(int learnerId, string fullName, string email, DateOnly today, CancellationToken cancel)
    {
        var pseudonym = Pseudonym.Of(learnerId);
        var lastName = Pseudonym.LastNameOf(learnerId);
        var employeeNumber = Pseudonym.EmployeeNumberPrefix + learnerId;
        var logins = await db.Users.Where(u => u.LearnerId == learnerId).Select(u => u.Id).ToListAsync(cancel);

        // The granskningslogg keeps who looked at whom, under the pseudonym instead of the name.
        await db.AuditEntries.Where(e => logins.Contains(e.UserId))
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.UserName, pseudonym), cancel);
        await db.AuditEntries.Where(e => e.Subject.Contains(fullName))
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.Subject, e => e.Subject.Replace(fullName, pseudonym)), cancel);
        if (email.Length > 0)
        {
            await db.AuditEntries.Where(e => e.Subject.Contains(email) || e.UserName.Contains(email))
                .ExecuteUpdateAsync(set => set
                    .SetProperty(e => e.Subject, e => e.Subject.Replace(email, pseudonym))
                    .SetProperty(e => e.UserName, e => e.UserName.Replace(email, pseudonym)), cancel);
        }

        // Identity removes the login's roles, external logins and tokens with it.
        await db.Users.Where(u => u.LearnerId == learnerId).ExecuteDeleteAsync(cancel);

        var enrolments = db.Enrolments.Where(e => e.LearnerId == learnerId).Select(e => e.Id);
        await db.Answers.Where(a => enrolments.Contains(a.EnrolmentId) && a.IsCorrect == null && a.Response != "")
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.Response, ""), cancel);
        await db.LearningEvents.Where(e => e.LearnerId == learnerId && e.Success == null && e.Response != null)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.Response, (string?)null), cancel);
        // A mail server's refusal may quote the address.
        await db.ReminderMails.Where(m => m.LearnerId == learnerId && m.LastError != null)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.LastError, (string?)null), cancel);

        await db.Learners.Where(l => l.Id == learnerId).ExecuteUpdateAsync(set => set
            .SetProperty(l => l.FirstName, Pseudonym.FirstName)
            .SetProperty(l => l.LastName, lastName)
            .SetProperty(l => l.Email, "")
            // Still set for an employee (the figures tell employees from politicians by it), but no longer theirs.
            .SetProperty(l => l.EmployeeNumber, l => l.EmployeeNumber == null ? null : employeeNumber)
            .SetProperty(l => l.JobTitle, (string?)null)
            .SetProperty(l => l.PseudonymisedOn, today), cancel);
    }

    /// <summary>Pickup-folder messages named with a write time before the cut-off; the app names them by its clock.</summary>
    private IEnumerable<string> MailFiles(Cutoffs cutoffs)
    {
        if (!Directory.Exists(mailer.PickupFolder))
        {
            return [];
        }

        return Directory.EnumerateFiles(mailer.PickupFolder, "*" + MailPickup.Extension)
            .Where(path => WrittenAt(Path.GetFileName(path)) is { } written && written < cutoffs.MailFiles)
            .ToList();
    }

    private int DeleteMailFiles(Cutoffs cutoffs)
    {
        var deleted = 0;
        foreach (var path in MailFiles(cutoffs))
        {
            try
            {
                File.Delete(path);
                deleted++;
            }
            catch (IOException failure)
            {
                // The next run tries again; the admin page keeps counting it until then.
                log.LogWarning(failure, "Gallring could not delete a mail file in the pickup folder.");
            }
        }

        return deleted;
    }

    /// <summary>The time in a pickup file's name (<c>20261116T090000123-…</c>), or null for a file not named by the app.</summary>
    internal static DateTime? WrittenAt(string fileName) =>
        fileName.Length > 18 && DateTime.TryParseExact(fileName[..18], "yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var written)
            ? written
            : null;
}

/// <summary>The kinds of record gallring removes, in the order a run takes them.</summary>
public enum RecordKind
{
    Reflections,
    Answers,
    Reminders,
    ReminderMails,
    MailFiles,
    StaffFiles,
    Statements,
    LearningEvents,
    AuditEntries,
    ErrorReports,
    Leavers,
    Progress,
}

/// <summary>How many records of a kind are due (or were removed), and the cut-off: what is older goes.</summary>
public sealed record RetentionCount(RecordKind Kind, DateTime Cutoff, int Count);

/// <summary>What a pseudonymised leaver is called instead: "Borttagen person 123", by the learner's id.</summary>
public static class Pseudonym
{
    public const string FirstName = "Borttagen";

    public const string EmployeeNumberPrefix = "borttagen-";

    public static string LastNameOf(int learnerId) => $"person {learnerId}";

    public static string Of(int learnerId) => $"{FirstName} {LastNameOf(learnerId)}";
}

/// <summary>The cut-off of each kind on one run: records from before it are due.</summary>
internal sealed record Cutoffs(
    DateOnly Today,
    DateTime Reflections,
    DateTime Answers,
    DateOnly RemindersDay,
    DateTime MailFiles,
    DateTime StaffFiles,
    DateTime Statements,
    DateTime AuditEntries,
    DateTime ErrorReports,
    DateOnly LeaversDay,
    DateOnly ProgressDay)
{
    public static Cutoffs Of(RetentionOptions settings, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var today = Format.Today(time);
        return new Cutoffs(
            today,
            now.AddDays(-settings.ReflectionDays),
            now.AddMonths(-settings.AnswerMonths),
            today.AddMonths(-settings.ReminderMonths),
            now.AddDays(-settings.MailFileDays),
            now.AddDays(-settings.StaffFileDays),
            now.AddMonths(-settings.StatementMonths),
            now.AddMonths(-settings.AuditMonths),
            now.AddMonths(-settings.ErrorReportMonths),
            today.AddMonths(-settings.LeaverMonths),
            today.AddMonths(-settings.ProgressMonths));
    }

    /// <summary>The cut-off as an instant, for the admin page: a day's cut-off is the start of that Swedish day.</summary>
    public DateTime For(RecordKind kind) => kind switch
    {
        RecordKind.Reflections => Reflections,
        RecordKind.Answers => Answers,
        RecordKind.Reminders or RecordKind.ReminderMails => Format.StartOfDayUtc(RemindersDay),
        RecordKind.MailFiles => MailFiles,
        RecordKind.StaffFiles => StaffFiles,
        RecordKind.Statements or RecordKind.LearningEvents => Statements,
        RecordKind.AuditEntries => AuditEntries,
        RecordKind.ErrorReports => ErrorReports,
        RecordKind.Leavers => Format.StartOfDayUtc(LeaversDay),
        RecordKind.Progress => Format.StartOfDayUtc(ProgressDay),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
