using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.ErrorReports;

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

    [Fact]
    public async Task The_admins_menu_counts_the_open_reports_until_they_are_handled()
    {
        await app.Query(db => db.ErrorReports.Where(r => r.HandledAt == null).ExecuteUpdateAsync(set => set.SetProperty(r => r.HandledAt, app.UtcNow)));
        await AddReport("Bilden saknar alt-text.");
        await AddReport("Länken till Nka fungerar inte.");
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");

        var page = await admin.Open("/admin/kurser");

        var menuLink = page.QuerySelectorAll("nav a").Single(a => a.GetAttribute("href") == "/admin/felrapporter");
        Assert.Equal("2", menuLink.QuerySelector(".badge")!.TextContent);
        Assert.Equal("Felrapporter2, 2 öppna", menuLink.TextContent.Trim());

        var list = await admin.Open("/admin/felrapporter");
        await admin.SubmitAndFollow(list, "li.card:has(form) form[action*='id=']", []);
        var after = await admin.Open("/admin/kurser");
        Assert.Equal("1", after.QuerySelector("nav a[href='/admin/felrapporter'] .badge")!.TextContent);

        var list2 = await admin.Open("/admin/felrapporter");
        var handledAll = await admin.SubmitAndFollow(list2, "li.card:has(form) form[action*='id=']", []);
        Assert.Null(handledAll.QuerySelector("nav a[href='/admin/felrapporter'] .badge"));
        Assert.Contains("Inga öppna rapporter.", Visitor.Text(handledAll));
    }

    [Fact]
    public async Task Only_an_admin_with_the_forms_token_may_mark_a_report_handled()
    {
        var id = await AddReport("Fel årtal i lektion 2.");
        var learner = app.NewVisitor();
        await learner.LogIn(await app.NewLearner());
        var learnersToken = (await learner.Open("/")).QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")!.Value;
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");

        using var byLearner = await learner.Post($"/admin/felrapporter?handler=Handle&id={id}", [KeyValuePair.Create("__RequestVerificationToken", learnersToken)]);
        using var withoutToken = await admin.Post($"/admin/felrapporter?handler=Handle&id={id}", []);

        Assert.Equal(HttpStatusCode.Redirect, byLearner.StatusCode);
        Assert.Contains("/fel/403", byLearner.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Null(await app.Query(db => db.ErrorReports.Where(r => r.Id == id).Select(r => r.HandledAt).SingleAsync()));
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
    public async Task Every_kind_of_page_links_the_accessibility_statement_from_its_footer()
    {
        var learner = app.NewVisitor();
        await learner.LogIn(await app.NewLearner());
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");

        var pages = new (string What, AngleSharp.Dom.IDocument Page)[]
        {
            ("Mina kurser", await learner.Open("/")),
            ("en lektion", await learner.StartCourse(Intro)),
            ("en sida som inte finns", await learner.Open("/kurs/finns-inte", HttpStatusCode.NotFound)),
            ("en trasig repetitionslänk", await app.NewVisitor().Open("/repetition?t=trasig", HttpStatusCode.BadRequest)),
            ("admin: kurser", await admin.Open("/admin/kurser")),
            ("admin: jobb", await admin.Open("/admin/jobb")),
        };

        Assert.All(pages, p => Assert.True(
            p.Page.QuerySelectorAll("footer a").Any(a => a.TextContent == "Tillgänglighetsredogörelse" && a.GetAttribute("href") == "/tillganglighet"),
            $"{p.What}: no link to the accessibility statement in the footer"));
    }

    private async Task<int> AddReport(string text)
    {
        var course = app.Catalog.FindLive(Intro)!;
        var report = new ErrorReport
        {
            CourseId = Intro, CourseVersion = course.Version, LessonId = course.Lessons[0].Id, LessonTitle = course.Lessons[0].Title,
            Text = text, ReportedAt = app.UtcNow,
        };
        await app.Query(db =>
        {
            db.ErrorReports.Add(report);
            return db.SaveChangesAsync();
        });
        return report.Id;
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
