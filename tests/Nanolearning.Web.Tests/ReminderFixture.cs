using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The app on a clock the test moves, starting on Monday 1 March 2027 at 10:00 in Sweden. Tests run the reminder scan
/// and the dispatch themselves (the app's schedules are off in tests); the dispatch's sending jobs run on the app's
/// real Hangfire workers, and <see cref="Dispatch"/> waits for them.
/// </summary>
public class ReminderFixture : AppFixture
{
    public static readonly DateTimeOffset Monday = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public ReminderFixture()
    {
        // Reminder rules compare exact times (quiet hours, leases), so this clock moves only when a test moves it.
        Clock.AutoAdvanceAmount = TimeSpan.Zero;
        Clock.AdjustTime(Monday);
    }

    /// <summary>Sets the clock to a Swedish local time (UTC+1 in winter, +2 in summer).</summary>
    public void SwedishTime(DateTime local) =>
        Clock.AdjustTime(new DateTimeOffset(local, Format.Stockholm.GetUtcOffset(local)));

    public Task<int> Scan() => In<ReminderScan, int>(scan => scan.RunAsync());

    /// <summary>The minute job: bundle, enqueue, and then wait until Hangfire's workers have run the jobs it enqueued.</summary>
    public async Task<DispatchResult> Dispatch()
    {
        var result = await In<ReminderDispatch, DispatchResult>(dispatch => dispatch.RunAsync());
        using var connection = Services.GetRequiredService<JobStorage>().GetConnection();
        foreach (var job in result.SendingJobs)
        {
            for (var i = 0; connection.GetJobData(job)?.State is not ("Succeeded" or "Failed"); i++)
            {
                Assert.True(i < 600, $"Sending job {job} did not finish within 30 s.");
                await Task.Delay(50);
            }

            if (connection.GetJobData(job) is { State: "Failed" })
            {
                var reason = connection.GetStateData(job);
                throw new InvalidOperationException($"Sending job {job} failed: {string.Join(", ", reason.Data.Select(d => $"{d.Key}={d.Value}"))}");
            }
        }

        return result;
    }

    public Task<List<ReminderMail>> MailsTo(string email) =>
        Query(db => db.ReminderMails.AsNoTracking().Where(m => m.Learner!.Email == email).OrderBy(m => m.Id).ToListAsync());

    public Task<List<Reminder>> RemindersOf(string email) =>
        Query(db => db.Reminders.AsNoTracking().Where(r => r.Learner!.Email == email).OrderBy(r => r.Date).ThenBy(r => r.Id).ToListAsync());

    /// <summary>The messages written to the pickup folder for <paramref name="email"/>, oldest first.</summary>
    public async Task<List<MimeMessage>> PickedUpFor(string email)
    {
        var files = Directory.Exists(MailFolder) ? Directory.GetFiles(MailFolder, "*.eml").Order(StringComparer.Ordinal).ToList() : [];
        var messages = new List<MimeMessage>();
        foreach (var file in files)
        {
            var message = await MimeMessage.LoadAsync(file);
            if (message.To.Mailboxes.Any(m => m.Address == email))
            {
                messages.Add(message);
            }
        }

        return messages;
    }
}
