using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Learning;

/// <summary>The queries the learner's pages share: which courses a learner may take, and where they are in each.</summary>
public sealed class Learning(AppDbContext db)
{
    /// <summary>
    /// The learner's open enrolment in a course, or else their latest completed one, with its lesson completions: all
    /// that the course page and most of the lesson page's rules need. A lesson with questions loads its own answers
    /// (<see cref="LoadAnswersAsync"/>) and the final quiz its attempts (<see cref="LoadAttemptsAsync"/>); no page
    /// needs every answer. Tracked when the caller will change it; a page that only shows it reads it untracked,
    /// which is cheaper.
    /// </summary>
    public Task<Enrolment?> LatestEnrolmentAsync(int learnerId, string courseId, CancellationToken cancel, bool tracked = true) =>
        tracked ? LatestTracked(db, learnerId, courseId, cancel) : LatestShown(db, learnerId, courseId, cancel);

    /// <summary>Adds the answers to one lesson's questions to the enrolment.</summary>
    public async Task LoadAnswersAsync(Enrolment enrolment, string lessonId, bool tracked, CancellationToken cancel)
    {
        var answers = await (tracked ? AnswersTracked(db, enrolment.Id, lessonId) : AnswersShown(db, enrolment.Id, lessonId))
            .ToListAsync(cancel);
        AddUntracked(enrolment.Answers, answers, tracked);
    }

    /// <summary>Adds the enrolment's final-quiz attempts, which number a new attempt and show a result.</summary>
    public async Task LoadAttemptsAsync(Enrolment enrolment, bool tracked, CancellationToken cancel)
    {
        var attempts = db.QuizAttempts.Where(a => a.EnrolmentId == enrolment.Id);
        AddUntracked(enrolment.Attempts, await (tracked ? attempts : attempts.AsNoTracking()).ToListAsync(cancel), tracked);
    }

    // Rows loaded with tracking join a tracked enrolment's collection by EF's fix-up; untracked ones are added by hand.
    private static void AddUntracked<T>(List<T> collection, List<T> loaded, bool tracked)
    {
        if (!tracked)
        {
            collection.AddRange(loaded);
        }
    }

    // The lesson page's queries, compiled once and each a single statement: building and looking up LINQ queries,
    // and a split query that repeated the enrolment lookup in each of its four statements, were a large part of a
    // lesson page's work (docs/benchmarks.md, issue 18). One enrolment with its completions is one row joined to a few.
    private static readonly Func<AppDbContext, int, string, CancellationToken, Task<Enrolment?>> LatestTracked =
        EF.CompileAsyncQuery((AppDbContext db, int learnerId, string courseId, CancellationToken _) =>
            db.Enrolments
                .Include(e => e.CompletedLessons)
                .Where(e => e.LearnerId == learnerId && e.CourseId == courseId)
                .OrderBy(e => e.CompletedAt != null)
                .ThenByDescending(e => e.StartedAt)
                .FirstOrDefault());

    private static readonly Func<AppDbContext, int, string, CancellationToken, Task<Enrolment?>> LatestShown =
        EF.CompileAsyncQuery((AppDbContext db, int learnerId, string courseId, CancellationToken _) =>
            db.Enrolments.AsNoTracking()
                .Include(e => e.CompletedLessons)
                .Where(e => e.LearnerId == learnerId && e.CourseId == courseId)
                .OrderBy(e => e.CompletedAt != null)
                .ThenByDescending(e => e.StartedAt)
                .FirstOrDefault());

    private static readonly Func<AppDbContext, Guid, string, IAsyncEnumerable<Answer>> AnswersTracked =
        EF.CompileAsyncQuery((AppDbContext db, Guid enrolmentId, string lessonId) =>
            db.Answers.Where(a => a.EnrolmentId == enrolmentId && a.LessonId == lessonId));

    private static readonly Func<AppDbContext, Guid, string, IAsyncEnumerable<Answer>> AnswersShown =
        EF.CompileAsyncQuery((AppDbContext db, Guid enrolmentId, string lessonId) =>
            db.Answers.AsNoTracking().Where(a => a.EnrolmentId == enrolmentId && a.LessonId == lessonId));

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
