namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// When an assignment's learner is reminded: when the course is assigned, <see cref="DaysBeforeDue"/> days before the
/// due date (0: not), on the due date, and once a week while overdue, at most <see cref="WeeksOverdue"/> times.
/// The defaults are what a new årshjul entry starts with, and what settings leave out.
/// </summary>
public sealed record ReminderPlan(bool OnOpening = true, int DaysBeforeDue = 7, bool OnDueDate = true, int WeeksOverdue = 3)
{
    public const int MaxDaysBeforeDue = 60;
    public const int MaxWeeksOverdue = 10;

    public static readonly ReminderPlan Default = new();

    /// <summary>
    /// The days this plan reminds on, for an assignment open from <paramref name="opensOn"/> to <paramref name="dueOn"/>
    /// given to the learner on <paramref name="assignedOn"/>. Nothing before the learner had it: someone who joins
    /// late is told it is assigned, not that it was due soon a week ago.
    /// </summary>
    public IEnumerable<(ReminderKind Kind, int Number, DateOnly Date)> Occasions(DateOnly opensOn, DateOnly assignedOn, DateOnly dueOn)
    {
        var first = opensOn > assignedOn ? opensOn : assignedOn;
        if (OnOpening)
        {
            yield return (ReminderKind.Assigned, 0, first);
        }

        if (DaysBeforeDue > 0 && dueOn.AddDays(-DaysBeforeDue) is var soon && soon > first)
        {
            yield return (ReminderKind.DueSoon, 0, soon);
        }

        if (OnDueDate && dueOn > first)
        {
            yield return (ReminderKind.DueToday, 0, dueOn);
        }

        for (var week = 1; week <= WeeksOverdue; week++)
        {
            yield return (ReminderKind.Overdue, week, dueOn.AddDays(7 * week));
        }
    }
}
