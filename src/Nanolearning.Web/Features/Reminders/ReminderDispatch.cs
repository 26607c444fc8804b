using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// Runs every minute: marks mails whose sender died mid-send as uncertain, bundles waiting reminders into the day's
/// one e-mail per person (inside sending hours only), and enqueues the mails due now in batches for
/// <see cref="ReminderSender"/>. Everything it decides is in the database, so a lost queue loses nothing.
/// </summary>
public sealed class ReminderDispatch(AppDbContext db, IBackgroundJobClient jobs, IOptions<ReminderOptions> options, TimeProvider time, ILogger<ReminderDispatch> log)
{
    /// <summary>A sender that has held a mail this long has stopped: sending one batch takes far less.</summary>
    public static readonly TimeSpan StaleClaim = TimeSpan.FromMinutes(15);

    /// <summary>How long an enqueued mail is left to its job before it is enqueued again (the queue may have been lost).</summary>
    public static readonly TimeSpan QueueLease = TimeSpan.FromMinutes(10);

    public async Task<DispatchResult> RunAsync(CancellationToken cancel = default)
    {
        var now = time.GetUtcNow();
        var uncertain = await ReconcileAsync(now.UtcDateTime, cancel);
        if (!options.Value.MaySendAt(now))
        {
            return new DispatchResult(uncertain, 0, []);
        }

        var bundled = await BundleAsync(Format.Today(time), now.UtcDateTime, cancel);
        var jobIds = await EnqueueAsync(now.UtcDateTime, cancel);
        return new DispatchResult(uncertain, bundled, jobIds);
    }

    /// <summary>
    /// A mail still Sending long after its claim: the sender stopped between handing it to the mail server and
    /// recording that. It may have arrived, so it is not sent again; admins see it and may send it again by hand.
    /// </summary>
    private async Task<int> ReconcileAsync(DateTime now, CancellationToken cancel)
    {
        var claimedBefore = now - StaleClaim;
        var uncertain = await db.ReminderMails
            .Where(m => m.State == ReminderMailState.Sending && m.ClaimedAt < claimedBefore)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, ReminderMailState.Uncertain)
                .SetProperty(m => m.LastError, "Sändningen avbröts innan den hann registreras. Brevet kan ha kommit fram och skickas inte igen automatiskt."), cancel);
        if (uncertain > 0)
        {
            log.LogWarning("{Count} reminder e-mails were interrupted while sending and are marked uncertain.", uncertain);
        }

        return uncertain;
    }

    /// <summary>
    /// One e-mail today for everyone with waiting reminders who has not had one today; their reminders join it.
    /// Reminders of people who already had today's e-mail wait for tomorrow's. Two SQL statements, safe to race:
    /// the unique (learner, day) lets only one mail in, and reminders join only a mail no sender has taken yet.
    /// </summary>
    public async Task<int> BundleAsync(DateOnly today, DateTime now, CancellationToken cancel = default)
    {
        var created = await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO "ReminderMails" ("LearnerId", "Day", "State", "Attempts", "NextAttemptAt")
            SELECT DISTINCT r."LearnerId", {0}, {1}, 0, {2} FROM "Reminders" AS r
            WHERE r."MailId" IS NULL AND r."Date" <= {0}
            ON CONFLICT DO NOTHING
            """,
            [today, nameof(ReminderMailState.Pending), now], cancel);
        var pending = db.ReminderMails.Where(m => m.Day == today && m.State == ReminderMailState.Pending);
        await db.Reminders
            .Where(r => r.MailId == null && r.Date <= today && pending.Any(m => m.LearnerId == r.LearnerId))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.MailId, r => pending.Where(m => m.LearnerId == r.LearnerId).Select(m => (long?)m.Id).First()), cancel);
        return created;
    }

    private async Task<List<string>> EnqueueAsync(DateTime now, CancellationToken cancel)
    {
        var due = await db.ReminderMails
            .Where(m => m.State == ReminderMailState.Pending && m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt)
            .Select(m => m.Id)
            .ToListAsync(cancel);
        var jobIds = new List<string>();
        foreach (var batch in due.Chunk(options.Value.BatchSize))
        {
            // The lease first: if this instance stops before the job runs, the mails come back after it.
            var leased = now + QueueLease;
            await db.ReminderMails.Where(m => batch.Contains(m.Id)).ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, leased), cancel);
            jobIds.Add(jobs.Enqueue<ReminderSender>(sender => sender.SendAsync(batch, CancellationToken.None)));
        }

        return jobIds;
    }
}

/// <summary>What a dispatch did: mails found interrupted, mails made, and the sending jobs it enqueued.</summary>
public sealed record DispatchResult(int Uncertain, int Bundled, IReadOnlyList<string> SendingJobs);
