using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Demo;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>Double submits, replays, tampered forms and expired sessions: none counts twice, none loses progress.</summary>
public sealed class SubmissionTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Intro = DemoSeeder.IntroductionCourse;

    private CompiledCourse Course => app.Catalog.FindLive(Intro)!;

    private Question FirstQuestion => Course.Lessons[0].Questions.First(q => q.Kind == QuestionKind.SingleChoice);

    [Fact]
    public async Task A_double_clicked_answer_is_recorded_once()
    {
        var (visitor, page, enrolment) = await StartedLearner();
        var form = page.QuerySelector<IHtmlFormElement>($"#fraga-{FirstQuestion.Id}")!;
        var fields = FieldsOf(form, Answers.Right(FirstQuestion));

        var responses = await Task.WhenAll(visitor.Post(form.Action, fields), visitor.Post(form.Action, fields));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Equal(1, await app.Query(db => db.Answers.CountAsync(a => a.EnrolmentId == enrolment)));
        Assert.Equal(1, await app.Query(db => db.LearningEvents.CountAsync(e => e.EnrolmentId == enrolment && e.QuestionId == FirstQuestion.Id)));
    }

    [Fact]
    public async Task A_replayed_answer_form_does_not_count_again_but_a_new_answer_does()
    {
        var (visitor, page, enrolment) = await StartedLearner();
        var form = page.QuerySelector<IHtmlFormElement>($"#fraga-{FirstQuestion.Id}")!;
        var wrong = FieldsOf(form, Answers.Wrong(FirstQuestion));
        (await visitor.Post(form.Action, wrong)).Dispose();
        page = await visitor.Open($"/kurs/{Intro}/{Course.Lessons[0].Id}");

        (await visitor.Post(form.Action, wrong)).Dispose();
        Assert.Equal(1, await app.Query(db => db.Answers.CountAsync(a => a.EnrolmentId == enrolment)));

        page = await visitor.SubmitAndFollow(page, $"#fraga-{FirstQuestion.Id}", Answers.Right(FirstQuestion));
        Assert.Equal(2, await app.Query(db => db.Answers.CountAsync(a => a.EnrolmentId == enrolment)));
        Assert.Contains("Rätt!", page.QuerySelector($"#fraga-{FirstQuestion.Id} .feedback")!.TextContent);
    }

    [Fact]
    public async Task A_final_quiz_submitted_twice_is_one_attempt()
    {
        var (visitor, _, enrolment) = await StartedLearner();
        var quiz = Course.FinalQuiz!;
        var page = await visitor.Open($"/kurs/{Intro}/{quiz.Id}");
        var form = page.QuerySelector<IHtmlFormElement>("#slutprov")!;
        var fields = FieldsOf(form, Answers.Quiz(quiz, right: _ => true));

        var responses = await Task.WhenAll(visitor.Post(form.Action, fields), visitor.Post(form.Action, fields));
        (await visitor.Post(form.Action, fields)).Dispose();

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Equal(1, await app.Query(db => db.QuizAttempts.CountAsync(a => a.EnrolmentId == enrolment)));
        Assert.Equal(quiz.Questions.Count(), await app.Query(db => db.Answers.CountAsync(a => a.EnrolmentId == enrolment)));
    }

    [Fact]
    public async Task Pressing_start_twice_opens_one_enrolment()
    {
        var visitor = app.NewVisitor();
        var email = await app.NewLearner();
        await visitor.LogIn(email);
        var overview = await visitor.Open($"/kurs/{Intro}");
        var form = overview.QuerySelector<IHtmlFormElement>("form[action*='handler=Start']")!;

        var responses = await Task.WhenAll(visitor.Post(form.Action, FieldsOf(form)), visitor.Post(form.Action, FieldsOf(form)));

        Assert.All(responses, r => Assert.Equal($"/kurs/{Intro}/{Course.Lessons[0].Id}", r.Headers.Location?.OriginalString));
        var id = await app.LearnerId(email);
        Assert.Equal(1, await app.Query(db => db.Enrolments.CountAsync(e => e.LearnerId == id)));
    }

    [Theory]
    [InlineData("questionId", "finns-inte-1")]
    [InlineData("svar", "z")]
    [InlineData("submission", "inte-ett-id")]
    public async Task A_tampered_answer_form_is_refused_and_nothing_is_lost(string field, string value)
    {
        var (visitor, page, enrolment) = await StartedLearner();
        page = await visitor.SubmitAndFollow(page, $"#fraga-{FirstQuestion.Id}", Answers.Right(FirstQuestion));
        var answersBefore = await app.Query(db => db.Answers.CountAsync(a => a.EnrolmentId == enrolment));

        using var response = await visitor.Submit(page, $"#fraga-{FirstQuestion.Id}", (field, value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Svaret gick inte att spara", await response.Content.ReadAsStringAsync());
        Assert.Equal(answersBefore, await app.Query(db => db.Answers.CountAsync(a => a.EnrolmentId == enrolment)));
        page = await visitor.Open($"/kurs/{Intro}/{Course.Lessons[0].Id}");
        Assert.Contains("Rätt!", page.QuerySelector($"#fraga-{FirstQuestion.Id} .feedback")!.TextContent);
    }

    [Fact]
    public async Task Two_options_on_a_single_choice_question_are_refused()
    {
        var (visitor, page, _) = await StartedLearner();
        using var response = await visitor.Submit(page, $"#fraga-{FirstQuestion.Id}", ("svar", "a"), ("svar", "b"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_answer_to_a_question_from_another_lesson_is_refused()
    {
        var (visitor, page, enrolment) = await StartedLearner();
        var elsewhere = Course.Lessons[1].Questions.First(q => q.IsGradable);
        using var response = await visitor.Submit(page, $"#fraga-{FirstQuestion.Id}", [("questionId", elsewhere.Id), .. Answers.Right(elsewhere)]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await app.Query(db => db.Answers.CountAsync(a => a.EnrolmentId == enrolment)));
    }

    [Fact]
    public async Task Sending_no_answer_asks_for_one_without_leaving_the_page()
    {
        var (visitor, page, _) = await StartedLearner();
        using var response = await visitor.Submit(page, $"#fraga-{FirstQuestion.Id}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Fråga 1: Välj ett svar.", html);
        Assert.Contains($"aria-describedby=\"fraga-{FirstQuestion.Id}-text-fel\"", html);
    }

    [Fact]
    public async Task An_unanswered_final_quiz_question_keeps_the_other_answers_on_screen()
    {
        var (visitor, _, enrolment) = await StartedLearner();
        var quiz = Course.FinalQuiz!;
        var page = await visitor.Open($"/kurs/{Intro}/{quiz.Id}");
        var first = quiz.Questions.First(q => q.IsGradable);
        using var response = await visitor.Submit(page, "#slutprov", Answers.Right(first, $"svar-{first.Id}"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Svaret är inte sparat än.", html);
        Assert.Contains($"value=\"{first.CorrectOptionIds.First()}\" checked", html.Replace("checked=\"checked\"", "checked"));
        Assert.Equal(0, await app.Query(db => db.QuizAttempts.CountAsync(a => a.EnrolmentId == enrolment)));
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused()
    {
        var (visitor, page, enrolment) = await StartedLearner();
        var form = page.QuerySelector<IHtmlFormElement>($"#fraga-{FirstQuestion.Id}")!;
        var fields = FieldsOf(form, Answers.Right(FirstQuestion)).Where(f => f.Key != "__RequestVerificationToken");
        using var response = await visitor.Post(form.Action, fields);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await app.Query(db => db.Answers.CountAsync(a => a.EnrolmentId == enrolment)));
    }

    [Fact]
    public async Task An_expired_session_mid_quiz_leads_back_to_the_lesson_after_login_with_progress_kept()
    {
        var email = await app.NewLearner();
        var (visitor, page, enrolment) = await StartedLearner(email);
        page = await visitor.SubmitAndFollow(page, "form[action*='handler=Next']");
        var form = page.QuerySelector<IHtmlFormElement>("form[action*='handler=Answer']")!;

        var expired = app.NewVisitor();
        using var response = await expired.Post(form.Action, FieldsOf(form, ("svar", "a")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var login = response.Headers.Location!.OriginalString;
        Assert.Contains("/logga-in", login);
        Assert.Contains("utgangen=true", login);
        var loginPage = await expired.Open(login);
        Assert.Contains("Din inloggning hade gått ut", Text(loginPage));
        var back = await expired.SubmitAndFollow(loginPage, "form[action*='handler=Password']", (Name: "email", Value: email), (Name: "password", Value: AppFixture.Password));
        Assert.Equal(Course.Lessons[1].Title, back.QuerySelector("h1")!.TextContent);
        Assert.Equal(1, await app.Query(db => db.LessonCompletions.CountAsync(c => c.EnrolmentId == enrolment)));
    }

    [Theory]
    [InlineData("/kurs/finns-inte", "Kursen finns inte")]
    [InlineData("/kurs/anhorigperspektiv-introduktion/finns-inte", "Lektionen finns inte")]
    [InlineData("/helt/okand/sida", "Sidan finns inte")]
    public async Task Unknown_courses_lessons_and_pages_get_a_swedish_404(string url, string message)
    {
        var (visitor, _, _) = await StartedLearner();
        var page = await visitor.Open(url, HttpStatusCode.NotFound);
        Assert.Contains(message, Text(page));
    }

    [Fact]
    public async Task A_stored_version_that_is_gone_is_a_404_not_a_crash()
    {
        var (visitor, _, enrolment) = await StartedLearner();
        await app.Query(db => db.Enrolments.Where(e => e.Id == enrolment).ExecuteUpdateAsync(e => e.SetProperty(x => x.CourseVersion, "ffffffffffffffff")));
        var page = await visitor.Open($"/kurs/{Intro}/{Course.Lessons[0].Id}", HttpStatusCode.NotFound);
        Assert.Contains("Kursen finns inte", Text(page));
    }

    private async Task<(Visitor Visitor, AngleSharp.Dom.IDocument Page, Guid Enrolment)> StartedLearner(string? email = null)
    {
        email ??= await app.NewLearner();
        var visitor = app.NewVisitor();
        await visitor.LogIn(email);
        var page = await visitor.StartCourse(Intro);
        var id = await app.LearnerId(email);
        var enrolment = await app.Query(db => db.Enrolments.Where(e => e.LearnerId == id).Select(e => e.Id).SingleAsync());
        return (visitor, page, enrolment);
    }
}
