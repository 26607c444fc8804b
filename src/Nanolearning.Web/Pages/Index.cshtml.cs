using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Accounts;
using Nanolearning.Web.Courses;
using Nanolearning.Web.Data;

namespace Nanolearning.Web.Pages;

/// <summary>"Mina kurser": what is assigned and by when, what else is open to the learner, and what is done.</summary>
public sealed class IndexModel(AppDbContext db, CourseCatalog catalog, TimeProvider time) : PageModel
{
    public string? FirstName { get; private set; }

    public List<CourseRow> ToDo { get; } = [];

    public List<CourseRow> Open { get; } = [];

    public List<CourseRow> Done { get; } = [];

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
        var due = await db.Assignments.AsNoTracking()
            .Where(a => a.LearnerId == learnerId)
            .GroupBy(a => a.CourseId)
            .Select(g => new { CourseId = g.Key, DueOn = g.Max(a => a.DueOn) })
            .ToDictionaryAsync(a => a.CourseId, a => a.DueOn, cancel);
        var enrolments = (await db.Enrolments.AsNoTracking()
                .Include(e => e.CompletedLessons)
                .Where(e => e.LearnerId == learnerId)
                .ToListAsync(cancel))
            .GroupBy(e => e.CourseId)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.IsCompleted).ThenByDescending(e => e.StartedAt).First());

        var today = Format.Today(time);
        var courseIds = due.Keys.Union(enrolments.Keys)
            .Union(catalog.Live.Where(c => c.Audiences.Intersect(learner.Audiences).Any()).Select(c => c.Id));
        foreach (var courseId in courseIds)
        {
            var enrolment = enrolments.GetValueOrDefault(courseId);
            var course = enrolment is null
                ? catalog.FindLive(courseId)
                : await catalog.FindVersionAsync(courseId, enrolment.CourseVersion, cancel);
            if (course is null)
            {
                continue;
            }

            var row = CourseRow.For(course, enrolment, due.TryGetValue(courseId, out var d) ? d : null, today);
            var list = row.Status == CourseStatus.Done ? Done
                : row.Due is not null || enrolment is not null ? ToDo
                : Open;
            list.Add(row);
        }

        ToDo.Sort((a, b) => (a.Due ?? DateOnly.MaxValue).CompareTo(b.Due ?? DateOnly.MaxValue));
        Done.Sort((a, b) => Nullable.Compare(b.CompletedAt, a.CompletedAt));
    }
}

public sealed record CourseRow(
    string CourseId, string Title, CourseStatus Status, DateOnly? Due, int LessonsDone, int LessonCount, int MinutesLeft,
    DateTime? CompletedAt, string NextUrl)
{
    public static CourseRow For(CompiledCourse course, Enrolment? enrolment, DateOnly? due, DateOnly today)
    {
        var remaining = enrolment?.RemainingLessons(course).ToList() ?? [.. course.Lessons];
        var next = enrolment is null ? $"/kurs/{course.Id}" : $"/kurs/{course.Id}/{enrolment.CurrentLessonId}";
        return new CourseRow(
            course.Id, course.Title, CourseStatusText.Of(enrolment, due, today), due,
            course.Lessons.Length - remaining.Count, course.Lessons.Length, remaining.Sum(l => l.Minutes),
            enrolment?.CompletedAt, next);
    }
}
