using System.Net;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nanolearning.Web.Features.HrImport;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>
/// A session ends on the server: at sign-out (an old cookie replayed opens nothing), when the learner has left, after
/// the idle timeout and at the absolute lifetime, on the app's clock. Every cookie is a <c>__Host-</c> cookie.
/// </summary>
public sealed class SessionTests(SessionTests.Fixture app) : IClassFixture<SessionTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Sessions:IdleTimeout"] = "00:30:00",
            ["Sessions:AbsoluteLifetime"] = "01:00:00",
        };
    }

    [Fact]
    public async Task An_old_cookie_replayed_after_sign_out_opens_nothing()
    {
        var cookies = new CookieContainer();
        var visitor = new Visitor(app.CreateDefaultClient(new CookieContainerHandler(cookies)), app.Errors);
        await visitor.LogIn(await app.NewLearner());
        var stolen = cookies.GetCookieHeader(AppFixture.Https);

        await visitor.SubmitAndFollow(await visitor.Open("/"), "form[action='/logga-ut']");

        using var replay = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { { "Cookie", stolen } } };
        using var response = await app.CreateDefaultClient().SendAsync(replay);
        AssertSentToLogin(response);
    }

    [Fact]
    public async Task A_leaver_the_hr_import_marks_loses_the_session_at_the_next_request()
    {
        var email = await app.NewLearner();
        var number = "S" + Guid.NewGuid().ToString("N")[..8];
        await app.Query(db => db.Learners.Where(l => l.Email == email).ExecuteUpdateAsync(l => l.SetProperty(x => x.EmployeeNumber, number)));
        var visitor = app.NewVisitor();
        await visitor.LogIn(email);
        // Checked in the database and remembered (Sessions:CheckInterval): the import must make the app forget it.
        await visitor.Open("/");

        var file = await StaffFile.Current(app);
        using (var scope = app.Services.CreateScope())
        {
            var import = await scope.ServiceProvider.GetRequiredService<HrImport>().ImportAsync(file.Without(number).Csv(), default);
            Assert.Single(import.Leavers);
        }

        using var response = await visitor.Client.GetAsync("/");
        AssertSentToLogin(response);
    }

    [Fact]
    public async Task A_learner_set_inactive_in_the_database_by_hand_loses_the_session_within_the_check_interval()
    {
        var email = await app.NewLearner();
        var visitor = app.NewVisitor();
        await visitor.LogIn(email);
        await visitor.Open("/");

        await app.Query(db => db.Learners.Where(l => l.Email == email).ExecuteUpdateAsync(l => l.SetProperty(x => x.IsActive, false)));

        // The app did not make this change, so it trusts its last look for up to the interval (10 s by default) ...
        using (var within = await visitor.Client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, within.StatusCode);
        }

        // ... and not a moment longer.
        app.Clock.Advance(TimeSpan.FromSeconds(10));
        using var response = await visitor.Client.GetAsync("/");
        AssertSentToLogin(response);
    }

    [Fact]
    public async Task A_session_left_alone_ends_after_the_idle_timeout()
    {
        var visitor = app.NewVisitor();
        await visitor.LogIn(await app.NewLearner());

        app.Clock.Advance(TimeSpan.FromMinutes(31));

        using var response = await visitor.Client.GetAsync("/");
        AssertSentToLogin(response);
    }

    [Fact]
    public async Task A_busy_session_ends_at_the_absolute_lifetime()
    {
        var visitor = app.NewVisitor();
        await visitor.LogIn(await app.NewLearner());
        for (var i = 0; i < 2; i++)
        {
            // Each request past half the idle timeout renews the cookie, so activity alone would keep it forever.
            app.Clock.Advance(TimeSpan.FromMinutes(20));
            await visitor.Open("/");
        }

        app.Clock.Advance(TimeSpan.FromMinutes(21));

        using var response = await visitor.Client.GetAsync("/");
        AssertSentToLogin(response);
    }

    [Fact]
    public async Task Every_cookie_is_a_host_cookie_for_https_only_and_out_of_reach_of_script()
    {
        var visitor = app.NewVisitor();
        using var loginPage = await visitor.Client.GetAsync("/logga-in");
        var antiforgery = Assert.Single(SetCookies(loginPage));
        var login = await Parse(loginPage);
        using var signedIn = await visitor.Submit(login, "form[action*='handler=Password']", ("email", await app.NewLearner()), ("password", AppFixture.Password));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = Assert.Single(SetCookies(signedIn), c => c.StartsWith("__Host-nanolearning=", StringComparison.Ordinal));

        Assert.StartsWith("__Host-nanolearning-af=", antiforgery);
        Assert.Contains("; samesite=strict", antiforgery);
        Assert.Contains("; samesite=lax", session);
        foreach (var cookie in new[] { antiforgery, session })
        {
            Assert.Contains("; path=/;", cookie + ";");
            Assert.Contains("; secure", cookie);
            Assert.Contains("; httponly", cookie);
            Assert.DoesNotContain("domain=", cookie);
        }
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    private static void AssertSentToLogin(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/logga-in", response.Headers.Location!.PathAndQuery);
    }
}
