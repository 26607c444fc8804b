using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Errors;

namespace Nanolearning.Web.Features.Learning;

/// <summary>The end of a course: congratulations and the certificate, or what is left to do.</summary>
public sealed class DoneModel(Learning learning, CourseCatalog catalog) : PageModel
{
    public CompiledCourse Course { get; private set; } = null!;

    public Enrolment Enrolment { get; private set; } = null!;

    public List<Lesson> Remaining { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string courseId, CancellationToken cancel)
    {
        if (User.LearnerId() is not { } learnerId)
        {
            return Problem.NotALearner(this);
        }

        if (await learning.LatestEnrolmentAsync(learnerId, courseId, cancel, tracked: false) is not { } enrolment
            || await catalog.FindVersionAsync(enrolment, cancel) is not { } course)
        {
            return Problem.CourseNotFound(this);
        }

        Course = course;
        Enrolment = enrolment;
        Remaining = [.. enrolment.RemainingLessons(course)];
        return Page();
    }
}
