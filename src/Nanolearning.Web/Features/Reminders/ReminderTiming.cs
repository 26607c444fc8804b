using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Courses;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// When a reminder queued now reaches a person: with the first dispatch run (<see cref="ReminderOptions.DispatchSchedule"/>,
/// cron in UTC as Hangfire runs it) inside sending hours; today if their e-mail of the day has not gone yet, else on
/// the next sending day, since nobody gets two e-mails on one day.
/// </summary>
public sealed class ReminderTiming(AppDbContext db, IOptions<ReminderOptions> options, TimeProvider time)
{
    /// <summary>For each learner, when their next e-mail goes (null: the dispatch never runs inside sending hours).</summary>
    public async Task<Dictionary<int, DateTimeOffset?>> NextMailAsync(IReadOnlyCollection<int> learnerIds, CancellationToken cancel)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var today = Format.Today(time);
        var todays = await db.ReminderMails.AsNoTracking()
            .Where(m => m.Day == today && learnerIds.Contains(m.LearnerId))
            .Select(m => new { m.LearnerId, m.State, m.NextAttemptAt })
            .ToDictionaryAsync(m => m.LearnerId, cancel);
        var tomorrow = new DateTimeOffset(Format.StartOfDayUtc(today.AddDays(1)), TimeSpan.Zero);
        return learnerIds.Distinct().ToDictionary(id => id, id => todays.GetValueOrDefault(id) switch
        {
            null => Next(settings, now),
            // Today's mail still waits (perhaps after a failed attempt): a reminder joins it.
            { State: ReminderMailState.Pending } pending => Next(settings, Later(now, new DateTimeOffset(pending.NextAttemptAt, TimeSpan.Zero))),
            _ => Next(settings, tomorrow),
        });
    }

    /// <summary>The first dispatch run at or after <paramref name="from"/> that may send.</summary>
    public static DateTimeOffset? Next(ReminderOptions settings, DateTimeOffset from)
    {
        var schedule = string.IsNullOrWhiteSpace(settings.DispatchSchedule)
            ? null
            : CronSchedule.Parse(settings.DispatchSchedule);
        var candidate = from;
        // A schedule that never meets sending hours would loop for ever; a year of sending days is plenty.
        for (var day = 0; day < 400; day++)
        {
            candidate = FirstSendingMoment(settings, candidate);
            if (schedule is null)
            {
                // No schedule (tests run the dispatch themselves): the first moment it may send.
                return candidate;
            }

            if (schedule.GetNextOccurrence(candidate, TimeZoneInfo.Utc, inclusive: true) is not { } run)
            {
                return null;
            }

            if (settings.MaySendAt(run))
            {
                return run;
            }

            candidate = run;
        }

        return null;
    }

    /// <summary>
    /// When, seen from <paramref name="now"/>, in Swedish: "i dag cirka 10.15" while sending now, "i morgon kl. 08.00"
    /// when it waits for the sending hours to open, "på måndag kl. 08.00" within a week, else the date.
    /// </summary>
    public static string Describe(DateTimeOffset? when, DateTimeOffset now, ReminderOptions settings)
    {
        if (when is not { } moment)
        {
            return "när utskicket körs nästa gång";
        }

        var local = TimeZoneInfo.ConvertTime(moment, Format.Stockholm);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Format.Stockholm).DateTime);
        var day = DateOnly.FromDateTime(local.DateTime);
        var clock = (TimeOnly.FromTimeSpan(local.TimeOfDay) == settings.SendFrom ? "kl. " : "cirka ") + local.ToString("HH.mm", Swedish.Culture);
        var days = day.DayNumber - today.DayNumber;
        return days switch
        {
            <= 0 => $"i dag {clock}",
            1 => $"i morgon {clock}",
            < 7 => $"på {local.ToString("dddd", Swedish.Culture)} {clock}",
            _ => $"{Format.Date(day)} {clock}",
        };
    }

    /// <summary>The first instant at or after <paramref name="from"/> inside sending hours (Swedish time, working days unless weekends or holidays are on).</summary>
    private static DateTimeOffset FirstSendingMoment(ReminderOptions settings, DateTimeOffset from)
    {
        if (settings.MaySendAt(from))
        {
            return from;
        }

        var local = TimeZoneInfo.ConvertTime(from, Format.Stockholm);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (TimeOnly.FromTimeSpan(local.TimeOfDay) >= settings.SendFrom)
        {
            day = day.AddDays(1);
        }

        for (; ; day = day.AddDays(1))
        {
            var opens = day.ToDateTime(settings.SendFrom, DateTimeKind.Unspecified);
            var moment = new DateTimeOffset(opens, Format.Stockholm.GetUtcOffset(opens));
            if (settings.MaySendAt(moment))
            {
                return moment;
            }
        }
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
