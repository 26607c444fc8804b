namespace Nanolearning.Web.Features.ErrorReports;

/// <summary>
/// A learner's "Rapportera fel" note about a lesson, for the admins who maintain the courses. It records the
/// course, lesson and version the learner saw, and the text, but not who wrote it: the admins need to fix the
/// lesson, not to know the reporter. The text itself may still name someone; gallring removes handled reports.
/// </summary>
public sealed class ErrorReport
{
    public const int MaxTextLength = 2000;

    public int Id { get; set; }

    public required string CourseId { get; set; }

    public required string CourseVersion { get; set; }

    public required string LessonId { get; set; }

    /// <summary>The lesson's title when reported, so the list reads well after the lesson is renamed or removed.</summary>
    public required string LessonTitle { get; set; }

    public required string Text { get; set; }

    public DateTime ReportedAt { get; set; }

    public DateTime? HandledAt { get; set; }
}
