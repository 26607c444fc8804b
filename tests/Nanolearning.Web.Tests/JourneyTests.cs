using System.Net;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.Xapi;
using Nanolearning.Web.Infrastructure;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

public sealed class JourneyTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Intro = DemoSeeder.IntroductionCourse;

    private CompiledCourse Course => app.Catalog.FindLive(Intro)!;

    [Fact]
    public async Task A_new_employee_takes_the_introduction_from_login_to_certificate()
    {
        var nora = app.NewVisitor();
        var home = await nora.LogIn(DemoSeeder.Personas[0].Email, DemoSeeder.Password);
        Assert.Contains("Hej Nora!", Text(home));
        Assert.Contains("Ej påbörjad", home.QuerySelector($".card:has(a[href='/kurs/{Intro}'])")!.TextContent);

        var overview = await nora.Open($"/kurs/{Intro}");
        var page = await nora.SubmitAndFollow(overview, "form[action*='handler=Start']");
        foreach (var lesson in Course.Lessons.Where(l => !l.IsFinalQuiz))
        {
            Assert.Equal(lesson.Title, page.QuerySelector("h1")!.TextContent);
            foreach (var question in lesson.Questions)
            {
                page = await nora.SubmitAndFollow(page, $"#fraga-{question.Id}", Answers.Right(question));
                var feedback = page.QuerySelector($"#fraga-{question.Id} .feedback")!.TextContent;
                Assert.Contains(question.IsGradable ? "Rätt!" : "Ditt svar är sparat", feedback);
            }

            page = await nora.SubmitAndFollow(page, "form[action*='handler=Next']");
        }

        var quiz = Course.FinalQuiz!;
        Assert.Equal(quiz.Title, page.QuerySelector("h1")!.TextContent);
        page = await nora.SubmitAndFollow(page, "#slutprov", Answers.Quiz(quiz, right: _ => false));
        Assert.Contains("Inte godkänt den här gången", Text(page));
        Assert.All(quiz.Questions.Where(q => q.IsGradable), q =>
            Assert.Contains("Inte riktigt.", page.QuerySelector($"fieldset:has(#fraga-{q.Id}-text) .feedback")?.TextContent));
        Assert.Null(page.QuerySelector("form[action*='handler=Next']"));

        page = await nora.Open($"/kurs/{Intro}/{quiz.Id}");
        page = await nora.SubmitAndFollow(page, "#slutprov", Answers.Quiz(quiz, right: _ => true));
        Assert.Contains("Godkänt!", Text(page));
        page = await nora.SubmitAndFollow(page, "form[action*='handler=Next']");
        Assert.Contains("du är klar", Text(page));

        var certificate = Text(await nora.Open($"/kurs/{Intro}/intyg"));
        Assert.Contains("Nora Nyberg", certificate);
        Assert.Contains(Course.Title, certificate);
        Assert.Contains($"Kursversion {Course.Version}", certificate);
        Assert.Contains(Format.Date(app.UtcNow), certificate);

        var noraId = await app.LearnerId(DemoSeeder.Personas[0].Email);
        var enrolment = await app.Query(db => db.Enrolments.Include(e => e.CompletedLessons).SingleAsync(e => e.LearnerId == noraId && e.CourseId == Intro));
        Assert.NotNull(enrolment.CompletedAt);
        Assert.Equal(Course.Version, enrolment.CourseVersion);
        Assert.Equal(Course.Lessons.Select(l => (l.Id, l.ContentHash)).Order(), enrolment.CompletedLessons.Select(c => (c.LessonId, c.ContentHash)).Order());
        Assert.Equal(2, await app.Query(db => db.QuizAttempts.CountAsync(a => a.EnrolmentId == enrolment.Id)));

        home = await nora.Open("/");
        Assert.Contains("Klara kurser", Text(home));
    }

    [Fact]
    public async Task A_learner_resumes_on_another_device_where_they_left_off()
    {
        var email = await app.NewLearner();
        var phone = app.NewVisitor();
        await phone.LogIn(email);
        var page = await phone.StartCourse(Intro);
        page = await phone.SubmitAndFollow(page, "form[action*='handler=Next']");
        var second = Course.Lessons[1];
        var question = second.Questions.First(q => q.IsGradable);
        await phone.SubmitAndFollow(page, $"#fraga-{question.Id}", Answers.Wrong(question));

        var computer = app.NewVisitor();
        var home = await computer.LogIn(email);
        var resume = home.QuerySelector($".card:has(a[href='/kurs/{Intro}']) a.button")!.GetAttribute("href");
        Assert.Equal($"/kurs/{Intro}/{second.Id}", resume);
        var card = home.QuerySelector($".card:has(a[href='/kurs/{Intro}'])")!.TextContent;
        Assert.Contains("Pågår", card);
        Assert.Contains("1 av 6 lektioner klara", card);

        page = await computer.Open(resume!);
        Assert.Equal(second.Title, page.QuerySelector("h1")!.TextContent);
        var chosen = page.QuerySelectorAll($"#fraga-{question.Id} input:checked").Select(i => i.GetAttribute("value"));
        Assert.Equal(Answers.Wrong(question).Select(f => f.Value), chosen);
        Assert.Contains("Inte riktigt.", page.QuerySelector($"#fraga-{question.Id} .feedback")!.TextContent);
    }

    [Fact]
    public async Task Mina_kurser_shows_due_dates_minutes_left_and_overdue_courses()
    {
        var email = await app.NewLearner();
        var today = app.Today;
        await app.Assign(email, Intro, dueOn: today.AddDays(-1));

        var visitor = app.NewVisitor();
        var home = await visitor.LogIn(email);
        var card = home.QuerySelector($".card:has(a[href='/kurs/{Intro}'])")!.TextContent;
        Assert.Contains("Försenad", card);
        Assert.Contains($"Klar senast {Format.Date(today.AddDays(-1))}", card);
        Assert.Contains($"cirka {Course.Minutes} minuter kvar", card);
    }

    [Fact]
    public async Task A_course_for_another_audience_is_not_open_to_the_learner()
    {
        var visitor = app.NewVisitor();
        await visitor.LogIn(await app.NewLearner(Audience.Employee));
        var page = await visitor.Open($"/kurs/{DemoSeeder.PoliticianCourse}", HttpStatusCode.Forbidden);
        Assert.Contains("Kursen är inte öppen för dig", Text(page));
    }

    [Fact]
    public async Task Every_learning_event_is_written_to_the_outbox_with_the_progress()
    {
        var email = await app.NewLearner();
        var visitor = app.NewVisitor();
        await visitor.LogIn(email);
        var page = await visitor.StartCourse(Intro);
        var question = Course.Lessons[0].Questions.First();
        page = await visitor.SubmitAndFollow(page, $"#fraga-{question.Id}", Answers.Right(question));
        await visitor.SubmitAndFollow(page, "form[action*='handler=Next']");

        var id = await app.LearnerId(email);
        var verbs = await app.Query(db => db.LearningEvents.Where(e => e.LearnerId == id).OrderBy(e => e.OccurredAt).Select(e => e.Verb).ToListAsync());
        Assert.Equal([LearningVerb.Launched, LearningVerb.Answered, LearningVerb.Experienced], verbs);
    }
}
