using Nanolearning.Web.Features.Reminders;

namespace Nanolearning.Web.Tests;

/// <summary>The days a reminder plan picks for an assignment.</summary>
public sealed class ReminderPlanTests
{
    private static readonly DateOnly Opens = new(2027, 3, 1);
    private static readonly DateOnly Due = new(2027, 3, 31);

    [Fact]
    public void The_default_plan_reminds_when_assigned_a_week_before_on_the_day_and_three_weeks_after()
    {
        Assert.Equal(
            [
                (ReminderKind.Assigned, 0, Opens), (ReminderKind.DueSoon, 0, Due.AddDays(-7)), (ReminderKind.DueToday, 0, Due),
                (ReminderKind.Overdue, 1, Due.AddDays(7)), (ReminderKind.Overdue, 2, Due.AddDays(14)), (ReminderKind.Overdue, 3, Due.AddDays(21)),
            ],
            ReminderPlan.Default.Occasions(Opens, Opens, Due));
    }

    [Fact]
    public void Someone_who_joins_late_is_told_the_course_is_assigned_not_that_it_was_due_soon()
    {
        var joined = Due.AddDays(-3);
        Assert.Equal(
            [(ReminderKind.Assigned, 0, joined), (ReminderKind.DueToday, 0, Due), (ReminderKind.Overdue, 1, Due.AddDays(7))],
            (ReminderPlan.Default with { WeeksOverdue = 1 }).Occasions(Opens, joined, Due));
    }

    [Fact]
    public void A_plan_of_nothing_reminds_on_no_day()
    {
        Assert.Empty(new ReminderPlan(OnOpening: false, DaysBeforeDue: 0, OnDueDate: false, WeeksOverdue: 0).Occasions(Opens, Opens, Due));
    }
}
