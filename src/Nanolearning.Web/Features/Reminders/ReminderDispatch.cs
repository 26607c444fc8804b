using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// Runs every minute: sends again the mails whose sender died mid-send, bundles waiting reminders into the day's
/// one e-mail per person (inside sending hours only), and enqueues the mails due now in batches for
/// <see cref="ReminderSender"/>. Everything it decides is in the database, so a lost queue loses nothing.
/// </summary>
public sealed class ReminderDispatch(AppDbContext db, IBackgroundJobClient jobs, IOptions<ReminderOptions> options, TimeProvider time, ILogger<ReminderDispatch> log)
{
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
    /// A mail still Sending a lease after its claim: the sender stopped (a crash, a restart) between taking it and
    /// recording the outcome. Nobody knows whether the server got it, so it is sent again with the same Message-ID:
    /// at least once, and twice only when the stop fell between the server's answer and our write. A mail cut off
    /// <see cref="ReminderOptions.MaxAttempts"/> times may be what stops the sender: it waits for an admin instead.
    /// </summary>
    private async Task<int> ReconcileAsync(DateTime now, CancellationToken cancel)
    {
        var claimedBefore = now - options.Value.Lease;
        var stale = db.ReminderMails.Where(m => m.State == ReminderMailState.Sending && m.ClaimedAt < claimedBefore);
        var uncertain = await stale.Where(m => m.Attempts >= options.Value.MaxAttempts)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, ReminderMailState.Uncertain)
                .SetProperty(m => m.LastErrorCode, (int?)null)
                .SetProperty(m => m.LastError, "Sändningen avbröts gång på gång innan den hann registreras. Brevet kan ha kommit fram och skickas inte igen utan att någon ber om det."), cancel);
        var retried = await stale
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, ReminderMailState.Pending)
                .SetProperty(m => m.NextAttemptAt, now)
                .SetProperty(m => m.LastErrorCode, (int?)null)
                .SetProperty(m => m.LastError, "Sändningen avbröts innan den hann registreras. Brevet skickas igen med samma Message-ID."), cancel);
        if (uncertain + retried > 0)
        {
            log.LogWarning("{Retried} reminder e-mails were interrupted while sending and are sent again; {Uncertain} were interrupted too often and wait for an admin.", retried, uncertain);
        }

        return retried + uncertain;
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
        var due = db.ReminderMails
            .Where(m => m.State == ReminderMailState.Pending && m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
            .Select(m => m.Id);
        var pause = await db.DeliveryProblems.AsNoTracking().SingleOrDefaultAsync(p => p.Channel == DeliveryProblem.Smtp && p.Refusing, cancel);
        List<long> sending;
        if (pause is null)
        {
            sending = await due.ToListAsync(cancel);
        }
        else if (pause.PausedUntil > now)
        {
            return [];
        }
        else
        {
            // The server refused everything: one e-mail tests whether it is fixed, and the pause runs on until it tells.
            sending = await due.Take(1).ToListAsync(cancel);
            await db.DeliveryProblems.Where(p => p.Channel == DeliveryProblem.Smtp)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.PausedUntil, now + options.Value.ProbeEvery), cancel);
        }

        var jobIds = new List<string>();
        foreach (var batch in sending.Chunk(options.Value.BatchSize))
        {
            // The lease first: if this instance stops before the job runs, the mails come back after it.
            var leased = now + options.Value.Lease;
            await db.ReminderMails.Where(m => batch.Contains(m.Id)).ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, leased), cancel);
            jobIds.Add(jobs.Enqueue<ReminderSender>(sender => sender.SendAsync(batch, CancellationToken.None)));
        }

        return jobIds;
    }
}

/// <summary>What a dispatch did: mails found interrupted (sent again, or left for an admin), mails made, and the sending jobs it enqueued.</summary>
public sealed record DispatchResult(int Interrupted, int Bundled, IReadOnlyList<string> SendingJobs);
