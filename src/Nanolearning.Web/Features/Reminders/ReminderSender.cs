using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// Sends a batch of the day's e-mails over one SMTP connection. Each mail is claimed (Pending → Sending) in one
/// UPDATE before it is written, so two jobs with the same mail send it once; after the send it is recorded as
/// Sent. A failure puts it back with a later attempt time (back-off), or marks it Failed after the last attempt
/// or when the server refuses it for good.
/// </summary>
public sealed class ReminderSender(AppDbContext db, ReminderLetter letter, Mailer mailer, ReminderLinks links, IOptions<ReminderOptions> options, TimeProvider time, ILogger<ReminderSender> log)
{
    /// <summary>Waits after the first, second … failed attempt; the last repeats.</summary>
    public static readonly TimeSpan[] BackOff =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(4)];

    // The outbox retries on its own schedule; Hangfire's retries would only send the same batch sooner.
    [AutomaticRetry(Attempts = 0)]
    public async Task<SendResult> SendAsync(long[] mailIds, CancellationToken cancel = default)
    {
        var result = new SendResult();
        await using var session = mailer.OpenSession();
        for (var i = 0; i < mailIds.Length; i++)
        {
            var id = mailIds[i];
            if (!options.Value.MaySendAt(time.GetUtcNow()))
            {
                // Quiet hours began while the batch waited: the rest go with the first dispatch in the morning.
                await PostponeAsync(mailIds[i..], time.GetUtcNow().UtcDateTime, cancel);
                break;
            }

            // Written before the claim: if writing fails, the mail is still Pending, not mistaken for one cut off mid-send.
            var mail = await letter.ComposeAsync(id, cancel);
            var now = time.GetUtcNow().UtcDateTime;
            var claimed = await db.ReminderMails
                .Where(m => m.Id == id && m.State == ReminderMailState.Pending)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, ReminderMailState.Sending)
                    .SetProperty(m => m.ClaimedAt, now)
                    .SetProperty(m => m.Attempts, m => m.Attempts + 1), cancel);
            if (claimed == 0)
            {
                continue;
            }

            if (mail is null)
            {
                await RecordAsync(id, ReminderMailState.Dropped, null, null, cancel);
                result = result with { Dropped = result.Dropped + 1 };
                continue;
            }

            try
            {
                await session.SendAsync(mail with { MessageId = MessageId(id) }, cancel);
                await RecordAsync(id, ReminderMailState.Sent, null, null, cancel);
                result = result with { Sent = result.Sent + 1 };
            }
            catch (MailDeliveryFailed failure)
            {
                var retryAt = await FailedAsync(id, failure, cancel);
                result = result with { Failed = result.Failed + 1 };
                if (!failure.Permanent)
                {
                    // The server is down or busy: the rest of the batch waits as long as this one, without an attempt
                    // of its own, instead of each waiting out its timeout now.
                    await PostponeAsync(mailIds[(i + 1)..], retryAt, cancel);
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>The mails of the batch not tried yet become due at <paramref name="at"/>, no attempt counted.</summary>
    private Task PostponeAsync(long[] mailIds, DateTime at, CancellationToken cancel) =>
        db.ReminderMails.Where(m => mailIds.Contains(m.Id) && m.State == ReminderMailState.Pending)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.NextAttemptAt, at), cancel);

    /// <summary>Records the failed attempt; returns when the mail is due again.</summary>
    private async Task<DateTime> FailedAsync(long id, MailDeliveryFailed failure, CancellationToken cancel)
    {
        var attempts = await db.ReminderMails.Where(m => m.Id == id).Select(m => m.Attempts).SingleAsync(cancel);
        var giveUp = failure.Permanent || attempts >= options.Value.MaxAttempts;
        var retryAt = time.GetUtcNow().UtcDateTime + BackOff[Math.Min(attempts, BackOff.Length) - 1];
        var error = failure.Message.Length > 1000 ? failure.Message[..1000] : failure.Message;
        await RecordAsync(id, giveUp ? ReminderMailState.Failed : ReminderMailState.Pending, retryAt, error, cancel);
        log.LogWarning("Reminder e-mail {Id}, attempt {Attempts}: {Outcome}.", id, attempts, giveUp ? "failed for good" : $"retry at {retryAt:u}");
        return retryAt;
    }

    private Task RecordAsync(long id, ReminderMailState state, DateTime? retryAt, string? error, CancellationToken cancel)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.ReminderMails.Where(m => m.Id == id).ExecuteUpdateAsync(set =>
        {
            set.SetProperty(m => m.State, state);
            if (state == ReminderMailState.Sent)
            {
                set.SetProperty(m => m.SentAt, now);
            }

            if (retryAt is { } at)
            {
                set.SetProperty(m => m.NextAttemptAt, at);
            }

            if (error is not null)
            {
                set.SetProperty(m => m.LastError, error);
            }
        }, cancel);
    }

    /// <summary>The same id on every attempt, so a mail program can tell a repeat the server got twice.</summary>
    private string MessageId(long id) => $"paminnelse-{id}@{new Uri(links.Absolute("/")).Host}";
}

public readonly record struct SendResult(int Sent, int Failed, int Dropped);
