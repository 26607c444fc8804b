using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Learning;

/// <summary>The queries the learner's pages share: which courses a learner may take, and where they are in each.</summary>
public sealed class Learning(AppDbContext db)
{
    /// <summary>
    /// The learner's open enrolment in a course, or else their latest completed one, with its lesson completions,
    /// quiz attempts and, when <paramref name="answersOfLesson"/> names a lesson, that lesson's answers (a learner may
    /// answer a practice question many times; no page needs all answers). Tracked when the caller will change it;
    /// a page that only shows it reads it untracked, which is cheaper.
    /// </summary>
    public Task<Enrolment?> LatestEnrolmentAsync(
        int learnerId, string courseId, CancellationToken cancel, bool tracked = true, string? answersOfLesson = null)
    {
        // The two shapes every lesson and course page view asks for, compiled once: building and looking up the
        // LINQ query each time was a tenth of a lesson page's work (docs/benchmarks.md, issue 18).
        if (!tracked)
        {
            return answersOfLesson is null
                ? ShownWithoutAnswers(db, learnerId, courseId, cancel)
                : ShownWithAnswers(db, learnerId, courseId, answersOfLesson, cancel);
        }

        IQueryable<Enrolment> enrolments = (tracked ? db.Enrolments : db.Enrolments.AsNoTracking())
            .Include(e => e.CompletedLessons)
            .Include(e => e.Attempts);
        var withAnswers = answersOfLesson is null
            ? enrolments
            : enrolments.Include(e => e.Answers.Where(a => a.LessonId == answersOfLesson));
        return withAnswers
            .AsSplitQuery()
            .Where(e => e.LearnerId == learnerId && e.CourseId == courseId)
            .OrderBy(e => e.CompletedAt != null)
            .ThenByDescending(e => e.StartedAt)
            .FirstOrDefaultAsync(cancel);
    }

    private static readonly Func<AppDbContext, int, string, CancellationToken, Task<Enrolment?>> ShownWithoutAnswers =
        EF.CompileAsyncQuery((AppDbContext db, int learnerId, string courseId, CancellationToken _) =>
            db.Enrolments.AsNoTracking()
                .Include(e => e.CompletedLessons)
                .Include(e => e.Attempts)
                .AsSplitQuery()
                .Where(e => e.LearnerId == learnerId && e.CourseId == courseId)
                .OrderBy(e => e.CompletedAt != null)
                .ThenByDescending(e => e.StartedAt)
                .FirstOrDefault());

    private static readonly Func<AppDbContext, int, string, string, CancellationToken, Task<Enrolment?>> ShownWithAnswers =
        EF.CompileAsyncQuery((AppDbContext db, int learnerId, string courseId, string lessonId, CancellationToken _) =>
            db.Enrolments.AsNoTracking()
                .Include(e => e.CompletedLessons)
                .Include(e => e.Attempts)
                .Include(e => e.Answers.Where(a => a.LessonId == lessonId))
                .AsSplitQuery()
                .Where(e => e.LearnerId == learnerId && e.CourseId == courseId)
                .OrderBy(e => e.CompletedAt != null)
                .ThenByDescending(e => e.StartedAt)
                .FirstOrDefault());

    /// <summary>The learner's latest completion of a course with its lesson completions, which a refresher compares with.</summary>
    public Task<Enrolment?> LastCompletionAsync(int learnerId, string courseId, CancellationToken cancel) =>
        db.Enrolments.AsNoTracking()
            .Include(e => e.CompletedLessons)
            .Where(e => e.LearnerId == learnerId && e.CourseId == courseId && e.CompletedAt != null)
            .OrderByDescending(e => e.CompletedAt)
            .FirstOrDefaultAsync(cancel);

    /// <summary>The learner's assignment of a course with the latest due date: the one "Mina kurser" follows.</summary>
    public Task<Assignment?> LatestAssignmentAsync(int learnerId, string courseId, CancellationToken cancel) =>
        db.Assignments.AsNoTracking()
            .Where(a => a.LearnerId == learnerId && a.CourseId == courseId)
            .OrderByDescending(a => a.DueOn)
            .FirstOrDefaultAsync(cancel);

    /// <summary>
    /// A learner may open a course they have started (they finish the version they began, whatever happened since),
    /// or one they may take: the course page's rule, which its media follow too.
    /// </summary>
    public async Task<bool> MayOpenAsync(int learnerId, CompiledCourse course, CancellationToken cancel) =>
        await db.Enrolments.AnyAsync(e => e.LearnerId == learnerId && e.CourseId == course.Id, cancel)
        || await MayTakeAsync(learnerId, course, cancel);

    /// <summary>A learner may take a course that is assigned to them or written for one of their audiences.</summary>
    public async Task<bool> MayTakeAsync(int learnerId, CompiledCourse course, CancellationToken cancel)
    {
        if (await db.Assignments.AnyAsync(a => a.LearnerId == learnerId && a.CourseId == course.Id, cancel))
        {
            return true;
        }

        var audiences = await db.Learners.Where(l => l.Id == learnerId).Select(l => l.Audiences).FirstOrDefaultAsync(cancel) ?? [];
        return course.Audiences.Intersect(audiences).Any();
    }
}

/// <summary>Where a learner stands in a course, as "Mina kurser" shows it.</summary>
public enum CourseStatus
{
    NotStarted,
    InProgress,
    Overdue,
    Done,
}

public static class CourseStatusText
{
    public static string Swedish(this CourseStatus status) => status switch
    {
        CourseStatus.NotStarted => "Ej påbörjad",
        CourseStatus.InProgress => "Pågår",
        CourseStatus.Overdue => "Försenad",
        _ => "Klar",
    };

    public static CourseStatus Of(Enrolment? enrolment, DateOnly? due, DateOnly today) => enrolment switch
    {
        { IsCompleted: true } => CourseStatus.Done,
        _ when due < today => CourseStatus.Overdue,
        null => CourseStatus.NotStarted,
        _ => CourseStatus.InProgress,
    };
}

public static class RefresherText
{
    /// <summary>What a refresher asks, as a phrase: "2 ändrade lektioner och slutprovet", "bara repetitionsprovet".</summary>
    public static string Asks(this Refresher refresher)
    {
        if (refresher.NothingChanged)
        {
            return refresher.AsksFinalQuiz ? "bara repetitionsprovet" : "bara den sista lektionen";
        }

        List<string> parts = [];
        if (refresher.Changed.Length > 0)
        {
            parts.Add(refresher.Changed.Length == 1 ? "1 ändrad lektion" : $"{refresher.Changed.Length} ändrade lektioner");
        }

        if (refresher.Added.Length > 0)
        {
            parts.Add(refresher.Added.Length == 1 ? "1 ny lektion" : $"{refresher.Added.Length} nya lektioner");
        }

        if (refresher.AsksFinalQuiz)
        {
            parts.Add("slutprovet");
        }

        return parts.Count == 1 ? parts[0] : $"{string.Join(", ", parts[..^1])} och {parts[^1]}";
    }
}
