using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Learning;

/// <summary>
/// A course's start page: what it is, its lessons, and starting or resuming it. After a completion it explains the
/// refresher before the learner starts it: what changed since last time, or that a short repetition quiz is enough.
/// </summary>
[OneConnection]
public sealed class OverviewModel(AppDbContext db, CourseCatalog catalog, Learning learning, TimeProvider time) : PageModel
{
    public CompiledCourse Course { get; private set; } = null!;

    public Enrolment? Enrolment { get; private set; }

    public DateOnly? Due { get; private set; }

    public bool IsOlderVersion { get; private set; }

    /// <summary>What starting the course again would ask, when the learner has completed it and has no open enrolment.</summary>
    public Refresher? Refresher { get; private set; }

    /// <summary>Whether an assignment asks for the course again: its window opened after the latest completion.</summary>
    public bool RefresherIsDue { get; private set; }

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
        var assignment = await learning.LatestAssignmentAsync(learnerId, courseId, cancel);
        // The latest enrolment is an open one if there is one; completed, it is the last completion.
        var lastCompletion = Enrolment is null or { IsCompleted: true }
            ? Enrolment
            : await learning.LastCompletionAsync(learnerId, courseId, cancel);
        if (assignment is not null && !assignment.IsMetBy(lastCompletion?.CompletedAt))
        {
            Due = assignment.DueOn;
        }

        // With no open enrolment, starting again is a refresher.
        if (Enrolment is { IsCompleted: true } && live is not null)
        {
            Refresher = Features.Learning.Refresher.Plan(Enrolment, live);
            RefresherIsDue = Due is not null;
        }

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
            return RedirectToPage("/Learning/Lesson", new { courseId, lessonId = open.CurrentLessonId });
        }

        if (catalog.FindLive(courseId) is not { } course)
        {
            return Problem.CourseNotFound(this);
        }

        if (!await learning.MayTakeAsync(learnerId, course, cancel))
        {
            return Problem.CourseNotOpen(this);
        }

        var lastCompletion = await learning.LastCompletionAsync(learnerId, courseId, cancel);
        var enrolment = Features.Learning.Enrolment.Start(learnerId, course, time.GetUtcNow().UtcDateTime, lastCompletion);
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

        return RedirectToPage("/Learning/Lesson", new { courseId, lessonId = enrolment.CurrentLessonId });
    }
}
