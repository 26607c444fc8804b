using AngleSharp.Html.Parser;

namespace Nanolearning.Web.Tests;

/// <summary>
/// Reminder e-mail links are made from the pages' routes without an HttpContext, in Hangfire jobs. After a restart the
/// first such job can run before anybody has opened a page, so the routes must be there without a request.
/// </summary>
public sealed class ReminderLinkTests(ReminderFixture app) : IClassFixture<ReminderFixture>
{
    private const string Intro = "anhorigperspektiv-introduktion";

    [Fact]
    public async Task The_first_mail_after_a_start_links_to_the_course_before_the_app_has_served_a_request()
    {
        var email = await app.NewLearner();
        await app.Assign(email, Intro, app.Today, app.Today.AddDays(30));

        await app.Scan();
        await app.Dispatch();

        var message = Assert.Single(await app.PickedUpFor(email));
        var links = new HtmlParser().ParseDocument(message.HtmlBody!).QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href"));
        Assert.Contains($"http://localhost:5080/kurs/{Intro}", links);
    }
}
