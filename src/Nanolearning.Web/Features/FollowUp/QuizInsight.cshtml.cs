using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// Which of a course's graded questions the people in a unit and below most often get wrong on their first try, so the
/// chef can choose what to discuss at the next APT. Only counts: no names, and no share for a question with fewer
/// than <see cref="FewestAnswers"/> answers.
/// </summary>
public sealed class QuizInsightModel(AppDbContext db, UnitAccess access, IAuthorizationService authorization, CourseCatalog catalog, TimeProvider time) : PageModel
{
    /// <summary>Below this many answers a share says little and comes close to one person's answer.</summary>
    public const int FewestAnswers = 5;

    private const string ExportSlug = "svara-fragor";

    public UnitNode Unit { get; private set; } = null!;

    public CompiledCourse Course { get; private set; } = null!;

    /// <summary>The questions with a share, most often wrong first, then those with too few answers, in course order.</summary>
    public List<QuestionInsight> Questions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync([FromRoute] int unitId, [FromRoute] string courseId, CancellationToken cancel) =>
        await LoadAsync(unitId, courseId, cancel) ?? Page();

    /// <summary>The question table as a file: <c>?handler=Export&amp;format=csv</c>. Only counts, so nothing is audited.</summary>
    public async Task<IActionResult> OnGetExportAsync(
        [FromRoute] int unitId, [FromRoute] string courseId, [FromQuery] string? format, CancellationToken cancel)
    {
        if (await LoadAsync(unitId, courseId, cancel) is { } refusal)
        {
            return refusal;
        }

        if (!TableExport.TryParseFormat(format, out var exportFormat))
        {
            return FollowUpChecks.BadExport(this, Url.Page("/FollowUp/QuizInsight", new { unitId, courseId }));
        }

        return TableExport.Write(ExportTable(), exportFormat, Format.Today(time)).ToFileResult();
    }

    public string? ExportUrl(ExportFormat format) =>
        Url.Page("/FollowUp/QuizInsight", "Export", new { unitId = Unit.Id, courseId = Course.Id, format = format.ToString().ToLowerInvariant() });

    /// <summary>
    /// The rows for the file as on the page, the wrong answers split into a count and a share. A question with too few
    /// answers shows neither, as on the page; the share is the page's whole percent, so the file says what the page says.
    /// The table holds no group smaller than <see cref="FewestAnswers"/> and no names, so the builder's k-suppression is
    /// not what protects it.
    /// </summary>
    private ReportTable ExportTable()
    {
        var table = new ReportTableBuilder(ExportSlug, $"Frågorna i {Course.Title}, flest fel första gången först", "Fråga",
            ["Lektion", "Svar", "Fel första gången", "Andel fel första gången", "Vanligaste felsvaret"]);
        foreach (var q in Questions)
        {
            var lesson = ReportCell.Of($"{q.Lesson.Number}. {q.Lesson.Title}");
            table.Row(q.Text, q.Answered, q.TooFew
                ? [lesson, ReportCell.Count(q.Answered), ReportCell.Empty, ReportCell.Of("För få svar"), ReportCell.Of("–")]
                : [lesson, ReportCell.Count(q.Answered), ReportCell.Count(q.WrongFirst), ReportCell.Share(q.WrongPercent / 100m),
                    ReportCell.Of(q.CommonWrongAnswer ?? "–")]);
        }

        return table.Note($"{Unit.Name} och enheterna under. Första gången: varje kursstarts första svar på frågan, i slutprovet det första provförsöket. Bara aktiva medarbetare räknas.")
            .BuildWithoutSuppression();
    }

    /// <summary>Checks the unit and the course, then counts the answers; a refusal if either is wrong.</summary>
    private async Task<IActionResult?> LoadAsync(int unitId, string courseId, CancellationToken cancel)
    {
        var managed = await access.ForAsync(User, cancel);
        if (await FollowUpChecks.UnitAsync(this, authorization, managed, unitId) is { } refusal)
        {
            return refusal;
        }

        var unit = managed.Tree.Find(unitId)!;
        if (catalog.FindLive(courseId) is not { } course)
        {
            return Problem.Show(this, StatusCodes.Status404NotFound, "Kursen finns inte",
                "Vi hittar ingen kurs med den adressen. Den kan ha fått ett nytt namn eller tagits bort.", Url.Page("/AnnualWheel/Unit", new { unitId }));
        }

        Unit = unit;
        Course = course;
        var scope = managed.Tree.Subtree(unitId).Select(u => u.Id).ToList();
        var counts = await FirstAnswersAsync(course, scope, cancel);
        Questions = [.. course.Lessons
            .SelectMany(lesson => lesson.Questions.Where(q => q.IsGradable).Select(question => (lesson, question)))
            .Select((q, order) => QuestionInsight.From(q.lesson, q.question, order, counts.Where(c => c.QuestionId == q.question.Id).ToList()))
            .OrderBy(q => q.TooFew)
            .ThenByDescending(q => q.TooFew ? 0 : (double)q.WrongFirst / q.Answered)
            .ThenBy(q => q.Order)];
        return null;
    }

    /// <summary>
    /// Each enrolment's first answer to each of the course's graded questions (for the final quiz, its first attempt's),
    /// among active learners in the units, counted by question, right or wrong, and what was answered. Questions are
    /// matched by id across versions; answers to questions the live course no longer has are left out. The query starts
    /// from the learners in scope and reaches answers through the enrolment index, so it reads only their rows.
    /// </summary>
    private async Task<List<AnswerCount>> FirstAnswersAsync(CompiledCourse course, List<int> scope, CancellationToken cancel)
    {
        var questionIds = course.Lessons.SelectMany(l => l.Questions).Where(q => q.IsGradable).Select(q => q.Id).ToList();
        var courseId = course.Id;
        var answers =
            from learner in db.Learners
            where learner.IsActive && scope.Contains(learner.UnitId)
            join enrolment in db.Enrolments on learner.Id equals enrolment.LearnerId
            where enrolment.CourseId == courseId
            join answer in db.Answers on enrolment.Id equals answer.EnrolmentId
            where answer.IsCorrect != null && questionIds.Contains(answer.QuestionId)
            where !db.Answers.Any(earlier => earlier.EnrolmentId == answer.EnrolmentId && earlier.QuestionId == answer.QuestionId
                && (earlier.AnsweredAt < answer.AnsweredAt || (earlier.AnsweredAt == answer.AnsweredAt && earlier.Id < answer.Id)))
            select answer;
        return await answers
            .GroupBy(a => new { a.QuestionId, IsCorrect = a.IsCorrect == true, a.Response })
            .Select(g => new AnswerCount(g.Key.QuestionId, g.Key.IsCorrect, g.Key.Response, g.Count()))
            .ToListAsync(cancel);
    }
}

/// <summary>How many first answers to a question were right or wrong with one response ("a,c").</summary>
public sealed record AnswerCount(string QuestionId, bool IsCorrect, string Response, int Count);

/// <summary>One graded question of the course with its first-try figures in the unit.</summary>
public sealed record QuestionInsight(Lesson Lesson, Question Question, int Order, int Answered, int WrongFirst, string? CommonWrongAnswer)
{
    public bool TooFew => Answered < QuizInsightModel.FewestAnswers;

    /// <summary>The share wrong on the first try in whole percent.</summary>
    public int WrongPercent => Answered == 0 ? 0 : (int)Math.Round(100.0 * WrongFirst / Answered, MidpointRounding.AwayFromZero);

    public string Text => PlainText(Question.PromptHtml);

    public static QuestionInsight From(Lesson lesson, Question question, int order, List<AnswerCount> counts)
    {
        var wrong = counts.Where(c => !c.IsCorrect).ToList();
        // The wrong answer most gave, if more than one person gave it: a single wrong answer is not a pattern.
        var common = wrong.OrderByDescending(c => c.Count).ThenBy(c => c.Response, StringComparer.Ordinal).FirstOrDefault();
        return new QuestionInsight(lesson, question, order, counts.Sum(c => c.Count), wrong.Sum(c => c.Count),
            common is { Count: > 1 } ? Describe(question, common.Response) : null);
    }

    /// <summary>The options of a response in words; null if one is not in the live version (it changed since).</summary>
    private static string? Describe(Question question, string response)
    {
        var chosen = response.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (chosen.Length == 0)
        {
            return "Inget svar";
        }

        var options = chosen.Select(id => question.Options.FirstOrDefault(o => o.Id == id)).ToList();
        return options.Any(o => o is null) ? null : string.Join(" + ", options.Select(o => PlainText(o!.Html)));
    }

    private static string PlainText(string html) =>
        string.Join(' ', (new HtmlParser().ParseDocument("<body>" + html).Body?.TextContent ?? "")
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
