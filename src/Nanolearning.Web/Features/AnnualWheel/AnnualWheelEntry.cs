using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Features.Reminders;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>
/// One entry in a unit's årshjul: a course campaign, an APT or a note, with a window in its first
/// year. A recurring entry comes back every year on the same dates; sub-units inherit it.
/// </summary>
public sealed class AnnualWheelEntry
{
    /// <summary>Windows are at most a year long, so at most two occurrences (this year's and last year's) are open at once.</summary>
    public const int MaxWindowDays = 366;

    public int Id { get; set; }

    public int UnitId { get; set; }

    public Unit? Unit { get; set; }

    public AnnualWheelKind Kind { get; set; }

    public required string Title { get; set; }

    /// <summary>The first occurrence's first day; for an APT, its date.</summary>
    public DateOnly StartsOn { get; set; }

    /// <summary>The first occurrence's last day: a campaign's due date. The same as <see cref="StartsOn"/> for an APT.</summary>
    public DateOnly EndsOn { get; set; }

    public bool RecursYearly { get; set; }

    /// <summary>The last year a recurring entry occurs, if it stops.</summary>
    public int? LastYear { get; set; }

    /// <summary>The course a campaign assigns, or whose discussion material an APT uses.</summary>
    public string? CourseId { get; set; }

    /// <summary>Which people in the unit and its sub-units a campaign is for (course audiences); empty means everyone.</summary>
    public List<string> Audiences { get; set; } = [];

    public string? Note { get; set; }

    /// <summary>A campaign's reminders: when the window opens (or someone joins it), days before and on the due date, weekly while overdue.</summary>
    public bool RemindOnOpening { get; set; } = true;

    public int RemindDaysBeforeDue { get; set; } = ReminderPlan.Default.DaysBeforeDue;

    public bool RemindOnDueDate { get; set; } = true;

    public int RemindWeeksOverdue { get; set; } = ReminderPlan.Default.WeeksOverdue;

    public ReminderPlan Reminders => new(RemindOnOpening, RemindDaysBeforeDue, RemindOnDueDate, RemindWeeksOverdue);

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>The entry's window in a year, or null if it does not occur then. A 29 February moves to the 28th.</summary>
    public Occurrence? In(int year)
    {
        if (year < StartsOn.Year || (!RecursYearly && year != StartsOn.Year) || year > LastYear)
        {
            return null;
        }

        var shift = year - StartsOn.Year;
        return new Occurrence(this, year, StartsOn.AddYears(shift), EndsOn.AddYears(shift));
    }

    /// <summary>The occurrences whose window includes the day.</summary>
    public IEnumerable<Occurrence> OpenOn(DateOnly day) =>
        new[] { In(day.Year - 1), In(day.Year) }.OfType<Occurrence>().Where(o => o.Includes(day));

    /// <summary>The occurrences that touch a year: those starting in it, and one carried over from the year before.</summary>
    public IEnumerable<Occurrence> Touching(int year) =>
        new[] { In(year - 1), In(year) }.OfType<Occurrence>()
            .Where(o => o.Start.Year == year || o.End.Year == year);
}

/// <summary>One year's window of an årshjul entry.</summary>
public sealed record Occurrence(AnnualWheelEntry Entry, int Year, DateOnly Start, DateOnly End)
{
    public bool Includes(DateOnly day) => Start <= day && day <= End;
}

public enum AnnualWheelKind
{
    /// <summary>Assigns a course to everyone in scope, due at the window's end.</summary>
    CourseCampaign,

    /// <summary>An arbetsplatsträff that discusses a course, with printable material.</summary>
    WorkplaceMeeting,

    Note,
}
