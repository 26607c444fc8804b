using System.Globalization;
using Nanolearning.Courses;

namespace Nanolearning.Web.Features.Jobs;

/// <summary>
/// A recurring job's cron expression in plain Swedish. Covers the shapes the app's schedules take (every minute, every
/// n minutes, hourly, daily, weekly); anything else is shown as the expression itself, which the admin set.
/// </summary>
public static class JobSchedule
{
    private static readonly string[] Weekdays = ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"];

    /// <param name="cron">The job's cron expression.</param>
    /// <param name="timeZoneId">The time zone Hangfire reads it in (UTC unless the job says otherwise).</param>
    public static string Describe(string cron, string? timeZoneId)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var utc = timeZoneId is null or "UTC" or "Etc/UTC";
        if (fields.Length != 5 || fields[2] != "*" || fields[3] != "*")
        {
            return Fallback(cron);
        }

        var (minute, hour, weekday) = (fields[0], fields[1], fields[4]);
        if (hour == "*" && weekday == "*")
        {
            if (minute == "*")
            {
                return "Varje minut";
            }

            if (minute.StartsWith("*/", StringComparison.Ordinal) && Number(minute[2..], 59) is { } every)
            {
                return every == 1 ? "Varje minut" : $"Var {every}:e minut";
            }

            if (Number(minute, 59) is { } past)
            {
                return past == 0 ? "Varje hel timme" : $"Varje timme, {past} minuter över";
            }

            return Fallback(cron);
        }

        if (Number(minute, 59) is not { } m || Number(hour, 23) is not { } h || !utc)
        {
            return Fallback(cron);
        }

        var day = weekday switch
        {
            "*" => "Varje dag",
            _ when Number(weekday, 7) is { } d => "Varje " + Weekdays[d % 7],
            _ => null,
        };
        return day is null ? Fallback(cron) : $"{day} kl. {SwedishTime(h, m)}";
    }

    /// <summary>
    /// A time of day in UTC as a Swede reads it: Hangfire keeps to UTC, so the Swedish clock shows it an hour later in
    /// winter and two in summer.
    /// </summary>
    private static string SwedishTime(int hour, int minute)
    {
        var at = new TimeOnly(hour, minute);
        return $"{Clock(at.AddHours(1))} svensk vintertid och {Clock(at.AddHours(2))} sommartid ({Clock(at)} UTC)";
    }

    private static string Clock(TimeOnly time) => time.ToString("HH:mm", Swedish.Culture);

    private static int? Number(string field, int max) =>
        int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max ? n : null;

    private static string Fallback(string cron) => $"Enligt schemat ”{cron}” (cron-uttryck)";
}
