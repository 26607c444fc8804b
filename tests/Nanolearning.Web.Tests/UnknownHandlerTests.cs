using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Nanolearning.Web.Features.Demo;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>A post (or get) naming a handler the page lacks, or posting to a page that takes none, is a plain Swedish 4xx.</summary>
public sealed class UnknownHandlerTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Intro = DemoSeeder.IntroductionCourse;

    private string Lesson => $"/kurs/{Intro}/{app.Catalog.FindLive(Intro)!.Lessons[0].Id}";

    [Fact]
    public async Task An_employee_posting_an_unknown_handler_gets_a_swedish_404_or_405_on_every_page()
    {
        var visitor = app.NewVisitor();
        await visitor.LogInAs("medarbetare");
        string[] pages = ["/", $"/kurs/{Intro}", Lesson, "/konto/sammanfattning", "/logga-ut"];
        foreach (var page in pages)
        {
            await PostsAreRefused(visitor, page + "?handler=nope", HttpStatusCode.NotFound, "Sidan finns inte");
        }

        // Pages that take no post at all say so, whatever handler is named.
        foreach (var page in new[] { $"/kurs/{Intro}/klar", $"/kurs/{Intro}/intyg" })
        {
            await PostsAreRefused(visitor, page + "?handler=nope", HttpStatusCode.MethodNotAllowed, "Sidan tar inte emot formulär");
        }
    }

    [Fact]
    public async Task An_employee_posting_without_a_handler_gets_a_404_where_the_page_needs_one_and_a_405_where_it_takes_no_post()
    {
        var visitor = app.NewVisitor();
        await visitor.LogInAs("medarbetare");
        foreach (var page in new[] { "/", $"/kurs/{Intro}", Lesson })
        {
            await PostsAreRefused(visitor, page, HttpStatusCode.NotFound, "Sidan finns inte");
        }

        foreach (var page in new[] { $"/kurs/{Intro}/klar", $"/kurs/{Intro}/intyg" })
        {
            var response = await PostsAreRefused(visitor, page, HttpStatusCode.MethodNotAllowed, "Sidan tar inte emot formulär");
            Assert.Contains("GET", response.Content.Headers.Allow);
        }
    }

    [Fact]
    public async Task A_manager_posting_to_the_annual_wheel_gets_a_swedish_4xx()
    {
        var visitor = app.NewVisitor();
        await visitor.LogInAs("chef");
        await PostsAreRefused(visitor, "/arshjul", HttpStatusCode.MethodNotAllowed, "Sidan tar inte emot formulär");
        await PostsAreRefused(visitor, "/arshjul?handler=nope", HttpStatusCode.MethodNotAllowed, "Sidan tar inte emot formulär");
        await PostsAreRefused(visitor, "/uppfoljning?handler=nope", HttpStatusCode.MethodNotAllowed, "Sidan tar inte emot formulär");
    }

    [Fact]
    public async Task An_admin_posting_an_unknown_handler_to_an_admin_page_gets_a_swedish_404()
    {
        var visitor = app.NewVisitor();
        await visitor.LogInAs("admin");
        foreach (var page in new[] { "/admin/kurser", "/admin/import", "/admin/paminnelser", "/admin/uppfoljning", "/admin/xapi" })
        {
            await PostsAreRefused(visitor, page + "?handler=nope", HttpStatusCode.NotFound, "Sidan finns inte");
        }

        await PostsAreRefused(visitor, "/admin/kurser", HttpStatusCode.NotFound, "Sidan finns inte");
        await PostsAreRefused(visitor, "/admin/granskningslogg", HttpStatusCode.MethodNotAllowed, "Sidan tar inte emot formulär");
    }

    [Fact]
    public async Task A_get_naming_an_unknown_handler_is_a_404_and_the_known_handlers_still_answer()
    {
        var visitor = app.NewVisitor();
        await visitor.LogInAs("medarbetare");
        Assert.Contains("Sidan finns inte", Text(await visitor.Open("/?handler=nope", HttpStatusCode.NotFound)));
        Assert.Contains("Sidan finns inte", Text(await visitor.Open($"/kurs/{Intro}?handler=start", HttpStatusCode.NotFound)));
        await visitor.Open("/");
        await visitor.Open($"/kurs/{Intro}");

        // A page's unnamed post still runs: logging out.
        var home = await visitor.Open("/");
        using var loggedOut = await visitor.Submit(home, "form[action='/logga-ut']");
        Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);
    }

    /// <summary>Posts with the visitor's antiforgery token, so only the handler decides; expects the plain error page.</summary>
    private async Task<HttpResponseMessage> PostsAreRefused(Visitor visitor, string url, HttpStatusCode expected, string title)
    {
        var errorsBefore = app.Errors.Latest;
        var logout = (await visitor.Open("/")).QuerySelector<IHtmlFormElement>("form[action='/logga-ut']")!;
        var response = await visitor.Post(url, FieldsOf(logout));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"POST {url}: expected {(int)expected}, got {(int)response.StatusCode}\n{app.Errors.Latest}");
        var page = await Parse(response);
        Assert.Equal("sv", page.DocumentElement.GetAttribute("lang"));
        Assert.Contains(title, page.QuerySelector("h1")!.TextContent);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain(" at Nanolearning", body);
        Assert.Equal(errorsBefore, app.Errors.Latest);
        return response;
    }
}
