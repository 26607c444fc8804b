using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// Sends a batch of the day's e-mails over one SMTP connection. Each mail is claimed (Pending → Sending) in one
/// UPDATE before it is written, so two jobs with the same mail send it once; after the send it is recorded as
/// Sent. A failure puts it back with a later attempt time (back-off), or marks it Failed after the last attempt
/// or when the server refuses it for good. A server that refuses everything (its login, our sender, or the same
/// 5xx for <see cref="SameRefusalsToPause"/> different people in a row) pauses sending instead (<see cref="DeliveryProblem"/>).
/// </summary>
public sealed class ReminderSender(AppDbContext db, ReminderLetter letter, Mailer mailer, ReminderLinks links, IOptions<ReminderOptions> options, TimeProvider time, ILogger<ReminderSender> log)
{
    /// <summary>Waits after the first, second … failed attempt; the last repeats.</summary>
    public static readonly TimeSpan[] BackOff =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(4)];

    /// <summary>
    /// This many different recipients refused in a row with the same 5xx is the server refusing everything (a relay,
    /// login or policy rule), not each of them having a bad address.
    /// </summary>
    public const int SameRefusalsToPause = 3;

    // The outbox retries on its own schedule; Hangfire's retries would only send the same batch sooner.
    [AutomaticRetry(Attempts = 0)]
    public async Task<SendResult> SendAsync(long[] mailIds, CancellationToken cancel = default)
    {
        var result = new SendResult();
        // While the server refuses everything, this batch is the one test send: the same answer again keeps the pause.
        var refusal = await db.DeliveryProblems.AsNoTracking().Where(p => p.Channel == DeliveryProblem.Smtp && p.Refusing)
            .Select(p => p.Code).FirstOrDefaultAsync(cancel);
        var channelWorks = false;
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
                await RecordAsync(id, ReminderMailState.Dropped, null, null, null, cancel);
                result = result with { Dropped = result.Dropped + 1 };
                continue;
            }

            try
            {
                await session.SendAsync(mail with { MessageId = MessageId(id) }, cancel);
                await RecordAsync(id, ReminderMailState.Sent, null, null, null, cancel);
                result = result with { Sent = result.Sent + 1 };
                if (!channelWorks)
                {
                    // A message went through: whatever was wrong with the server is over, a pause included.
                    channelWorks = true;
                    refusal = null;
                    if (await DeliveryProblem.ClearAsync(db, DeliveryProblem.Smtp, cancel) > 0)
                    {
                        log.LogInformation("The mail server takes e-mail again; reminders are sent as usual.");
                    }
                }
            }
            catch (MailDeliveryFailed failure)
            {
                channelWorks = false;
                long[] refused = [id];
                if (failure.Permanent && !failure.WholeServer)
                {
                    // The same 5xx for different people in a row, or the refusal the pause is about: the server's,
                    // not theirs. A refusal that names the mailbox (5.1.x, an unknown address) is only ever theirs.
                    var aboutMailbox = SmtpReplies.IsAboutMailbox(failure.ServerText);
                    long[] before = aboutMailbox ? [] : await RefusedJustBeforeAsync(id, now, mail.ToAddress, failure.Code, cancel);
                    if (aboutMailbox || (before.Length + 1 < SameRefusalsToPause && !(refusal is { } paused && paused == failure.Code)))
                    {
                        await FailedAsync(id, failure, cancel);
                        result = result with { Failed = result.Failed + 1 };
                        continue;
                    }

                    refused = [.. before, id];
                }

                if (failure.WholeServer || failure.Permanent)
                {
                    var until = await PauseAsync(refused, failure, cancel);
                    result = result with { Failed = result.Failed + 1 };
                    await PostponeAsync(mailIds[(i + 1)..], until, cancel);
                    break;
                }

                // The server is down or busy: the rest of the batch waits as long as this one, without an attempt
                // of its own, instead of each waiting out its timeout now.
                var retryAt = await FailedAsync(id, failure, cancel);
                result = result with { Failed = result.Failed + 1 };
                await DeliveryProblem.RecordAsync(db, DeliveryProblem.Smtp, time.GetUtcNow().UtcDateTime, refusing: false, pausedUntil: null,
                    failure.Code, ServerSaid(failure), cancel);
                await PostponeAsync(mailIds[(i + 1)..], retryAt, cancel);
                break;
            }
        }

        return result;
    }

    /// <summary>
    /// The mails tried just before this one, across batches and dispatch runs (a small kommun may have one mail a run),
    /// that the server refused for good with the same code, one after another and to other people: up to
    /// <see cref="SameRefusalsToPause"/> - 1 of them, newest first.
    /// </summary>
    private async Task<long[]> RefusedJustBeforeAsync(long id, DateTime claimedAt, string address, int? code, CancellationToken cancel)
    {
        var recent = await db.ReminderMails.AsNoTracking()
            .Where(m => m.Id != id && m.ClaimedAt <= claimedAt)
            .OrderByDescending(m => m.ClaimedAt).ThenByDescending(m => m.Id)
            .Take(SameRefusalsToPause - 1)
            .Select(m => new { m.Id, m.State, m.LastErrorCode, m.Learner!.Email })
            .ToListAsync(cancel);
        List<string> people = [address];
        List<long> refused = [];
        foreach (var mail in recent)
        {
            if (mail.State != ReminderMailState.Failed || mail.LastErrorCode != code
                || people.Contains(mail.Email, StringComparer.OrdinalIgnoreCase))
            {
                break;
            }

            people.Add(mail.Email);
            refused.Add(mail.Id);
        }

        return [.. refused];
    }

    /// <summary>
    /// The server refuses everything: sending pauses until a test send after <see cref="ReminderOptions.ProbeEvery"/>
    /// succeeds or an admin resumes. The mails it refused wait again, their attempts not counted: the refusal was not
    /// theirs. Returns when the test send is due.
    /// </summary>
    private async Task<DateTime> PauseAsync(long[] refusedIds, MailDeliveryFailed failure, CancellationToken cancel)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + options.Value.ProbeEvery;
        var error = Shorter(failure.Message);
        await db.ReminderMails.Where(m => refusedIds.Contains(m.Id)).ExecuteUpdateAsync(set => set
            .SetProperty(m => m.State, ReminderMailState.Pending)
            .SetProperty(m => m.Attempts, m => m.Attempts > 0 ? m.Attempts - 1 : 0)
            .SetProperty(m => m.NextAttemptAt, until)
            .SetProperty(m => m.LastError, error)
            .SetProperty(m => m.LastErrorCode, failure.Code), cancel);
        await DeliveryProblem.RecordAsync(db, DeliveryProblem.Smtp, now, refusing: true, until, failure.Code, ServerSaid(failure), cancel);
        log.LogWarning("The mail server refuses every e-mail ({Code}); reminders pause, with a test send at {Until:u}.", failure.Code, until);
        return until;
    }

    /// <summary>The server's own words when it gave some, else our description of the failure.</summary>
    private static string ServerSaid(MailDeliveryFailed failure) =>
        failure.ServerText is { Length: > 0 } text ? text : failure.Message;

    private static string Shorter(string text) => text.Length > 1000 ? text[..1000] : text;

    /// <summary>The mails of the batch not tried yet become due at <paramref name="at"/>, no attempt counted.</summary>
    private Task PostponeAsync(long[] mailIds, DateTime at, CancellationToken cancel) =>
        db.ReminderMails.Where(m => mailIds.Contains(m.Id) && m.State == ReminderMailState.Pending)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.NextAttemptAt, at), cancel);

    /// <summary>Records the failed attempt; returns when the mail is due again.</summary>
    private async Task<DateTime> FailedAsync(long id, MailDeliveryFailed failure, CancellationToken cancel)
    {
        var attempts = await db.ReminderMails.Where(m => m.Id == id).Select(m => m.Attempts).SingleAsync(cancel);
        var giveUp = failure.Permanent || attempts >= options.Value.MaxAttempts;
        var retryAt = time.GetUtcNow().UtcDateTime + BackOff[Math.Clamp(attempts, 1, BackOff.Length) - 1];
        await RecordAsync(id, giveUp ? ReminderMailState.Failed : ReminderMailState.Pending, retryAt, Shorter(failure.Message), failure.Code, cancel);
        log.LogWarning("Reminder e-mail {Id}, attempt {Attempts}: {Outcome}.", id, attempts, giveUp ? "failed for good" : $"retry at {retryAt:u}");
        return retryAt;
    }

    private Task RecordAsync(long id, ReminderMailState state, DateTime? retryAt, string? error, int? code, CancellationToken cancel)
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
                set.SetProperty(m => m.LastErrorCode, code);
            }
        }, cancel);
    }

    /// <summary>The same id on every attempt, so a mail program can tell a repeat the server got twice.</summary>
    private string MessageId(long id) => $"paminnelse-{id}@{new Uri(links.Absolute("/")).Host}";
}

public readonly record struct SendResult(int Sent, int Failed, int Dropped);
