using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Learning;

/// <summary>A printable certificate of the learner's latest completion of a course, naming the version they took.</summary>
public sealed class CertificateModel(AppDbContext db, CourseCatalog catalog) : PageModel
{
    public CompiledCourse Course { get; private set; } = null!;

    public Enrolment Enrolment { get; private set; } = null!;

    public string LearnerName { get; private set; } = "";

    public string Municipality { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string courseId, CancellationToken cancel)
    {
        if (User.LearnerId() is not { } learnerId)
        {
            return Problem.NotALearner(this);
        }

        var enrolment = await db.Enrolments.AsNoTracking()
            .Include(e => e.Learner)
            .Where(e => e.LearnerId == learnerId && e.CourseId == courseId && e.CompletedAt != null)
            .OrderByDescending(e => e.CompletedAt)
            .FirstOrDefaultAsync(cancel);
        if (enrolment is null || await catalog.FindVersionAsync(courseId, enrolment.CourseVersion, cancel) is not { } course)
        {
            return Problem.Show(this, StatusCodes.Status404NotFound, "Inget intyg än",
                "Du får ett intyg när du är klar med kursen.", Url.Page("/Learning/Overview", new { courseId }));
        }

        Course = course;
        Enrolment = enrolment;
        LearnerName = enrolment.Learner!.FullName;
        Municipality = await db.Units.Where(u => u.Kind == UnitKind.Municipality).Select(u => u.Name).FirstOrDefaultAsync(cancel) ?? "";
        return Page();
    }
}
