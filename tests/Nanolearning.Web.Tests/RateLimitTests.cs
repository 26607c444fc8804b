using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Demo;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>
/// Small limits in long windows, so the tests do not depend on the clock (the limiter keeps its own time): three
/// password posts per address, three lesson posts per learner, three LRS requests per credential and two without.
/// </summary>
public sealed class RateLimitFixture : AppFixture
{
    public const string LrsUser = "lrs-klient";
    public const string LrsPassword = "ett hemligt LRS-lösenord";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RateLimits:SignIn:PermitLimit"] = "3",
        ["RateLimits:SignIn:Window"] = "01:00:00",
        ["RateLimits:Answers:PermitLimit"] = "3",
        ["RateLimits:Answers:Window"] = "01:00:00",
        ["RateLimits:Xapi:PermitLimit"] = "3",
        ["RateLimits:Xapi:Window"] = "01:00:00",
        ["RateLimits:XapiUnauthenticated:PermitLimit"] = "2",
        ["RateLimits:XapiUnauthenticated:Window"] = "01:00:00",
        ["Xapi:Lrs:Username"] = LrsUser,
        ["Xapi:Lrs:Password"] = LrsPassword,
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(TestDoors.AddTo);
    }

    /// <summary>A visitor from an address of its own, so each test has its own sign-in allowance.</summary>
    public Visitor VisitorFrom(string address) => TestDoors.From(NewVisitor(), address);
}

public sealed class RateLimitTests(RateLimitFixture app) : IClassFixture<RateLimitFixture>
{
    [Fact]
    public async Task Password_posts_beyond_the_limit_from_one_address_get_429_and_a_swedish_page()
    {
        var email = await app.NewLearner();
        var guesser = app.VisitorFrom("192.0.2.10");
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await PostPassword(guesser, email, "gissning nummer " + i);
            Assert.Equal(HttpStatusCode.Unauthorized, allowed.StatusCode);
        }

        using var refused = await PostPassword(guesser, email, "gissning nummer 4");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {refused.Headers.RetryAfter}");
        Assert.Contains("För många försök", Text(await Parse(refused)));
        // Only password posts count: the demo's one-click sign-in from the same address still works.
        await guesser.LogInAs("medarbetare");

        using var elsewhere = await PostPassword(app.VisitorFrom("192.0.2.11"), email, "fel lösenord igen");
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Lesson_posts_beyond_the_limit_get_429_for_that_learner_only()
    {
        var (first, firstForm) = await LearnerAtFirstQuestion("198.51.100.1");
        var (second, secondForm) = await LearnerAtFirstQuestion("198.51.100.2");
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await first.Post(firstForm.Action, firstForm.Fields);
            Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        }

        using var refused = await first.Post(firstForm.Action, firstForm.Fields);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Vänta", Text(await Parse(refused)));
        using var other = await second.Post(secondForm.Action, secondForm.Fields);
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
    }

    [Fact]
    public async Task Lrs_requests_are_limited_per_credential_and_without_valid_credentials_per_address()
    {
        var client = app.VisitorFrom("203.0.113.5").Client;
        for (var i = 0; i < 2; i++)
        {
            using var wrong = await client.SendAsync(Lrs("/xapi/statements", password: "gissat"));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var refused = await client.SendAsync(Lrs("/xapi/statements", password: "gissat"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("text/plain", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1.0.3", refused.Headers.GetValues("X-Experience-API-Version").Single());
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.StartsWith("Too many requests", await refused.Content.ReadAsStringAsync());

        // The guesses used up the address's allowance, not the real client's: its credential has three of its own.
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.SendAsync(Lrs("/xapi/statements?limit=1"));
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var overCredential = await client.SendAsync(Lrs("/xapi/statements?limit=1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, overCredential.StatusCode);
        using var otherAddress = await app.VisitorFrom("203.0.113.6").Client.GetAsync("/xapi/about");
        Assert.Equal(HttpStatusCode.OK, otherAddress.StatusCode);
    }

    [Fact]
    public void A_limit_of_nothing_stops_the_app()
    {
        using var broken = new Broken();

        var failure = Assert.ThrowsAny<Exception>(() => broken.CreateClient());

        var messages = KommunkontoOnlyTests.Flatten(failure).OfType<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
        Assert.Contains("RateLimits:Answers:PermitLimit must be at least 1.", messages);
        Assert.Contains("RateLimits:Xapi:Window must be positive, such as 00:01:00.", messages);
    }

    private static HttpRequestMessage Lrs(string path, string password = RateLimitFixture.LrsPassword)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RateLimitFixture.LrsUser}:{password}")));
        request.Headers.Add("X-Experience-API-Version", "1.0.3");
        return request;
    }

    private async Task<(Visitor Visitor, (string Action, List<KeyValuePair<string, string>> Fields) Form)> LearnerAtFirstQuestion(string address)
    {
        var visitor = app.VisitorFrom(address);
        await visitor.LogIn(await app.NewLearner());
        var lesson = await visitor.StartCourse(DemoSeeder.IntroductionCourse);
        var question = app.Catalog.FindLive(DemoSeeder.IntroductionCourse)!.Lessons[0].Questions.First(q => q.Kind == QuestionKind.SingleChoice);
        var form = lesson.QuerySelector<IHtmlFormElement>($"#fraga-{question.Id}")!;
        return (visitor, (form.Action, FieldsOf(form, Answers.Right(question))));
    }

    private static async Task<HttpResponseMessage> PostPassword(Visitor visitor, string email, string password)
    {
        var login = await visitor.Open("/logga-in");
        return await visitor.Submit(login, "form[action*='handler=Password']", ("email", email), ("password", password));
    }

    private sealed class Broken : AppFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["RateLimits:Answers:PermitLimit"] = "0",
            ["RateLimits:Xapi:Window"] = "00:00:00",
        };
    }
}
