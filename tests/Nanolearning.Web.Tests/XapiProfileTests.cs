using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Features.Xapi;
using Nanolearning.Xapi;

namespace Nanolearning.Web.Tests;

/// <summary>The statement profile: what each learning event says to an LRS, from real courses and real enrolments.</summary>
public sealed class XapiProfileTests(XapiProfileTests.Fixture app) : IClassFixture<XapiProfileTests.Fixture>
{
    public const string HomePage = "https://www.exempelkommun.se/";

    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Xapi:HomePage"] = HomePage,
        };
    }

    private StatementProfile Profile => app.Services.GetRequiredService<StatementProfile>();

    /// <summary>The course with a final quiz, reflection-free lessons and a pass threshold.</summary>
    private CompiledCourse Course => app.Catalog.FindLive("anhorigperspektiv-i-handlaggning")!;

    /// <summary>
    /// A learner's whole course: the check questions of the first lesson answered (one wrong first), then every lesson
    /// and the final quiz done.
    /// </summary>
    private async Task<(Enrolment Enrolment, Learner Learner, List<Statement> Statements)> CompletedCourse(CompiledCourse course)
    {
        var email = await app.NewLearner();
        var learner = await app.Query(db => db.Learners.SingleAsync(l => l.Email == email));
        var at = new DateTime(2026, 11, 20, 9, 30, 0, DateTimeKind.Utc);
        var enrolment = Enrolment.Start(learner.Id, course, at);
        var first = course.Lessons[0];
        foreach (var question in first.Questions)
        {
            enrolment.RecordAnswer(first, question, new Response([question.Options.First(o => !o.IsCorrect).Id], null), Guid.NewGuid(), at);
            enrolment.RecordAnswer(first, question, new Response([.. question.CorrectOptionIds], null), Guid.NewGuid(), at);
        }

        foreach (var lesson in course.Lessons.Where(l => !l.IsFinalQuiz))
        {
            enrolment.CompleteLesson(course, lesson, at);
        }

        var quiz = course.FinalQuiz!;
        enrolment.SubmitFinalQuiz(course, quiz, quiz.Questions.ToDictionary(q => q.Id, q => new Response([.. q.CorrectOptionIds], null)), Guid.NewGuid(), at);
        Assert.True(enrolment.IsCompleted);
        var statements = enrolment.Events
            .Select(e => Profile.ToStatement(e, learner.PseudonymKey, enrolment.StartedAt, course))
            .ToList();
        return (enrolment, learner, statements);
    }

    [Fact]
    public async Task Every_statement_of_a_whole_course_passes_the_LRS_validation_and_reads_back_strictly()
    {
        var (_, _, statements) = await CompletedCourse(Course);

        Assert.Empty(StatementValidator.Validate(statements));
        foreach (var statement in statements)
        {
            var json = XapiJson.Serialize(statement);
            Assert.Equal(statement, JsonSerializer.Deserialize<Statement>(json, XapiJson.StrictOptions));
        }
    }

    [Fact]
    public async Task The_actor_is_an_account_on_the_kommuns_home_page_named_by_the_pseudonym_never_the_email_or_name()
    {
        var (_, learner, statements) = await CompletedCourse(Course);

        foreach (var statement in statements)
        {
            Assert.Equal(new AgentAccount(HomePage, learner.PseudonymKey.ToString()), statement.Actor.Account);
            var json = XapiJson.Serialize(statement);
            Assert.DoesNotContain(learner.Email, json, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(learner.LastName, json, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("mbox", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Statement_ids_are_the_event_ids_and_mapping_again_gives_the_same_statement()
    {
        var (enrolment, learner, statements) = await CompletedCourse(Course);

        Assert.Equal(enrolment.Events.Select(e => (Guid?)e.Id), statements.Select(s => s.Id));
        var again = enrolment.Events.Select(e => Profile.ToStatement(e, learner.PseudonymKey, enrolment.StartedAt, Course));
        Assert.Equal(statements, again);
        Assert.All(statements, s => Assert.Equal(enrolment.Id, s.Context!.Registration));
    }

    [Fact]
    public async Task Xapi_ActivityIriBase_is_the_base_of_every_activity_IRI_in_every_statement()
    {
        var (enrolment, learner, _) = await CompletedCourse(Course);
        var own = new StatementProfile(new XapiOptions { HomePage = HomePage, ActivityIriBase = "https://www.exempelkommun.se/larande/xapi/" });

        var statements = enrolment.Events.Select(e => own.ToStatement(e, learner.PseudonymKey, enrolment.StartedAt, Course)).ToList();
        var activities = statements.SelectMany(s => new[] { (s.Target as Activity)?.Id }
            .Concat(s.Context?.ContextActivities?.Parent?.Select(a => a.Id) ?? [])
            .Concat(s.Context?.ContextActivities?.Grouping?.Select(a => a.Id) ?? []))
            .OfType<string>()
            .ToList();

        Assert.Contains($"https://www.exempelkommun.se/larande/xapi/kurser/{Course.Id}", activities);
        // cmi5's category activities are cmi5's IRIs, not ours; every IRI of ours is under the configured base.
        Assert.All(activities, id => Assert.StartsWith("https://www.exempelkommun.se/larande/xapi/kurser/", id));
    }

    [Fact]
    public async Task An_answered_question_is_a_choice_interaction_with_its_options_and_right_answer()
    {
        var (_, _, statements) = await CompletedCourse(Course);
        var lesson = Course.Lessons[0];
        var question = lesson.Questions.First();
        var answers = statements.Where(s => s.Verb == Verbs.Answered).Take(2).ToList();
        Assert.False(answers[0].Result!.Success);
        var answered = answers[1];

        var target = Assert.IsType<Activity>(answered.Target);
        Assert.Equal($"https://nanolearning.se/xapi/kurser/{Course.Id}/fragor/{question.Id}", target.Id);
        Assert.Equal(InteractionType.Choice, target.Definition!.InteractionType);
        Assert.Equal(StatementProfile.InteractionType, target.Definition.Type);
        Assert.Equal("Vad ska Socialstyrelsens stöd till handläggare hjälpa till med? Välj alla som stämmer.", target.Definition.Name!["sv-SE"]);
        Assert.Equal(question.Options.Select(o => o.Id), target.Definition.Choices!.Select(c => c.Id));
        Assert.Equal("Att anhörigas behov kan synas i biståndsbedömningen", target.Definition.Choices![0].Description!["sv-SE"]);
        Assert.Equal(["a[,]b"], target.Definition.CorrectResponsesPattern!);
        Assert.Equal("a[,]b", answered.Result!.Response);
        Assert.True(answered.Result.Success);
        Assert.Equal($"https://nanolearning.se/xapi/kurser/{Course.Id}/lektioner/{lesson.Id}", answered.Context!.ContextActivities!.Parent![0].Id);
        Assert.Equal($"https://nanolearning.se/xapi/kurser/{Course.Id}", answered.Context.ContextActivities.Grouping![0].Id);
        // Answered is a cmi5 "allowed" statement: no cmi5 category.
        Assert.Null(answered.Context.ContextActivities.Category);
    }

    [Fact]
    public async Task Passing_the_final_quiz_has_a_scaled_and_raw_score_the_mastery_score_and_the_moveon_category()
    {
        var (_, _, statements) = await CompletedCourse(Course);

        var passed = Assert.Single(statements, s => s.Verb == Verbs.Passed);
        Assert.Equal(new Score { Scaled = 1, Raw = 100, Min = 0, Max = 100 }, passed.Result!.Score);
        Assert.True(passed.Result.Success);
        Assert.Equal(StatementProfile.AssessmentType, AssessmentTypeOf(passed));
        Assert.Equal(
            [StatementProfile.Cmi5Category, StatementProfile.MoveOnCategory],
            passed.Context!.ContextActivities!.Category!.Select(c => c.Id));
        Assert.Equal(Course.PassThreshold / 100.0, passed.Context.Extensions![StatementProfile.MasteryScoreExtension].GetDouble());
        Assert.Equal(passed.Context.Registration.ToString(), passed.Context.Extensions[StatementProfile.SessionIdExtension].GetString());
    }

    [Fact]
    public async Task Failing_has_a_score_but_no_moveon_category()
    {
        var email = await app.NewLearner();
        var learner = await app.Query(db => db.Learners.SingleAsync(l => l.Email == email));
        var at = new DateTime(2026, 11, 20, 9, 30, 0, DateTimeKind.Utc);
        var enrolment = Enrolment.Start(learner.Id, Course, at);
        var quiz = Course.FinalQuiz!;
        enrolment.SubmitFinalQuiz(Course, quiz, new Dictionary<string, Response>(), Guid.NewGuid(), at);
        var failed = Profile.ToStatement(enrolment.Events.Single(e => e.Verb == LearningVerb.Failed), learner.PseudonymKey, at, Course);

        Assert.Equal(Verbs.Failed, failed.Verb);
        Assert.Equal(new Score { Scaled = 0, Raw = 0, Min = 0, Max = 100 }, failed.Result!.Score);
        Assert.False(failed.Result.Success);
        Assert.Equal([StatementProfile.Cmi5Category], failed.Context!.ContextActivities!.Category!.Select(c => c.Id));
        Assert.Empty(StatementValidator.Validate(failed));
    }

    [Fact]
    public async Task Completing_the_course_has_completion_and_the_time_since_launch_but_no_score()
    {
        var email = await app.NewLearner();
        var learner = await app.Query(db => db.Learners.SingleAsync(l => l.Email == email));
        var started = new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc);
        var enrolment = AppFixture.Completed(learner.Id, Course, started);
        var completion = enrolment.Events.Single(e => e.Verb == LearningVerb.Completed);
        completion.OccurredAt = started.AddMinutes(42.5);

        var completed = Profile.ToStatement(completion, learner.PseudonymKey, enrolment.StartedAt, Course);

        Assert.True(completed.Result!.Completion);
        Assert.Equal(TimeSpan.FromMinutes(42.5), completed.Result.Duration);
        Assert.Null(completed.Result.Score);
        Assert.Null(completed.Result.Success);
        Assert.Equal("Anhörigperspektiv i handläggningen", NameOf(completed));
        Assert.Equal(StatementProfile.CourseType, ((Activity)completed.Target).Definition!.Type);
        Assert.Contains("\"duration\":\"PT42M30S\"", XapiJson.Serialize(completed), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reflection_is_a_long_fill_in_whose_text_never_leaves_the_app()
    {
        // No shipped course has a reflection yet: add one to the first lesson, as an author would.
        var reflection = new Question("reflektion-1", QuestionKind.Reflection, "<p>Vem i <em>din</em> närhet är anhörig?</p>", [], null);
        var lesson = Course.Lessons[0] with { Parts = [.. Course.Lessons[0].Parts, new QuestionPart(reflection)] };
        var course = Course with { Lessons = Course.Lessons.SetItem(0, lesson) };
        var email = await app.NewLearner();
        var learner = await app.Query(db => db.Learners.SingleAsync(l => l.Email == email));
        var enrolment = Enrolment.Start(learner.Id, course, app.UtcNow);
        enrolment.RecordAnswer(lesson, reflection, new Response([], "Min mamma har demens och jag är trött."), Guid.NewGuid(), app.UtcNow);

        var answered = Profile.ToStatement(enrolment.Events.Last(), learner.PseudonymKey, enrolment.StartedAt, course);

        Assert.Equal(InteractionType.LongFillIn, ((Activity)answered.Target).Definition!.InteractionType);
        Assert.Equal("Vem i din närhet är anhörig?", NameOf(answered));
        Assert.Equal(new Result { Completion = true }, answered.Result);
        Assert.DoesNotContain("demens", XapiJson.Serialize(answered), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_whose_course_version_is_gone_still_makes_a_valid_statement_with_bare_activity_ids()
    {
        var (enrolment, learner, _) = await CompletedCourse(Course);
        var answered = enrolment.Events.First(e => e.Verb == LearningVerb.Answered);

        var statement = Profile.ToStatement(answered, learner.PseudonymKey, enrolment.StartedAt, course: null);

        Assert.Null(((Activity)statement.Target).Definition);
        Assert.Empty(StatementValidator.Validate(statement));
    }

    private static string AssessmentTypeOf(Statement statement) => ((Activity)statement.Target).Definition!.Type!;

    private static string NameOf(Statement statement) => ((Activity)statement.Target).Definition!.Name!["sv-SE"];
}
