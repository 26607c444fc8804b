using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.ErrorReports;

/// <summary>
/// "Rapportera fel": a learner tells the admins that something in a lesson is wrong or unclear. The report names
/// the version of the course the learner is taking, which is what they saw.
/// </summary>
public sealed class ReportModel(AppDbContext db, Learning.Learning learning, CourseCatalog catalog, TimeProvider time) : PageModel
{
    public CompiledCourse Course { get; private set; } = null!;

    public Lesson Lesson { get; private set; } = null!;

    [BindProperty]
    public string? Text { get; set; }

    public string? Error { get; private set; }

    public bool Sent { get; private set; }

    public async Task<IActionResult> OnGetAsync(string courseId, string lessonId, bool skickad, CancellationToken cancel)
    {
        if (await LoadAsync(courseId, lessonId, cancel) is { } problem)
        {
            return problem;
        }

        Sent = skickad;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string courseId, string lessonId, CancellationToken cancel)
    {
        if (await LoadAsync(courseId, lessonId, cancel) is { } problem)
        {
            return problem;
        }

        var text = Text?.Trim().Replace("\r\n", "\n");
        Error = string.IsNullOrWhiteSpace(text) ? "Skriv vad som är fel eller otydligt innan du skickar."
            : text.Length > ErrorReport.MaxTextLength ? $"Texten får vara högst {ErrorReport.MaxTextLength} tecken. Korta den lite."
            : null;
        if (Error is not null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        db.ErrorReports.Add(new ErrorReport
        {
            CourseId = Course.Id,
            CourseVersion = Course.Version,
            LessonId = Lesson.Id,
            LessonTitle = Lesson.Title,
            Text = text!,
            ReportedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancel);
        return RedirectToPage(new { courseId, lessonId, skickad = true });
    }

    private async Task<IActionResult?> LoadAsync(string courseId, string lessonId, CancellationToken cancel)
    {
        if (User.LearnerId() is not { } learnerId)
        {
            return Problem.NotALearner(this);
        }

        // Only a course the learner has started: the version reported is the one they are taking.
        var enrolment = await learning.LatestEnrolmentAsync(learnerId, courseId, cancel, tracked: false);
        if (enrolment is null)
        {
            return RedirectToPage("/Learning/Overview", new { courseId });
        }

        if (await catalog.FindVersionAsync(enrolment, cancel) is not { } course)
        {
            return Problem.CourseNotFound(this);
        }

        if (course.Lessons.FirstOrDefault(l => l.Id == lessonId) is not { } lesson)
        {
            return Problem.LessonNotFound(this, courseId);
        }

        (Course, Lesson) = (course, lesson);
        return null;
    }
}
