using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Accounts;
using Nanolearning.Web.Courses;
using Nanolearning.Web.Data;

namespace Nanolearning.Web.Pages.Kurs;

/// <summary>A course's start page: what it is, its lessons, and starting or resuming it.</summary>
public sealed class OverviewModel(AppDbContext db, CourseCatalog catalog, Learning learning, TimeProvider time) : PageModel
{
    public CompiledCourse Course { get; private set; } = null!;

    public Enrolment? Enrolment { get; private set; }

    public DateOnly? Due { get; private set; }

    public bool IsOlderVersion { get; private set; }

    public async Task<IActionResult> OnGetAsync(string courseId, CancellationToken cancel)
    {
        if (User.LearnerId() is not { } learnerId)
        {
            return Problem.NotALearner(this);
        }

        Enrolment = await learning.LatestEnrolmentAsync(learnerId, courseId, cancel, tracked: false);
        var live = catalog.FindLive(courseId);
        var course = Enrolment is null ? live : await catalog.FindVersionAsync(Enrolment, cancel);
        if (course is null)
        {
            return Problem.CourseNotFound(this);
        }

        if (Enrolment is null && !await learning.MayTakeAsync(learnerId, course, cancel))
        {
            return Problem.CourseNotOpen(this);
        }

        Course = course;
        IsOlderVersion = live is not null && live.Version != course.Version;
        Due = await db.Assignments.Where(a => a.LearnerId == learnerId && a.CourseId == courseId)
            .OrderByDescending(a => a.DueOn).Select(a => (DateOnly?)a.DueOn).FirstOrDefaultAsync(cancel);
        return Page();
    }

    public async Task<IActionResult> OnPostStartAsync(string courseId, CancellationToken cancel)
    {
        if (User.LearnerId() is not { } learnerId)
        {
            return Problem.NotALearner(this);
        }

        var open = await db.Enrolments.FirstOrDefaultAsync(e => e.LearnerId == learnerId && e.CourseId == courseId && e.CompletedAt == null, cancel);
        if (open is not null)
        {
            return Redirect($"/kurs/{courseId}/{open.CurrentLessonId}");
        }

        if (catalog.FindLive(courseId) is not { } course)
        {
            return Problem.CourseNotFound(this);
        }

        if (!await learning.MayTakeAsync(learnerId, course, cancel))
        {
            return Problem.CourseNotOpen(this);
        }

        var enrolment = Data.Enrolment.Start(learnerId, course, time.GetUtcNow().UtcDateTime);
        db.Enrolments.Add(enrolment);
        try
        {
            await db.SaveChangesAsync(cancel);
        }
        catch (DbUpdateException clash) when (Database.IsUniqueViolation(clash))
        {
            // "Starta" pressed twice at once: the other request opened the enrolment; continue in it.
            db.ChangeTracker.Clear();
            enrolment = await db.Enrolments.FirstAsync(e => e.LearnerId == learnerId && e.CourseId == courseId && e.CompletedAt == null, cancel);
        }

        return Redirect($"/kurs/{courseId}/{enrolment.CurrentLessonId}");
    }
}
