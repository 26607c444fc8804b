using System.Collections.Immutable;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Features.Xapi;

namespace Nanolearning.Web.Features.Learning;

/// <summary>
/// One learner taking one version of a course. It owns the rules of progress: answers are recorded once per
/// submission, lessons are completed once, the course is done when every lesson is, and every change writes its
/// learning event to the outbox in the same save. A refresher (an enrolment started after an earlier completion)
/// carries over the lessons that have not changed since, so the learner is asked only for the rest.
/// </summary>
public sealed class Enrolment
{
    private Enrolment()
    {
    }

    /// <summary>Also the xAPI registration of the attempt.</summary>
    public Guid Id { get; private set; }

    public int LearnerId { get; private set; }

    public Learner? Learner { get; private set; }

    public string CourseId { get; private set; } = "";

    /// <summary>The compiled course's content hash; the learner finishes this version even if the course changes.</summary>
    public string CourseVersion { get; private set; } = "";

    public DateTime StartedAt { get; private set; }

    /// <summary>Where the learner is: the lesson they resume at.</summary>
    public string CurrentLessonId { get; private set; } = "";

    public DateTime? CompletedAt { get; private set; }

    /// <summary>Best final-quiz score in percent, if the course has a final quiz.</summary>
    public int? BestScore { get; private set; }

    public List<LessonCompletion> CompletedLessons { get; private set; } = [];

    /// <summary>The answers the caller loaded: pages load one lesson's, which is all its rules need.</summary>
    public List<Answer> Answers { get; private set; } = [];

    public List<QuizAttempt> Attempts { get; private set; } = [];

    public List<LearningEvent> Events { get; private set; } = [];

    public bool IsCompleted => CompletedAt is not null;

    /// <summary>
    /// Starts a course. Given the learner's <paramref name="lastCompletion"/> of the course, it starts a refresher:
    /// the lessons <see cref="Refresher.Plan"/> carries over count as done from the start, without a learning event,
    /// because the learner did not experience them again.
    /// </summary>
    public static Enrolment Start(int learnerId, CompiledCourse course, DateTime now, Enrolment? lastCompletion = null)
    {
        var enrolment = new Enrolment
        {
            Id = Guid.NewGuid(),
            LearnerId = learnerId,
            CourseId = course.Id,
            CourseVersion = course.Version,
            StartedAt = now,
        };
        if (lastCompletion is { IsCompleted: true })
        {
            foreach (var lesson in Refresher.Plan(lastCompletion, course).CarriedOver)
            {
                enrolment.CompletedLessons.Add(new LessonCompletion
                {
                    LessonId = lesson.Id, ContentHash = lesson.ContentHash, CompletedAt = now, CarriedOver = true,
                });
            }
        }

        enrolment.CurrentLessonId = enrolment.AskedLessons(course).First().Id;
        enrolment.Emit(LearningVerb.Launched, now);
        return enrolment;
    }

    public bool HasCompleted(Lesson lesson) => CompletedLessons.Any(c => c.LessonId == lesson.Id);

    /// <summary>Whether the lesson counts as done from the learner's earlier completion, unchanged since.</summary>
    public bool IsCarriedOver(Lesson lesson) => CompletedLessons.Any(c => c.LessonId == lesson.Id && c.CarriedOver);

    /// <summary>Whether this is a refresher that spared the learner some lessons.</summary>
    public bool HasCarriedOver => CompletedLessons.Any(c => c.CarriedOver);

    /// <summary>The lessons this enrolment asks the learner to take, in order: all of them, except in a refresher.</summary>
    public IEnumerable<Lesson> AskedLessons(CompiledCourse course) => course.Lessons.Where(l => !IsCarriedOver(l));

    /// <summary>Where "Nästa lektion" leads: the next lesson asked for, skipping carried-over ones.</summary>
    public Lesson? NextAskedAfter(CompiledCourse course, Lesson lesson) =>
        AskedLessons(course).FirstOrDefault(l => l.Number > lesson.Number);

    public Lesson? PreviousAskedBefore(CompiledCourse course, Lesson lesson) =>
        AskedLessons(course).LastOrDefault(l => l.Number < lesson.Number);

    /// <summary>The learner's latest practice answer to a question, if any.</summary>
    public Answer? LatestAnswer(Question question) =>
        Answers.Where(a => a.QuestionId == question.Id && a.QuizAttemptId is null).MaxBy(a => a.AnsweredAt);

    /// <summary>
    /// Records an answer to a question in an ordinary lesson. A form submitted twice (double click, replay) has the
    /// same submission id and returns the first answer instead of counting again.
    /// </summary>
    public Answer RecordAnswer(Lesson lesson, Question question, Response response, Guid submissionId, DateTime now)
    {
        var earlier = Answers.FirstOrDefault(a => a.SubmissionId == submissionId && a.QuestionId == question.Id);
        if (earlier is not null)
        {
            return earlier;
        }

        var answer = Answer.For(lesson, question, response, submissionId, now);
        Answers.Add(answer);
        CurrentLessonId = lesson.Id;
        // A reflection's text is stored once, in the answer: the outbox row only says that a reflection was made, so
        // the text neither lingers in the outbox after delivery nor can reach an LRS (docs/xapi.md, docs/privacy.md).
        Emit(LearningVerb.Answered, now, lesson.Id, question.Id, answer.IsCorrect, response: question.IsGradable ? answer.Response : null);
        return answer;
    }

    /// <summary>Marks a lesson done and moves the learner on. Completing it again changes nothing.</summary>
    public void CompleteLesson(CompiledCourse course, Lesson lesson, DateTime now)
    {
        var next = NextAskedAfter(course, lesson);
        if (!HasCompleted(lesson))
        {
            CompletedLessons.Add(new LessonCompletion { LessonId = lesson.Id, ContentHash = lesson.ContentHash, CompletedAt = now });
            Emit(LearningVerb.Experienced, now, lesson.Id);
        }

        if (!IsCompleted)
        {
            CurrentLessonId = next?.Id ?? lesson.Id;
        }

        CompleteCourseIfDone(course, now);
    }

    /// <summary>
    /// Grades a final-quiz attempt. The same submission id returns the attempt already graded, so a replayed form
    /// never counts twice. Passing completes the quiz lesson.
    /// </summary>
    public QuizAttempt SubmitFinalQuiz(
        CompiledCourse course, Lesson quiz, IReadOnlyDictionary<string, Response> responses, Guid submissionId, DateTime now)
    {
        var earlier = Attempts.FirstOrDefault(a => a.SubmissionId == submissionId);
        if (earlier is not null)
        {
            return earlier;
        }

        var graded = quiz.Questions.Where(q => q.IsGradable).ToList();
        var attempt = new QuizAttempt
        {
            Number = Attempts.Count + 1,
            SubmissionId = submissionId,
            SubmittedAt = now,
            QuestionCount = graded.Count,
        };
        foreach (var question in quiz.Questions)
        {
            var response = responses.GetValueOrDefault(question.Id) ?? Response.Empty;
            var answer = Answer.For(quiz, question, response, submissionId, now);
            attempt.Answers.Add(answer);
            Answers.Add(answer);
            if (answer.IsCorrect == true)
            {
                attempt.CorrectCount++;
            }
        }

        attempt.ScorePercent = graded.Count == 0 ? 100 : (int)Math.Floor(100.0 * attempt.CorrectCount / graded.Count);
        attempt.Passed = attempt.ScorePercent >= (course.PassThreshold ?? 100);
        Attempts.Add(attempt);
        BestScore = Math.Max(BestScore ?? 0, attempt.ScorePercent);
        Emit(attempt.Passed ? LearningVerb.Passed : LearningVerb.Failed, now, quiz.Id,
            success: attempt.Passed, score: attempt.ScorePercent / 100.0);

        if (attempt.Passed)
        {
            CompleteLesson(course, quiz, now);
        }
        else
        {
            CurrentLessonId = quiz.Id;
        }

        return attempt;
    }

    /// <summary>Lessons not yet done, in order; carried-over lessons are done.</summary>
    public IEnumerable<Lesson> RemainingLessons(CompiledCourse course) => course.Lessons.Where(l => !HasCompleted(l));

    private void CompleteCourseIfDone(CompiledCourse course, DateTime now)
    {
        if (IsCompleted || course.Lessons.Any(l => !HasCompleted(l)))
        {
            return;
        }

        CompletedAt = now;
        Emit(LearningVerb.Completed, now, success: course.FinalQuiz is null ? null : true,
            score: course.FinalQuiz is null ? null : BestScore / 100.0);
    }

    private void Emit(
        LearningVerb verb, DateTime now, string? lessonId = null, string? questionId = null, bool? success = null,
        double? score = null, string? response = null) =>
        Events.Add(new LearningEvent
        {
            Id = Guid.NewGuid(),
            EnrolmentId = Id,
            LearnerId = LearnerId,
            Verb = verb,
            CourseId = CourseId,
            CourseVersion = CourseVersion,
            LessonId = lessonId,
            QuestionId = questionId,
            Success = success,
            ScoreScaled = score,
            Response = response,
            OccurredAt = now,
        });
}

/// <summary>What a learner sent for one question: chosen option ids, or free text for a reflection.</summary>
public sealed record Response(IReadOnlyList<string> Options, string? Text)
{
    public static Response Empty { get; } = new([], null);
}

public sealed class LessonCompletion
{
    public long Id { get; set; }

    public Guid EnrolmentId { get; set; }

    public required string LessonId { get; set; }

    /// <summary>The lesson's content hash when it was done; a later refresher compares it with the current one.</summary>
    public required string ContentHash { get; set; }

    /// <summary>When it was done, or for a carried-over lesson, when the refresher started.</summary>
    public DateTime CompletedAt { get; set; }

    /// <summary>
    /// Done in an earlier completion and unchanged since, so the refresher did not ask for it again. Its
    /// <see cref="ContentHash"/> is still the content the learner read, so the next refresher compares correctly.
    /// </summary>
    public bool CarriedOver { get; set; }
}

/// <summary>
/// What a refresher asks of someone who completed a course before: the ordinary lessons whose content changed or that
/// are new since then (by the compiler's per-lesson content hash), and the final quiz, which is always taken again.
/// Unchanged, the final quiz alone is the short repetition quiz; a course without a final quiz and without changes
/// asks for its last lesson, so a refresher is never empty.
/// </summary>
public sealed record Refresher(
    DateTime LastCompletedAt,
    ImmutableArray<Lesson> Changed,
    ImmutableArray<Lesson> Added,
    ImmutableArray<Lesson> Asked,
    ImmutableArray<Lesson> CarriedOver)
{
    public static Refresher Plan(Enrolment lastCompletion, CompiledCourse live)
    {
        if (lastCompletion.CompletedAt is not { } completedAt)
        {
            throw new InvalidOperationException("A refresher follows a completed enrolment.");
        }

        var read = lastCompletion.CompletedLessons.ToDictionary(c => c.LessonId, c => c.ContentHash);
        var unchanged = live.Lessons.Where(l => !l.IsFinalQuiz && read.GetValueOrDefault(l.Id) == l.ContentHash).ToList();
        if (unchanged.Count == live.Lessons.Length)
        {
            // No final quiz and nothing changed: the last lesson, with its check questions, is the repetition.
            unchanged.RemoveAt(unchanged.Count - 1);
        }

        var asked = live.Lessons.Where(l => !unchanged.Any(u => u.Id == l.Id)).ToImmutableArray();
        var ordinary = asked.Where(l => !l.IsFinalQuiz).ToList();
        return new Refresher(
            completedAt,
            [.. ordinary.Where(l => read.TryGetValue(l.Id, out var hash) && hash != l.ContentHash)],
            [.. ordinary.Where(l => !read.ContainsKey(l.Id))],
            asked,
            [.. unchanged]);
    }

    public bool NothingChanged => Changed.IsEmpty && Added.IsEmpty;

    public bool AsksFinalQuiz => Asked.Any(l => l.IsFinalQuiz);

    public int Minutes => Asked.Sum(l => l.Minutes);
}

public sealed class Answer
{
    public long Id { get; set; }

    public Guid EnrolmentId { get; set; }

    public required string LessonId { get; set; }

    public required string QuestionId { get; set; }

    /// <summary>Chosen option ids joined with commas ("a,c"), or the reflection text.</summary>
    public required string Response { get; set; }

    /// <summary>Null for reflections, which are not graded.</summary>
    public bool? IsCorrect { get; set; }

    public Guid SubmissionId { get; set; }

    public int? QuizAttemptId { get; set; }

    public DateTime AnsweredAt { get; set; }

    public IReadOnlyList<string> ChosenOptions =>
        IsCorrect is null ? [] : Response.Split(',', StringSplitOptions.RemoveEmptyEntries);

    internal static Answer For(Lesson lesson, Question question, Response response, Guid submissionId, DateTime now) => new()
    {
        LessonId = lesson.Id,
        QuestionId = question.Id,
        Response = question.IsGradable ? string.Join(',', response.Options.Order(StringComparer.Ordinal)) : response.Text ?? "",
        IsCorrect = question.IsGradable ? question.IsCorrect(response.Options) : null,
        SubmissionId = submissionId,
        AnsweredAt = now,
    };
}

public sealed class QuizAttempt
{
    public int Id { get; set; }

    public Guid EnrolmentId { get; set; }

    public int Number { get; set; }

    public Guid SubmissionId { get; set; }

    public int QuestionCount { get; set; }

    public int CorrectCount { get; set; }

    public int ScorePercent { get; set; }

    public bool Passed { get; set; }

    public DateTime SubmittedAt { get; set; }

    public List<Answer> Answers { get; set; } = [];
}
