using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.MunicipalityFacts;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Learning;

/// <summary>
/// The lesson player: one lesson per screen. Everything is a plain form posted to the server and answered with a
/// redirect, so it works without JavaScript and a reload never posts twice.
/// </summary>
[EnableRateLimiting(RateLimits.Answers)]
[OneConnection]
public sealed class LessonModel(AppDbContext db, Learning learning, CourseCatalog catalog, FactFilling facts, TimeProvider time) : PageModel
{
    public const int MaxReflectionLength = 4000;

    public CompiledCourse Course { get; private set; } = null!;

    public Lesson Lesson { get; private set; } = null!;

    public Enrolment Enrolment { get; private set; } = null!;

    /// <summary>The kommun's facts, filled into the lesson's HTML as it is shown.</summary>
    public FilledFacts Facts { get; private set; } = FilledFacts.None;

    public Lesson? Previous { get; private set; }

    public Lesson? Next { get; private set; }

    /// <summary>The final-quiz form's id; a resubmitted form carries the same one and is not counted twice.</summary>
    public Guid Submission { get; } = Guid.NewGuid();

    /// <summary>The final-quiz attempt whose result is shown, if any.</summary>
    public QuizAttempt? Attempt { get; private set; }

    public List<InputError> Errors { get; } = [];

    /// <summary>Responses the learner sent that could not be saved yet, shown again so nothing typed is lost.</summary>
    public Dictionary<string, Response> Unsaved { get; } = [];

    /// <summary>The lessons this enrolment asks for: all of them, or in a refresher those not carried over.</summary>
    public List<Lesson> Asked { get; private set; } = [];

    /// <summary>The lesson's place among the lessons asked for; 0 for a carried-over lesson opened to read again.</summary>
    public int Position => Asked.IndexOf(Lesson) + 1;

    public int AskedDone => Asked.Count(Enrolment.HasCompleted);

    public async Task<IActionResult> OnGetAsync(string courseId, string lessonId, int? forsok, CancellationToken cancel)
    {
        if (await LoadAsync(courseId, lessonId, cancel, tracked: false) is { } problem)
        {
            return problem;
        }

        Attempt = forsok is { } number ? Enrolment.Attempts.FirstOrDefault(a => a.Number == number) : null;
        return Page();
    }

    public async Task<IActionResult> OnPostAnswerAsync(
        string courseId, string lessonId, string? questionId, string[]? svar, string? text, Guid submission, CancellationToken cancel)
    {
        if (await LoadAsync(courseId, lessonId, cancel) is { } problem)
        {
            return problem;
        }

        var question = Lesson.Questions.FirstOrDefault(q => q.Id == questionId);
        if (Lesson.IsFinalQuiz || question is null || submission == Guid.Empty || !IsValid(question, svar ?? [], text))
        {
            return Problem.BadAnswer(this, courseId, lessonId);
        }

        var response = new Response(svar ?? [], text?.Trim());
        if (Missing(question, response) is { } missing)
        {
            Errors.Add(new InputError(question.Id, $"Fråga {NumberOf(question)}: {missing}"));
            Unsaved[question.Id] = response;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        Enrolment.RecordAnswer(Lesson, question, response, submission, time.GetUtcNow().UtcDateTime);
        await SaveOnceAsync(submission, cancel, question.Id);
        return RedirectToPage("/Learning/Lesson", null, new { courseId, lessonId }, $"fraga-{question.Id}");
    }

    public async Task<IActionResult> OnPostQuizAsync(string courseId, string lessonId, Guid submission, CancellationToken cancel)
    {
        if (await LoadAsync(courseId, lessonId, cancel) is { } problem)
        {
            return problem;
        }

        if (!Lesson.IsFinalQuiz || submission == Guid.Empty)
        {
            return Problem.BadAnswer(this, courseId, lessonId);
        }

        var questions = Lesson.Questions.ToDictionary(q => q.Id);
        var sent = Request.Form.Keys.Where(k => k.StartsWith("svar-", StringComparison.Ordinal) || k.StartsWith("text-", StringComparison.Ordinal));
        if (sent.Any(k => !questions.ContainsKey(k[5..])))
        {
            return Problem.BadAnswer(this, courseId, lessonId);
        }

        foreach (var question in questions.Values)
        {
            string[] options = [.. Request.Form["svar-" + question.Id].OfType<string>()];
            string? text = Request.Form["text-" + question.Id];
            if (!IsValid(question, options, text))
            {
                return Problem.BadAnswer(this, courseId, lessonId);
            }

            Unsaved[question.Id] = new Response(options, text?.Trim());
            if (question.IsGradable && Missing(question, Unsaved[question.Id]) is { } missing)
            {
                Errors.Add(new InputError(question.Id, $"Fråga {NumberOf(question)}: {missing}"));
            }
        }

        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var attempt = Enrolment.SubmitFinalQuiz(Course, Lesson, Unsaved, submission, time.GetUtcNow().UtcDateTime);
        await SaveOnceAsync(submission, cancel);
        var number = attempt.Number;
        if (attempt.Id == 0)
        {
            // Saved by a simultaneous identical submission: show that one.
            number = await db.QuizAttempts.Where(a => a.EnrolmentId == Enrolment.Id && a.SubmissionId == submission)
                .Select(a => a.Number).FirstAsync(cancel);
        }

        return RedirectToPage("/Learning/Lesson", null, new { courseId, lessonId, forsok = number }, "resultat");
    }

    public async Task<IActionResult> OnPostNextAsync(string courseId, string lessonId, CancellationToken cancel)
    {
        if (await LoadAsync(courseId, lessonId, cancel) is { } problem)
        {
            return problem;
        }

        if (Lesson.IsFinalQuiz && !Enrolment.HasCompleted(Lesson))
        {
            return RedirectToPage("/Learning/Lesson", new { courseId, lessonId });
        }

        Enrolment.CompleteLesson(Course, Lesson, time.GetUtcNow().UtcDateTime);
        await SaveOnceAsync(null, cancel);
        return Next is null || Enrolment.IsCompleted
            ? RedirectToPage("/Learning/Done", new { courseId })
            : RedirectToPage("/Learning/Lesson", new { courseId, lessonId = Next.Id });
    }

    public int NumberOf(Question question) => Lesson.Questions.ToList().IndexOf(question) + 1;

    public InputError? ErrorFor(Question question) => Errors.FirstOrDefault(e => e.QuestionId == question.Id);

    public Answer? FeedbackFor(Question question) =>
        Attempt is not null
            ? Enrolment.Answers.FirstOrDefault(a => a.QuizAttemptId == Attempt.Id && a.QuestionId == question.Id)
            : Lesson.IsFinalQuiz ? null : Enrolment.LatestAnswer(question);

    public bool IsChosen(Question question, string optionId) =>
        Unsaved.TryGetValue(question.Id, out var unsaved)
            ? unsaved.Options.Contains(optionId)
            : FeedbackFor(question)?.ChosenOptions.Contains(optionId) == true;

    public string? TextFor(Question question) =>
        Unsaved.TryGetValue(question.Id, out var unsaved) ? unsaved.Text : FeedbackFor(question)?.Response;

    private async Task<IActionResult?> LoadAsync(string courseId, string lessonId, CancellationToken cancel, bool tracked = true)
    {
        if (User.LearnerId() is not { } learnerId)
        {
            return Problem.NotALearner(this);
        }

        var enrolment = await learning.LatestEnrolmentAsync(learnerId, courseId, cancel, tracked);
        if (enrolment is null)
        {
            // Not started yet: the course page explains the course and starts it.
            return RedirectToPage("/Learning/Overview", new { courseId });
        }

        var course = await catalog.FindVersionAsync(enrolment, cancel);
        if (course is null)
        {
            return Problem.CourseNotFound(this);
        }

        var lesson = course.Lessons.FirstOrDefault(l => l.Id == lessonId);
        if (lesson is null)
        {
            return Problem.LessonNotFound(this, courseId);
        }

        if (lesson.Questions.Any())
        {
            await learning.LoadAnswersAsync(enrolment, lesson.Id, tracked, cancel);
        }

        if (lesson.IsFinalQuiz)
        {
            await learning.LoadAttemptsAsync(enrolment, tracked, cancel);
        }

        Course = course;
        Enrolment = enrolment;
        Lesson = lesson;
        Asked = [.. enrolment.AskedLessons(course)];
        Facts = await facts.LoadAsync(cancel);
        // A refresher leads past carried-over lessons; the course page still links to them for reading.
        Previous = enrolment.PreviousAskedBefore(course, lesson);
        Next = enrolment.NextAskedAfter(course, lesson);
        return null;
    }

    /// <summary>Only options the question has, at most one for single choice, and reflections of a sane length.</summary>
    private static bool IsValid(Question question, IReadOnlyCollection<string> options, string? text) =>
        options.All(o => question.Options.Any(q => q.Id == o))
        && options.Distinct().Count() == options.Count
        && (question.Kind != QuestionKind.SingleChoice || options.Count <= 1)
        && (question.Kind == QuestionKind.Reflection ? options.Count == 0 && (text?.Length ?? 0) <= MaxReflectionLength : text is null or "");

    private static string? Missing(Question question, Response response) => question.Kind switch
    {
        QuestionKind.Reflection when string.IsNullOrWhiteSpace(response.Text) => "Skriv några ord innan du sparar.",
        QuestionKind.SingleChoice when response.Options.Count == 0 => "Välj ett svar.",
        QuestionKind.MultipleChoice when response.Options.Count == 0 => "Välj minst ett svar.",
        _ => null,
    };

    /// <summary>
    /// Saves, treating a unique-key clash as "a simultaneous identical request already saved this" when that very
    /// row is there; any other failure is not swallowed, so an answer is never silently lost.
    /// </summary>
    private async Task SaveOnceAsync(Guid? submission, CancellationToken cancel, string? questionId = null)
    {
        try
        {
            await db.SaveChangesAsync(cancel);
        }
        catch (DbUpdateException clash) when (Database.IsUniqueViolation(clash))
        {
            db.ChangeTracker.Clear();
            var enrolmentId = Enrolment.Id;
            var saved = (submission, questionId) switch
            {
                ({ } id, { } question) => await db.Answers.AnyAsync(a => a.EnrolmentId == enrolmentId && a.SubmissionId == id && a.QuestionId == question, cancel),
                ({ } id, null) => await db.QuizAttempts.AnyAsync(a => a.EnrolmentId == enrolmentId && a.SubmissionId == id, cancel),
                _ => await db.LessonCompletions.AnyAsync(c => c.EnrolmentId == enrolmentId && c.LessonId == Lesson.Id, cancel),
            };
            if (!saved)
            {
                throw;
            }
        }
    }
}

/// <summary>Why an answer could not be saved, tied to its question so the page can point at it.</summary>
public sealed record InputError(string QuestionId, string Message);
