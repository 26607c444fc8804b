using Microsoft.EntityFrameworkCore.Storage;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.FollowUpBenchmark;

/// <summary>Where the simulator's rows go. This base only counts them: a dry run that predicts the row counts.</summary>
internal class Rows
{
    public long Assignments { get; private set; }

    public long Enrolments { get; private set; }

    public long CompletedEnrolments { get; private set; }

    public long LessonCompletions { get; private set; }

    public long Answers { get; private set; }

    public long QuizAttempts { get; private set; }

    /// <summary>What the issue calls progress rows: lesson completions and answers.</summary>
    public long ProgressRows => LessonCompletions + Answers;

    public virtual Task AssignmentAsync(PlannedAssignment assignment)
    {
        Assignments++;
        return Task.CompletedTask;
    }

    public virtual Task EnrolmentAsync(GeneratedEnrolment enrolment)
    {
        Enrolments++;
        CompletedEnrolments += enrolment.CompletedAt is null ? 0 : 1;
        LessonCompletions += enrolment.Lessons.Count;
        Answers += enrolment.Answers.Count;
        QuizAttempts += enrolment.Attempts.Count;
        return Task.CompletedTask;
    }
}

/// <summary>
/// Writes the rows through the app's <see cref="PreparedInsert"/> (EF's own columns and value conversions, so rows are
/// stored as the app stores them), one statement per table, committing every <see cref="RowsPerTransaction"/> rows.
/// </summary>
internal sealed class SqliteRows(AppDbContext db) : Rows, IAsyncDisposable
{
    private const int RowsPerTransaction = 250_000;

    private IDbContextTransaction? _transaction;
    private PreparedInsert[] _inserts = [];
    private int _pending;

    private PreparedInsert AssignmentInsert => _inserts[0];

    private PreparedInsert EnrolmentInsert => _inserts[1];

    private PreparedInsert AttemptInsert => _inserts[2];

    private PreparedInsert LessonCompletionInsert => _inserts[3];

    private PreparedInsert AnswerInsert => _inserts[4];

    public override async Task AssignmentAsync(PlannedAssignment a)
    {
        await base.AssignmentAsync(a);
        await EnsureTransactionAsync();
        await AssignmentInsert.RunAsync(default, a.LearnerId, a.CourseId, a.OpensOn, a.DueOn, a.EntryId, a.AssignedAt, a.Origin);
        _pending++;
    }

    public override async Task EnrolmentAsync(GeneratedEnrolment e)
    {
        await base.EnrolmentAsync(e);
        await EnsureTransactionAsync();
        await EnrolmentInsert.RunAsync(default, e.Id, e.LearnerId, e.Course.Id, e.Course.Course.Version, e.StartedAt, e.CurrentLessonId, e.CompletedAt, e.BestScore);
        foreach (var a in e.Attempts)
        {
            await AttemptInsert.RunAsync(default, a.Id, a.EnrolmentId, a.Number, a.SubmissionId, a.QuestionCount, a.CorrectCount, a.ScorePercent, a.Passed, a.At);
        }

        foreach (var l in e.Lessons)
        {
            await LessonCompletionInsert.RunAsync(default, e.Id, l.Lesson.Id, l.Lesson.Lesson.ContentHash, l.At, l.CarriedOver);
        }

        foreach (var a in e.Answers)
        {
            await AnswerInsert.RunAsync(default, a.EnrolmentId, a.LessonId, a.QuestionId, a.Response, a.IsCorrect, a.SubmissionId, a.QuizAttemptId, a.At);
        }

        _pending += 1 + e.Attempts.Count + e.Lessons.Count + e.Answers.Count;
    }

    /// <summary>Commits what is written so far.</summary>
    public async Task FlushAsync()
    {
        foreach (var insert in _inserts)
        {
            await insert.DisposeAsync();
        }

        _inserts = [];
        if (_transaction is not null)
        {
            await _transaction.CommitAsync();
            await _transaction.DisposeAsync();
            _transaction = null;
        }

        _pending = 0;
    }

    public async ValueTask DisposeAsync() => await FlushAsync();

    private async Task EnsureTransactionAsync()
    {
        if (_pending >= RowsPerTransaction)
        {
            await FlushAsync();
        }

        if (_transaction is not null)
        {
            return;
        }

        _transaction = await db.Database.BeginTransactionAsync();
        _inserts =
        [
            new PreparedInsert(db, typeof(Assignment),
                [nameof(Assignment.LearnerId), nameof(Assignment.CourseId), nameof(Assignment.OpensOn), nameof(Assignment.DueOn),
                 nameof(Assignment.EntryId), nameof(Assignment.AssignedAt), nameof(Assignment.Origin)]),
            new PreparedInsert(db, typeof(Enrolment),
                [nameof(Enrolment.Id), nameof(Enrolment.LearnerId), nameof(Enrolment.CourseId), nameof(Enrolment.CourseVersion),
                 nameof(Enrolment.StartedAt), nameof(Enrolment.CurrentLessonId), nameof(Enrolment.CompletedAt), nameof(Enrolment.BestScore)]),
            new PreparedInsert(db, typeof(QuizAttempt),
                [nameof(QuizAttempt.Id), nameof(QuizAttempt.EnrolmentId), nameof(QuizAttempt.Number), nameof(QuizAttempt.SubmissionId),
                 nameof(QuizAttempt.QuestionCount), nameof(QuizAttempt.CorrectCount), nameof(QuizAttempt.ScorePercent),
                 nameof(QuizAttempt.Passed), nameof(QuizAttempt.SubmittedAt)]),
            new PreparedInsert(db, typeof(LessonCompletion),
                [nameof(LessonCompletion.EnrolmentId), nameof(LessonCompletion.LessonId), nameof(LessonCompletion.ContentHash),
                 nameof(LessonCompletion.CompletedAt), nameof(LessonCompletion.CarriedOver)]),
            new PreparedInsert(db, typeof(Answer),
                [nameof(Answer.EnrolmentId), nameof(Answer.LessonId), nameof(Answer.QuestionId), nameof(Answer.Response),
                 nameof(Answer.IsCorrect), nameof(Answer.SubmissionId), nameof(Answer.QuizAttemptId), nameof(Answer.AnsweredAt)]),
        ];
    }
}
