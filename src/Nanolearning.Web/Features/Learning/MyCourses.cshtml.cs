using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Learning;

/// <summary>"Mina kurser": what is assigned and by when, what else is open to the learner, and what is done.</summary>
[OneConnection]
public sealed class MyCoursesModel(AppDbContext db, CourseCatalog catalog, ReminderLinks links, TimeProvider time) : PageModel
{
    /// <summary>Reminders older than this are no longer news.</summary>
    public const int NoticeDays = 14;

    public string? FirstName { get; private set; }

    public List<CourseRow> ToDo { get; } = [];

    public List<CourseRow> Open { get; } = [];

    public List<CourseRow> Done { get; } = [];

    /// <summary>The latest reminder per course that still applies, as the e-mail put it.</summary>
    public List<Notice> Notices { get; } = [];

    public async Task OnGetAsync(CancellationToken cancel)
    {
        if (User.LearnerId() is not { } learnerId)
        {
            return;
        }

        var learner = await db.Learners.AsNoTracking()
            .Where(l => l.Id == learnerId)
            .Select(l => new { l.FirstName, l.Audiences })
            .FirstAsync(cancel);
        FirstName = learner.FirstName;
        var assignments = (await db.Assignments.AsNoTracking()
                .Where(a => a.LearnerId == learnerId)
                .ToListAsync(cancel))
            .GroupBy(a => a.CourseId)
            .ToDictionary(g => g.Key, g => g.MaxBy(a => a.DueOn)!);
        var enrolments = (await db.Enrolments.AsNoTracking()
                .Include(e => e.CompletedLessons)
                .Where(e => e.LearnerId == learnerId)
                .ToListAsync(cancel))
            .ToLookup(e => e.CourseId);

        var today = Format.Today(time);
        var courseIds = assignments.Keys.Union(enrolments.Select(g => g.Key))
            .Union(catalog.Live.Where(c => c.Audiences.Intersect(learner.Audiences).Any()).Select(c => c.Id));
        foreach (var courseId in courseIds)
        {
            var completions = enrolments[courseId].Where(e => e.IsCompleted).OrderByDescending(e => e.CompletedAt).ToList();
            var lastCompletion = completions.FirstOrDefault();
            var open = enrolments[courseId].FirstOrDefault(e => !e.IsCompleted);
            var assignment = assignments.GetValueOrDefault(courseId);
            // The latest assignment's due date applies until a completion inside its window meets it.
            var due = assignment is not null && !assignment.IsMetBy(lastCompletion?.CompletedAt) ? assignment.DueOn : (DateOnly?)null;

            if (lastCompletion is not null
                && await catalog.FindVersionAsync(courseId, lastCompletion.CourseVersion, cancel) is { } completedVersion)
            {
                Done.Add(CourseRow.Completed(Url, completedVersion, lastCompletion, [.. completions.Skip(1).Select(e => e.CompletedAt!.Value)]));
            }

            if (open is not null)
            {
                if (await catalog.FindVersionAsync(courseId, open.CourseVersion, cancel) is { } openVersion)
                {
                    // A repetition is what the enrolment carried over when it started, as on the course and lesson pages;
                    // one started without (before refreshers existed) asks for the whole course.
                    var repetition = lastCompletion is not null && open.HasCarriedOver ? Refresher.Plan(lastCompletion, openVersion) : null;
                    ToDo.Add(CourseRow.For(Url, openVersion, open, due, today, repetition));
                }
            }
            else if (catalog.FindLive(courseId) is { } live)
            {
                if (lastCompletion is null)
                {
                    (due is null ? Open : ToDo).Add(CourseRow.For(Url, live, null, due, today, null));
                }
                else if (due is not null)
                {
                    ToDo.Add(CourseRow.For(Url, live, null, due, today, Refresher.Plan(lastCompletion, live)));
                }
            }
        }

        ToDo.Sort((a, b) => (a.Due ?? DateOnly.MaxValue).CompareTo(b.Due ?? DateOnly.MaxValue));
        Done.Sort((a, b) => Nullable.Compare(b.CompletedAt, a.CompletedAt));
        await AddNoticesAsync(learnerId, today, cancel);
    }

    /// <summary>Hides the notice and the course's earlier reminders; a new one shows again.</summary>
    public async Task<IActionResult> OnPostDismissAsync(long reminder, CancellationToken cancel)
    {
        var learnerId = User.LearnerId();
        var dismissed = await db.Reminders.Where(r => r.Id == reminder && r.LearnerId == learnerId)
            .Select(r => new { r.CourseId, r.Date })
            .FirstOrDefaultAsync(cancel);
        if (dismissed is null)
        {
            return Problem.Show(this, StatusCodes.Status404NotFound, "Beskedet finns inte",
                "Det finns inget sådant besked bland dina. Det kan redan vara borttaget.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        await db.Reminders
            .Where(r => r.LearnerId == learnerId && r.CourseId == dismissed.CourseId && r.Date <= dismissed.Date && r.DismissedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.DismissedAt, now), cancel);
        return RedirectToPage();
    }

    private async Task AddNoticesAsync(int learnerId, DateOnly today, CancellationToken cancel)
    {
        var since = today.AddDays(-NoticeDays);
        var recent = await db.Reminders.AsNoTracking()
            .Where(r => r.LearnerId == learnerId && r.DismissedAt == null && r.Date >= since && r.Date <= today)
            .Where(r => r.AssignmentId != null || r.Kind == ReminderKind.Repetition)
            .OrderByDescending(r => r.Date).ThenByDescending(r => r.Id)
            .ToListAsync(cancel);
        foreach (var course in recent.GroupBy(r => r.CourseId!))
        {
            var latest = course.First();
            if (catalog.FindLive(course.Key) is not { } live)
            {
                continue;
            }

            if (latest.Kind == ReminderKind.Repetition)
            {
                if (RepetitionQuestion.Pick(live, latest.Id) is { } question)
                {
                    Notices.Add(new Notice(latest.Id, $"En repetitionsfråga från kursen {live.Title} väntar på dig.",
                        links.Repetition(new RepetitionQuestion(learnerId, live.Id, question.Id)), "Svara på frågan"));
                }
            }
            else if (ToDo.FirstOrDefault(row => row.CourseId == course.Key && row.Due is not null) is { Due: { } due } row)
            {
                var (_, line) = course.Any(r => r.Kind == ReminderKind.ManagerNudge) && due < today
                    ? ReminderWording.ForNudge(live, due)
                    : ReminderWording.ForCourse(live, due, today, course.Any(r => r.Kind == ReminderKind.Assigned));
                Notices.Add(new Notice(latest.Id, line, row.NextUrl, row.Status == CourseStatus.NotStarted ? "Börja kursen" : "Fortsätt"));
            }
        }
    }
}

/// <summary>
/// A course on "Mina kurser". <see cref="Repetition"/>, when set, says what a refresher asks; the lesson counts are
/// of the lessons the enrolment asks for, so a refresher counts only its own.
/// </summary>
public sealed record CourseRow(
    string CourseId, string Title, CourseStatus Status, DateOnly? Due, int LessonsDone, int LessonCount, int MinutesLeft,
    DateTime? CompletedAt, string? NextUrl, string? Repetition = null, IReadOnlyList<DateTime>? EarlierCompletions = null)
{
    /// <summary>A course to do or open to the learner: not started (perhaps a refresher not started yet) or in progress.</summary>
    public static CourseRow For(IUrlHelper url, CompiledCourse course, Enrolment? enrolment, DateOnly? due, DateOnly today, Refresher? repetition)
    {
        var asked = enrolment?.AskedLessons(course).ToList() ?? (repetition is null ? [.. course.Lessons] : [.. repetition.Asked]);
        var remaining = enrolment?.RemainingLessons(course).ToList() ?? asked;
        var next = enrolment is null
            ? url.Page("/Learning/Overview", new { courseId = course.Id })
            : url.Page("/Learning/Lesson", new { courseId = course.Id, lessonId = enrolment.CurrentLessonId });
        return new CourseRow(
            course.Id, course.Title, CourseStatusText.Of(enrolment, due, today), due,
            asked.Count - remaining.Count, asked.Count, remaining.Sum(l => l.Minutes),
            null, next, repetition?.Asks());
    }

    public static CourseRow Completed(IUrlHelper url, CompiledCourse course, Enrolment completion, IReadOnlyList<DateTime> earlier) =>
        new(course.Id, course.Title, CourseStatus.Done, null, course.Lessons.Length, course.Lessons.Length, 0,
            completion.CompletedAt, url.Page("/Learning/Certificate", new { courseId = course.Id }), null, earlier);
}

/// <summary>A reminder on "Mina kurser": what it says, and where to act on it.</summary>
public sealed record Notice(long ReminderId, string Text, string? Url, string Action);
