using System.Net;
using Nanolearning.Web.Features.Demo;

namespace Nanolearning.Web.Tests;

/// <summary>"Rapportera fel": a learner's note reaches the admins with the course, lesson and version.</summary>
public sealed class ErrorReportTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Intro = DemoSeeder.IntroductionCourse;

    [Fact]
    public async Task A_learners_report_reaches_the_admins_with_lesson_and_version_and_is_marked_handled()
    {
        var course = app.Catalog.FindLive(Intro)!;
        var lesson = course.Lessons[1];
        var learner = app.NewVisitor();
        await learner.LogIn(await app.NewLearner());
        await learner.StartCourse(Intro);
        var lessonPage = await learner.Open($"/kurs/{Intro}/{lesson.Id}");
        var reportUrl = lessonPage.QuerySelectorAll("a").Single(a => a.TextContent == "Rapportera fel i lektionen").GetAttribute("href")!;

        var form = await learner.Open(reportUrl);
        var thanks = await learner.SubmitAndFollow(form, "main form", ("Text", "Lagen heter numera socialtjänstlagen (2025:400)."));
        Assert.Contains("Tack! Din rapport är skickad", Visitor.Text(thanks));

        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var list = await admin.Open("/admin/felrapporter");
        var card = list.QuerySelectorAll("li.card").Single(c => c.TextContent.Contains("socialtjänstlagen (2025:400)"));
        Assert.Contains($"{course.Title}: {lesson.Title}", card.TextContent);
        Assert.Contains($"version {course.Version}", card.TextContent);
        Assert.Contains($"lektion {lesson.Id}", card.TextContent);

        var handled = await admin.SubmitAndFollow(list, $"li.card:has(form) form[action*='id=']", []);
        Assert.Contains("Rapporten är markerad som hanterad.", Visitor.Text(handled));
        Assert.Contains("Hanterad", handled.QuerySelectorAll("li.card").Single(c => c.TextContent.Contains("socialtjänstlagen (2025:400)")).TextContent);
    }

    [Theory]
    [InlineData("   ", "Skriv vad som är fel eller otydligt innan du skickar.")]
    [InlineData(null, "Texten får vara högst 2000 tecken. Korta den lite.")]
    public async Task An_empty_or_too_long_report_is_refused_in_plain_swedish_and_not_stored(string? text, string message)
    {
        var learner = app.NewVisitor();
        await learner.LogIn(await app.NewLearner());
        await learner.StartCourse(Intro);
        var form = await learner.Open($"/kurs/{Intro}/{app.Catalog.FindLive(Intro)!.Lessons[0].Id}/rapportera-fel");
        var before = await app.Query(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.ErrorReports));

        using var response = await learner.Submit(form, "main form", ("Text", text ?? new string('x', 2001)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(message, (await Visitor.Parse(response)).QuerySelector("#Text-fel")!.TextContent);
        Assert.Equal(before, await app.Query(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.ErrorReports)));
    }

    [Fact]
    public async Task The_accessibility_statement_is_open_to_everyone_and_linked_from_the_footer()
    {
        var visitor = app.NewVisitor();

        var login = await visitor.Open("/logga-in");
        var link = login.QuerySelectorAll("footer a").Single(a => a.TextContent == "Tillgänglighetsredogörelse").GetAttribute("href");
        var statement = await visitor.Open(link!);

        var text = Visitor.Text(statement);
        Assert.Contains("lagen (2018:1937) om tillgänglighet till digital offentlig service", text);
        Assert.Contains("Myndigheten för digital förvaltning (Digg)", text);
        Assert.NotNull(statement.QuerySelector("a[href='https://www.digg.se/tdosanmalan']"));
        Assert.Contains("på engelska", text);
    }
}
