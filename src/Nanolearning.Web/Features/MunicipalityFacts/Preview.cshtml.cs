using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Errors;

namespace Nanolearning.Web.Features.MunicipalityFacts;

/// <summary>
/// A live lesson as learners see it, with the kommun's facts filled in, for the admin to check; read-only, so the
/// admin neither starts the course nor leaves answers.
/// </summary>
[Authorize(Policy = Roles.Admin)]
public sealed class PreviewModel(CourseCatalog catalog, FactFilling facts) : PageModel
{
    /// <summary>The lesson shown; null on the list of every live lesson to choose from.</summary>
    public CompiledCourse? Course { get; private set; }

    public Lesson? Lesson { get; private set; }

    public IEnumerable<CompiledCourse> Courses => catalog.Live;

    public FilledFacts Facts { get; private set; } = FilledFacts.None;

    public async Task<IActionResult> OnGetAsync(string? courseId, string? lessonId, CancellationToken cancel)
    {
        if (courseId is null)
        {
            return Page();
        }

        if (catalog.FindLive(courseId) is not { } course)
        {
            return Problem.CourseNotFound(this);
        }

        if (course.Lessons.FirstOrDefault(l => l.Id == lessonId) is not { } lesson)
        {
            return Problem.LessonNotFound(this, courseId);
        }

        (Course, Lesson) = (course, lesson);
        Facts = await facts.LoadAsync(cancel);
        return Page();
    }
}
