using Nanolearning.Courses;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>What a reminder about a course says, the same in the e-mail and on "Mina kurser".</summary>
public static class ReminderWording
{
    /// <summary>The subject line and the sentence; <paramref name="assigned"/> when the news is that the course is new.</summary>
    public static (string Subject, string Line) ForCourse(CompiledCourse course, DateOnly dueOn, DateOnly today, bool assigned)
    {
        var due = Format.Date(dueOn);
        var days = dueOn.DayNumber - today.DayNumber;
        return days switch
        {
            < 0 => ($"{course.Title} skulle ha varit klar {due}", $"Kursen {course.Title} skulle ha varit klar {due}. Det går fortfarande bra att göra den."),
            0 => ($"{course.Title} ska vara klar i dag", $"Kursen {course.Title} ska vara klar i dag."),
            _ when assigned => ($"Du har fått kursen {course.Title}", $"Du har fått kursen {course.Title}. Den tar ungefär {course.Minutes} minuter och ska vara klar {due}."),
            _ => ($"{course.Title} ska vara klar {due}", $"Kursen {course.Title} ska vara klar {due}, om {days} {(days == 1 ? "dag" : "dagar")}."),
        };
    }

    /// <summary>A chef's "Påminn nu" about an overdue course: their chef asks them to finish it.</summary>
    public static (string Subject, string Line) ForNudge(CompiledCourse course, DateOnly dueOn) =>
        ($"Din chef ber dig göra klart {course.Title}",
         $"Din chef ber dig göra klart kursen {course.Title}. Den skulle ha varit klar {Format.Date(dueOn)} och tar ungefär {course.Minutes} minuter.");
}
