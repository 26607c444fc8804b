using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Features.Xapi;
using Nanolearning.Web.Infrastructure;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>
/// Yearly refreshers over HTTP: someone who completed a course last year gets this year's campaign, sees it as a
/// repetition on "Mina kurser", takes only what changed (or the final quiz alone) and has the course done again.
/// Each test edits its own course, since the fixture's course folder is shared by the class.
/// </summary>
public sealed class RefresherTests(AppFixture app) : IClassFixture<AppFixture>
{
    private DateTime LastYear => app.UtcNow.AddYears(-1);

    [Fact]
    public async Task An_unchanged_course_asks_only_for_the_repetition_quiz()
    {
        const string courseId = DemoSeeder.IntroductionCourse;
        var course = app.Catalog.FindLive(courseId)!;
        var quiz = course.FinalQuiz!;
        var email = await app.NewLearner();
        await app.Complete(email, course, LastYear);
        await AssignCampaign(email, courseId);

        var visitor = app.NewVisitor();
        var home = await visitor.LogIn(email);
        var card = Squash(ToDoCard(home, courseId)!);
        Assert.Contains("Ej påbörjad", card);
        Assert.Contains("Repetition: bara repetitionsprovet", card);
        Assert.Contains($"0 av 1 lektioner klara · cirka {quiz.Minutes} minuter kvar", card);
        Assert.Contains($"Klar {Format.Date(LastYear)}", Squash(DoneCard(home, courseId)!));
        await visitor.Open($"/kurs/{courseId}/intyg");

        var overview = Text(await visitor.Open($"/kurs/{courseId}"));
        Assert.Contains($"Lektionerna har inte ändrats sedan du gick kursen {Format.Date(LastYear)}. Det räcker med ett kort repetitionsprov.", overview);
        Assert.Contains($"Repetitionen tar cirka {quiz.Minutes} minuter.", overview);

        var page = await visitor.StartCourse(courseId);
        Assert.Equal(quiz.Title, page.QuerySelector("h1")!.TextContent);
        await PassQuiz(visitor, page, quiz);

        await AssertDoneAgain(visitor, email, course);
    }

    [Fact]
    public async Task A_changed_lesson_is_taken_again_with_the_final_quiz_and_the_rest_is_skipped()
    {
        const string courseId = DemoSeeder.CaseOfficerCourse;
        var before = app.Catalog.FindLive(courseId)!;
        var email = await app.NewLearner();
        await app.Complete(email, before, LastYear);
        var lessonFile = Directory.GetFiles(Path.Combine(app.CoursesFolder, courseId), "02-*.md").Single();
        await File.AppendAllTextAsync(lessonFile, "\nDen här meningen är ny i år.\n");
        await app.WaitForNewVersion(courseId, before.Version);
        var course = app.Catalog.FindLive(courseId)!;
        var (changed, quiz) = (course.Lessons[1], course.FinalQuiz!);
        await AssignCampaign(email, courseId);

        var visitor = app.NewVisitor();
        var home = await visitor.LogIn(email);
        var card = Squash(ToDoCard(home, courseId)!);
        Assert.Contains("Repetition: 1 ändrad lektion och slutprovet", card);
        Assert.Contains($"0 av 2 lektioner klara · cirka {changed.Minutes + quiz.Minutes} minuter kvar", card);

        var overview = await visitor.Open($"/kurs/{courseId}");
        var explanation = Squash(overview.QuerySelector("section[aria-labelledby=repetition]")!);
        Assert.Contains($"Den här lektionen har ändrats sedan du gick kursen {Format.Date(LastYear)}: {changed.Title}", explanation);
        Assert.Contains("Du går bara den och slutprovet.", explanation);
        Assert.DoesNotContain(course.Lessons[2].Title, explanation);

        var page = await visitor.SubmitAndFollow(overview, "form[action*='handler=Start']");
        Assert.Equal(changed.Title, page.QuerySelector("h1")!.TextContent);
        Assert.Contains("Repetition: lektion 1 av 2", Squash(page.QuerySelector(".progress")!));

        home = await visitor.Open("/");
        Assert.Contains("Pågår", ToDoCard(home, courseId)!.TextContent);
        Assert.Contains($"Klar {Format.Date(LastYear)}", Squash(DoneCard(home, courseId)!));

        page = await visitor.SubmitAndFollow(page, "form[action*='handler=Next']");
        Assert.Equal(quiz.Title, page.QuerySelector("h1")!.TextContent);

        var unchanged = await visitor.Open($"/kurs/{courseId}/{course.Lessons[0].Id}");
        Assert.Equal(course.Lessons[0].Title, unchanged.QuerySelector("h1")!.TextContent);
        Assert.Contains("Oförändrad sedan du gick kursen förra gången", unchanged.QuerySelector(".progress")!.TextContent);

        await PassQuiz(visitor, page, quiz);
        await AssertDoneAgain(visitor, email, course);
    }

    [Fact]
    public async Task A_lesson_added_since_last_time_is_taken_with_the_final_quiz()
    {
        const string courseId = DemoSeeder.ManagerCourse;
        var before = app.Catalog.FindLive(courseId)!;
        var email = await app.NewLearner();
        await app.Complete(email, before, LastYear);
        var folder = Path.Combine(app.CoursesFolder, courseId);
        var draft = Path.Combine(app.Root, "nytt-i-ar.md");
        var first = await File.ReadAllTextAsync(Directory.GetFiles(folder, "01-*.md").Single());
        await File.WriteAllTextAsync(draft, first.Replace("title: Din roll som chef", "title: Nytt i år"));
        File.Move(draft, Path.Combine(folder, "00-nytt-i-ar.md"));
        await app.WaitForNewVersion(courseId, before.Version);
        var course = app.Catalog.FindLive(courseId)!;
        Assert.Equal("Nytt i år", course.Lessons[0].Title);
        await AssignCampaign(email, courseId);

        var visitor = app.NewVisitor();
        var home = await visitor.LogIn(email);
        Assert.Contains("Repetition: 1 ny lektion och slutprovet", Squash(ToDoCard(home, courseId)!));
        var overview = await visitor.Open($"/kurs/{courseId}");
        Assert.Contains("Den här lektionen är ny sedan du gick kursen", Text(overview));

        var page = await visitor.SubmitAndFollow(overview, "form[action*='handler=Start']");
        Assert.Equal("Nytt i år", page.QuerySelector("h1")!.TextContent);
        page = await visitor.SubmitAndFollow(page, "form[action*='handler=Next']");
        Assert.Equal(course.FinalQuiz!.Title, page.QuerySelector("h1")!.TextContent);
        await PassQuiz(visitor, page, course.FinalQuiz!);

        await AssertDoneAgain(visitor, email, course);
    }

    [Fact]
    public async Task A_completion_after_the_campaign_opened_counts_as_done_and_asks_for_no_refresher()
    {
        const string courseId = DemoSeeder.IntroductionCourse;
        var course = app.Catalog.FindLive(courseId)!;
        var email = await app.NewLearner();
        await AssignCampaign(email, courseId);
        var completedAt = app.UtcNow;
        await app.Complete(email, course, completedAt);

        var visitor = app.NewVisitor();
        var home = await visitor.LogIn(email);
        Assert.Null(ToDoCard(home, courseId));
        Assert.Contains($"Klar {Format.Date(completedAt)}", Squash(DoneCard(home, courseId)!));

        var overview = await visitor.Open($"/kurs/{courseId}");
        Assert.DoesNotContain("Du behöver gå kursen igen", Text(overview));
        Assert.DoesNotContain("klar senast", Text(overview));
    }

    [Fact]
    public async Task A_completion_before_the_campaign_opened_leaves_the_course_overdue_once_the_due_date_passes()
    {
        const string courseId = DemoSeeder.IntroductionCourse;
        var email = await app.NewLearner();
        await app.Complete(email, app.Catalog.FindLive(courseId)!, LastYear);
        var today = app.Today;
        await app.Assign(email, courseId, opensOn: today.AddDays(-40), dueOn: today.AddDays(-1));

        var visitor = app.NewVisitor();
        var card = Squash(ToDoCard(await visitor.LogIn(email), courseId)!);

        Assert.Contains("Försenad", card);
        Assert.Contains($"Klar senast {Format.Date(today.AddDays(-1))}", card);
    }

    [Fact]
    public async Task A_course_restarted_before_refreshers_existed_is_the_whole_course_not_a_repetition()
    {
        const string courseId = DemoSeeder.PoliticianCourse;
        var course = app.Catalog.FindLive(courseId)!;
        var email = await app.NewLearner();
        await app.Complete(email, course, LastYear);
        var learnerId = await app.LearnerId(email);
        await app.Query(db =>
        {
            db.Enrolments.Add(Enrolment.Start(learnerId, course, LastYear.AddDays(1)));
            return db.SaveChangesAsync();
        });
        await AssignCampaign(email, courseId);

        var visitor = app.NewVisitor();
        var home = await visitor.LogIn(email);
        var card = Squash(ToDoCard(home, courseId)!);

        Assert.Contains("Pågår", card);
        Assert.DoesNotContain("Repetition", card);
        Assert.Contains($"0 av {course.Lessons.Length} lektioner klara", card);
        Assert.Contains($"Klar {Format.Date(LastYear)}", Squash(DoneCard(home, courseId)!));
    }

    private static IElement? ToDoCard(IDocument home, string courseId) =>
        home.QuerySelector($".card:has(a.button[href^='/kurs/{courseId}'])");

    private static IElement? DoneCard(IDocument home, string courseId) =>
        home.QuerySelector($".card:has(a[href='/kurs/{courseId}/intyg'])");

    private static string Squash(IElement element) =>
        string.Join(' ', element.TextContent.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>This year's campaign, as the planner makes it from an årshjul entry: the window opens today.</summary>
    private Task AssignCampaign(string email, string courseId)
    {
        var today = app.Today;
        return app.Assign(email, courseId, today, today.AddDays(30));
    }

    private static async Task PassQuiz(Visitor visitor, IDocument page, Lesson quiz)
    {
        page = await visitor.SubmitAndFollow(page, "#slutprov", Answers.Quiz(quiz, right: _ => true));
        Assert.Contains("Godkänt!", Text(page));
        page = await visitor.SubmitAndFollow(page, "form[action*='handler=Next']");
        Assert.Contains("du är klar", Text(page));
    }

    /// <summary>The course is done again: no longer to do, done today with last year's completion kept, and only the lessons taken were experienced.</summary>
    private async Task AssertDoneAgain(Visitor visitor, string email, CompiledCourse course)
    {
        var home = await visitor.Open("/");
        Assert.Null(ToDoCard(home, course.Id));
        var done = Squash(DoneCard(home, course.Id)!);
        Assert.Contains($"Klar {Format.Date(app.UtcNow)}", done);
        Assert.Contains($"Även klar {Format.Date(LastYear)}", done);

        var learnerId = await app.LearnerId(email);
        var completions = await app.Query(db => db.Enrolments.Include(e => e.CompletedLessons).Include(e => e.Events)
            .Where(e => e.LearnerId == learnerId && e.CourseId == course.Id && e.CompletedAt != null)
            .OrderBy(e => e.CompletedAt).ToListAsync());
        Assert.Equal(2, completions.Count);
        var refresher = completions[1];
        Assert.Equal(course.Version, refresher.CourseVersion);
        Assert.Equal(course.Lessons.Length, refresher.CompletedLessons.Count);
        var taken = refresher.CompletedLessons.Where(c => !c.CarriedOver).Select(c => c.LessonId).Order();
        var experienced = refresher.Events.Where(e => e.Verb == LearningVerb.Experienced).Select(e => e.LessonId!).Order();
        Assert.Equal(taken, experienced);
        Assert.Single(refresher.Events, e => e.Verb == LearningVerb.Completed);
    }
}
