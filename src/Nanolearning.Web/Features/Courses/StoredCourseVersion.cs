namespace Nanolearning.Web.Features.Courses;

/// <summary>
/// Every course version that was ever live, so a learner who started it can finish it after the course changes
/// or the app restarts, and so the last good version stays live when an edit breaks the course.
/// </summary>
public sealed class StoredCourseVersion
{
    public required string CourseId { get; set; }

    public required string Version { get; set; }

    public required string Title { get; set; }

    /// <summary>The compiled course as JSON (CourseJson).</summary>
    public required string Json { get; set; }

    public DateTime PublishedAt { get; set; }
}
