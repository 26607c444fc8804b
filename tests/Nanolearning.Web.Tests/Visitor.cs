using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Nanolearning.Web.Tests;

/// <summary>
/// A person using the app over HTTP with cookies: opens pages, and submits the forms on them as a browser would,
/// with their hidden fields and antiforgery token. Redirects are not followed automatically so tests can see them.
/// </summary>
public sealed class Visitor(HttpClient client, ServerErrors errors)
{
    private static readonly HtmlParser Parser = new();

    public HttpClient Client => client;

    public async Task<IDocument> Open(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode,
            $"GET {url}: expected {(int)expected}, got {(int)response.StatusCode} {response.Headers.Location}\n{ServerSide(response)}");
        var page = Parser.ParseDocument(html);
        if (page.QuerySelector("title") is { } title)
        {
            Assert.True(NamesAPage(title.TextContent), $"GET {url}: the title \"{title.TextContent}\" names no page");
        }

        return page;
    }

    /// <summary>
    /// Whether a page's title names the page before the app's name (WCAG 2.4.2). A title set in a partial never reaches
    /// the layout, and axe passes " – Nanolearning" all the same.
    /// </summary>
    public static bool NamesAPage(string title) => title.Replace("– Nanolearning", "").Trim().Length > 0;

    /// <summary>Fills and posts a form; fields given replace the form's own values of the same name.</summary>
    public async Task<HttpResponseMessage> Submit(IDocument page, string formSelector, params (string Name, string Value)[] fields)
    {
        var form = page.QuerySelector<IHtmlFormElement>(formSelector)
            ?? throw new InvalidOperationException($"No form '{formSelector}' on {page.Title}.");
        return await Post(form.Action, FieldsOf(form, fields));
    }

    public async Task<HttpResponseMessage> Post(string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(url, content);
    }

    /// <summary>Submits a form, expects a redirect and opens where it leads.</summary>
    public async Task<IDocument> SubmitAndFollow(IDocument page, string formSelector, params (string Name, string Value)[] fields)
    {
        using var response = await Submit(page, formSelector, fields);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"Expected a redirect, got {(int)response.StatusCode}: {Text(Parser.ParseDocument(body))}\n{ServerSide(response)}");
        return await Open(response.Headers.Location!.OriginalString);
    }

    private string ServerSide(HttpResponseMessage response) =>
        (int)response.StatusCode >= 500 ? errors.Latest : "";

    public async Task<IDocument> LogIn(string email, string password = AppFixture.Password)
    {
        var login = await Open("/logga-in");
        return await SubmitAndFollow(login, "form[action*='handler=Password']", ("email", email), ("password", password));
    }

    /// <summary>Opens a course's page and presses "Starta kursen"; returns the first lesson.</summary>
    public async Task<IDocument> StartCourse(string courseId) =>
        await SubmitAndFollow(await Open($"/kurs/{courseId}"), "form[action*='handler=Start']");

    public async Task<IDocument> LogInAs(string persona)
    {
        var login = await Open("/logga-in");
        return await SubmitAndFollow(login, $"form:has(input[name=persona][value={persona}])");
    }

    public static List<KeyValuePair<string, string>> FieldsOf(IHtmlFormElement form, params (string Name, string Value)[] fields)
    {
        var names = fields.Select(f => f.Name).ToHashSet();
        var values = form.QuerySelectorAll<IHtmlInputElement>("input[type=hidden]")
            .Where(i => !names.Contains(i.Name!))
            .Select(i => KeyValuePair.Create(i.Name!, i.Value))
            .ToList();
        values.AddRange(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));
        return values;
    }

    /// <summary>A response's page, for a form that answers with a page of its own instead of a redirect.</summary>
    public static async Task<IDocument> Parse(HttpResponseMessage response) => Parser.ParseDocument(await response.Content.ReadAsStringAsync());

    /// <summary>The page's main text with whitespace collapsed, as a reader sees it.</summary>
    public static string Text(IDocument page) =>
        string.Join(' ', (page.QuerySelector("main")?.TextContent ?? page.Body?.TextContent ?? "")
            .Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
