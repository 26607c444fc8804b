using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>Reminder e-mail settings (section "Reminders"). Times are Swedish time.</summary>
public sealed class ReminderOptions
{
    public const string Section = "Reminders";

    /// <summary>When the scan for due reminders runs (cron, UTC); empty: never.</summary>
    public string ScanSchedule { get; set; } = "0 * * * *";

    /// <summary>When waiting reminders are bundled and sent (cron); empty: never, as in tests that drive it themselves.</summary>
    public string DispatchSchedule { get; set; } = "* * * * *";

    /// <summary>No e-mail before this time of day; what is due at night waits for the morning.</summary>
    public TimeOnly SendFrom { get; set; } = new(8, 0);

    /// <summary>No e-mail from this time of day.</summary>
    public TimeOnly SendUntil { get; set; } = new(17, 0);

    public bool SendOnWeekends { get; set; }

    /// <summary>Whether e-mail also goes on Swedish public holidays and on midsommar-, jul- and nyårsafton.</summary>
    public bool SendOnHolidays { get; set; }

    /// <summary>How many days late a reminder may still go out, after the app was down on its day.</summary>
    public int CatchUpDays { get; set; } = 3;

    /// <summary>Attempts per e-mail before it is marked failed for admins (back-off 1, 5, 15, 60, 240 minutes…).</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>
    /// How long a mail handed to a sending job is left to it: a mail queued but not taken comes back after this, and a
    /// mail still Sending this long after its claim belongs to a sender that stopped (a crash, a restart), and is sent
    /// again. It must be far longer than one send (Mail:SendTimeout); a short one only sends more twice.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>While the mail server refuses everything, one e-mail is tried this often to see whether it is fixed.</summary>
    public TimeSpan ProbeEvery { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>E-mails per sending job: one SMTP connection each.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>A repetition question this many days after a completion; 0 turns repetition questions off.</summary>
    public int RepetitionAfterDays { get; set; } = 42;

    /// <summary>Reminders for assignments without an årshjul entry (onboarding).</summary>
    /// <remarks>A new instance: settings are bound into it, and must not change the shared <see cref="ReminderPlan.Default"/>.</remarks>
    public ReminderPlan DefaultPlan { get; set; } = new();

    /// <summary>
    /// Whether an e-mail may leave at <paramref name="now"/> (UTC): inside the day's hours, on a weekday unless weekends
    /// are on, and not on a holiday unless holidays are on.
    /// </summary>
    public bool MaySendAt(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, Format.Stockholm);
        var weekend = local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var holiday = SwedishHolidays.IsHoliday(DateOnly.FromDateTime(local.DateTime));
        var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
        return (SendOnWeekends || !weekend) && (SendOnHolidays || !holiday) && time >= SendFrom && time < SendUntil;
    }

    public IEnumerable<string> Mistakes()
    {
        foreach (var (name, cron) in new[] { ("ScanSchedule", ScanSchedule), ("DispatchSchedule", DispatchSchedule) })
        {
            if (!string.IsNullOrWhiteSpace(cron) && !CronSchedule.IsValid(cron))
            {
                yield return $"Reminders:{name} \"{cron}\" is not a cron expression such as \"* * * * *\" (every minute).";
            }
        }

        if (SendFrom >= SendUntil)
        {
            yield return "Reminders:SendFrom must be before Reminders:SendUntil.";
        }

        if (CatchUpDays is < 0 or > 30)
        {
            yield return "Reminders:CatchUpDays must be between 0 and 30.";
        }

        if (MaxAttempts is < 1 or > 20)
        {
            yield return "Reminders:MaxAttempts must be between 1 and 20.";
        }

        if (Lease < TimeSpan.FromSeconds(1) || Lease > TimeSpan.FromDays(1))
        {
            yield return "Reminders:Lease must be between 00:00:01 and 1.00:00:00 (default 00:15:00).";
        }

        if (ProbeEvery < TimeSpan.FromSeconds(1) || ProbeEvery > TimeSpan.FromDays(1))
        {
            yield return "Reminders:ProbeEvery must be between 00:00:01 and 1.00:00:00 (default 00:10:00).";
        }

        if (BatchSize is < 1 or > 1000)
        {
            yield return "Reminders:BatchSize must be between 1 and 1000.";
        }

        if (DefaultPlan.DaysBeforeDue is < 0 or > ReminderPlan.MaxDaysBeforeDue || DefaultPlan.WeeksOverdue is < 0 or > ReminderPlan.MaxWeeksOverdue)
        {
            yield return $"Reminders:DefaultPlan: DaysBeforeDue must be 0–{ReminderPlan.MaxDaysBeforeDue} and WeeksOverdue 0–{ReminderPlan.MaxWeeksOverdue}.";
        }

        if (RepetitionAfterDays is < 0 or > 365)
        {
            yield return "Reminders:RepetitionAfterDays must be between 0 (off) and 365.";
        }
    }
}
