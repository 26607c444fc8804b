using System.Globalization;
using System.Runtime.CompilerServices;
using AngleSharp.Html.Parser;
using Nanolearning.Courses;
using Nanolearning.Xapi;

namespace Nanolearning.Web.Features.Xapi;

/// <summary>
/// What a learning event says as an xAPI statement: Nanolearning's statement profile, written down in docs/xapi.md.
/// A pure mapping from the outbox row and the course version it names, so the same row always gives the same
/// statement (its id is the row's id) and a re-sent statement is identical to the first.
/// </summary>
public sealed class StatementProfile(XapiOptions options)
{
    public const string Language = "sv-SE";
    public const string Platform = "Nanolearning";

    public const string CourseType = "http://adlnet.gov/expapi/activities/course";
    public const string LessonType = "http://adlnet.gov/expapi/activities/lesson";
    public const string AssessmentType = "http://adlnet.gov/expapi/activities/assessment";
    public const string InteractionType = "http://adlnet.gov/expapi/activities/cmi.interaction";

    public const string Cmi5Category = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
    public const string MoveOnCategory = "https://w3id.org/xapi/cmi5/context/categories/moveon";
    public const string SessionIdExtension = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
    public const string MasteryScoreExtension = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";

    /// <summary>
    /// A question's activity, made once per compiled question (its text comes from parsing HTML): compiled courses
    /// are immutable and the catalog keeps them, so the entry lives as long as the question does.
    /// </summary>
    private readonly ConditionalWeakTable<Question, Activity> _questions = [];

    /// <summary>
    /// The statement for one event. <paramref name="course"/> is the version the event names; null only if that
    /// version was never stored, and then activities go without definitions (their ids alone are valid xAPI).
    /// </summary>
    public Statement ToStatement(LearningEvent learningEvent, Guid pseudonymKey, DateTime enrolmentStartedAt, CompiledCourse? course)
    {
        var e = learningEvent;
        var lesson = course?.Lessons.FirstOrDefault(l => l.Id == e.LessonId);
        var question = lesson?.Questions.FirstOrDefault(q => q.Id == e.QuestionId);
        var courseActivity = CourseActivity(e.CourseId, course);

        var (target, parent, grouping) = e switch
        {
            { QuestionId: { } questionId, LessonId: { } lessonId } =>
                (QuestionActivity(e.CourseId, questionId, question), [LessonActivity(e.CourseId, lessonId, lesson)], [courseActivity]),
            { LessonId: { } lessonId } => (LessonActivity(e.CourseId, lessonId, lesson), [courseActivity], (ValueList<Activity>?)null),
            _ => (courseActivity, (ValueList<Activity>?)null, (ValueList<Activity>?)null),
        };

        var result = Result(e, question, enrolmentStartedAt);
        // cmi5 "defined" statements (launched, completed, passed, failed) carry the cmi5 category; the moveOn category
        // marks those that satisfy a moveOn criterion (completion or success). Answered and experienced are cmi5
        // "allowed" statements and must not carry the cmi5 category.
        var isCmi5Defined = e.Verb is LearningVerb.Launched or LearningVerb.Completed or LearningVerb.Passed or LearningVerb.Failed;
        List<Activity> category = [];
        if (isCmi5Defined)
        {
            category.Add(new Activity(Cmi5Category));
        }

        if (isCmi5Defined && (result?.Completion == true || result?.Success == true))
        {
            category.Add(new Activity(MoveOnCategory));
        }

        var extensions = Extensions.Empty.With(SessionIdExtension, e.EnrolmentId.ToString());
        if (e.Verb is LearningVerb.Passed or LearningVerb.Failed && course?.PassThreshold is { } threshold)
        {
            extensions = extensions.With(MasteryScoreExtension, threshold / 100.0);
        }

        return new Statement(Actor(pseudonymKey), VerbOf(e.Verb), target)
        {
            Id = e.Id,
            Timestamp = new DateTimeOffset(XapiTimestamp.WholeMilliseconds(DateTime.SpecifyKind(e.OccurredAt, DateTimeKind.Utc))),
            Result = result,
            Context = new Context
            {
                Registration = e.EnrolmentId,
                ContextActivities = new ContextActivities
                {
                    Parent = parent,
                    Grouping = grouping,
                    Category = category.Count == 0 ? null : [.. category],
                },
                Revision = e.CourseVersion,
                Platform = Platform,
                Language = Language,
                Extensions = extensions,
            },
        };
    }

    /// <summary>The learner as an LRS sees them: an account on the kommun's home page, named by a random key, never the e-mail.</summary>
    public Agent Actor(Guid pseudonymKey) => Agent.WithAccount(options.HomePage, pseudonymKey.ToString());

    public string CourseIri(string courseId) => options.ActivityIriBase + "kurser/" + Segment(courseId);

    public string LessonIri(string courseId, string lessonId) => CourseIri(courseId) + "/lektioner/" + Segment(lessonId);

    /// <summary>Question ids are unique within a course (the compiler prefixes them with the lesson id).</summary>
    public string QuestionIri(string courseId, string questionId) => CourseIri(courseId) + "/fragor/" + Segment(questionId);

    private Activity CourseActivity(string courseId, CompiledCourse? course) =>
        new(CourseIri(courseId), course is null ? null : new ActivityDefinition
        {
            Name = Swedish(course.Title),
            Description = course.Summary.Length == 0 ? null : Swedish(course.Summary),
            Type = CourseType,
        });

    private Activity LessonActivity(string courseId, string lessonId, Lesson? lesson) =>
        new(LessonIri(courseId, lessonId), lesson is null ? null : new ActivityDefinition
        {
            Name = Swedish(lesson.Title),
            Type = lesson.IsFinalQuiz ? AssessmentType : LessonType,
        });

    private Activity QuestionActivity(string courseId, string questionId, Question? question) =>
        question is null
            ? new Activity(QuestionIri(courseId, questionId))
            : _questions.GetValue(question, q => DefinedQuestion(courseId, q));

    private Activity DefinedQuestion(string courseId, Question question)
    {

        var definition = new ActivityDefinition { Name = Swedish(Text(question.PromptHtml)), Type = InteractionType };
        definition = question.IsGradable
            ? definition with
            {
                // Single and multiple choice are both xAPI "choice"; the pattern says how many are right.
                InteractionType = Nanolearning.Xapi.InteractionType.Choice,
                Choices = [.. question.Options.Select(o => new InteractionComponent(o.Id, Swedish(Text(o.Html))))],
                CorrectResponsesPattern = [ChoiceResponse(question.CorrectOptionIds)],
            }
            : definition with { InteractionType = Nanolearning.Xapi.InteractionType.LongFillIn };
        return new Activity(QuestionIri(courseId, question.Id), definition);
    }

    private static Result? Result(LearningEvent e, Question? question, DateTime enrolmentStartedAt) => e.Verb switch
    {
        // A reflection's text stays in the app: learners write about their own and others' family lives, which
        // has no place in a learning record. The statement says only that it was answered.
        LearningVerb.Answered when e.Success is null || question is { IsGradable: false } => new Result { Completion = true },
        LearningVerb.Answered => new Result
        {
            Success = e.Success,
            Response = ChoiceResponse((e.Response ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)),
        },
        LearningVerb.Passed or LearningVerb.Failed => new Result
        {
            Success = e.Verb == LearningVerb.Passed,
            Score = e.ScoreScaled is { } scaled ? Score(scaled) : null,
        },
        // cmi5: completed has neither score nor success. The app does not measure time on task; the duration is
        // the time from launch to completion, which is what the data can honestly say.
        LearningVerb.Completed => new Result
        {
            Completion = true,
            Duration = e.OccurredAt > enrolmentStartedAt ? XapiTimestamp.WholeMilliseconds(e.OccurredAt) - XapiTimestamp.WholeMilliseconds(enrolmentStartedAt) : TimeSpan.Zero,
        },
        _ => null,
    };

    /// <summary>The final quiz's score as percent (raw 0–100) and scaled 0–1, the way the app grades it.</summary>
    private static Score Score(double scaled)
    {
        var clamped = Math.Clamp(scaled, 0, 1);
        return new Score { Scaled = clamped, Raw = Math.Round(clamped * 100, 2), Min = 0, Max = 100 };
    }

    /// <summary>xAPI's choice response syntax: option ids joined with <c>[,]</c>, in a stable order.</summary>
    private static string ChoiceResponse(IEnumerable<string> optionIds) => string.Join("[,]", optionIds.Order(StringComparer.Ordinal));

    private static LanguageMap Swedish(string text) => new(Language, text);

    /// <summary>
    /// The text of compiled (sanitized) HTML, whitespace collapsed, for names and choices. A parser per call: the
    /// profile is shared between threads, and question activities are made once anyway.
    /// </summary>
    private static string Text(string html) =>
        string.Join(' ', (new HtmlParser().ParseDocument(html).Body?.TextContent ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Segment(string id) => Uri.EscapeDataString(id);

    private static Verb VerbOf(LearningVerb verb) => verb switch
    {
        LearningVerb.Launched => Verbs.Launched,
        LearningVerb.Experienced => Verbs.Experienced,
        LearningVerb.Answered => Verbs.Answered,
        LearningVerb.Passed => Verbs.Passed,
        LearningVerb.Failed => Verbs.Failed,
        LearningVerb.Completed => Verbs.Completed,
        _ => throw new ArgumentOutOfRangeException(nameof(verb), verb, string.Format(CultureInfo.InvariantCulture, "No xAPI verb for {0}.", verb)),
    };
}
