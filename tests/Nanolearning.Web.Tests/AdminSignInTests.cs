using System.Net;
using Microsoft.EntityFrameworkCore;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>Admins who sign in with a password need a code from an authenticator app as well; nobody else is asked.</summary>
public sealed class AdminSignInTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task An_admin_sets_up_the_authenticator_and_then_signs_in_with_password_and_code()
    {
        var email = await app.NewAdmin();
        var visitor = app.NewVisitor();

        // Password only: the set-up page, and no admin page.
        var setUp = await visitor.LogIn(email);
        Assert.Equal("Tvåstegsverifiering", setUp.QuerySelector("h1")!.TextContent);
        var qr = setUp.QuerySelector("img.qr-code")!;
        Assert.StartsWith("data:image/png;base64,", qr.GetAttribute("src"));
        Assert.Contains("QR-kod", qr.GetAttribute("alt"));
        var key = setUp.QuerySelector("#nyckel")!.TextContent;
        Assert.Matches("^[a-z2-7]{4}( [a-z2-7]{1,4})+$", key);
        await AssertRefusedAdminPages(visitor);

        // A wrong code is refused and the page shows the same key again.
        using (var wrong = await visitor.Submit(setUp, "form[action*='handler=Confirm']", ("code", Authenticator.WrongCodeNow(key, app.Clock))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            var again = await Parse(wrong);
            Assert.Contains("Koden stämmer inte", Text(again));
            Assert.Equal(key, again.QuerySelector("#nyckel")!.TextContent);
        }

        await AssertRefusedAdminPages(visitor);

        using var confirmed = await visitor.Submit(setUp, "form[action*='handler=Confirm']", ("code", Authenticator.CodeNow(key, app.Clock)));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var recoveryCodes = (await Parse(confirmed)).QuerySelectorAll("#reservkoder code").Select(c => c.TextContent).ToList();
        Assert.Equal(10, recoveryCodes.Count);
        Assert.Equal(HttpStatusCode.OK, await StatusOf(visitor, "/admin/import"));
        // Shown once: the page no longer offers them, nor a new key.
        var after = await visitor.Open("/konto/tvastegsverifiering");
        Assert.Empty(after.QuerySelectorAll("#reservkoder, #nyckel, img.qr-code"));

        await LogOut(visitor);

        // Password, then the code page; a wrong code is refused with a plain message and counts towards the lockout.
        var codePage = await visitor.LogIn(email);
        Assert.Equal("Skriv koden", codePage.QuerySelector("h1")!.TextContent);
        await AssertRefusedAdminPages(visitor, signedIn: false);
        using (var wrong = await visitor.Submit(codePage, "form[action*='handler=Code']", ("code", Authenticator.WrongCodeNow(key, app.Clock))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("Koden stämmer inte. Försök igen.", Text(await Parse(wrong)));
        }

        Assert.Equal(1, await FailedAttempts(email));
        await AssertRefusedAdminPages(visitor, signedIn: false);

        await visitor.SubmitAndFollow(codePage, "form[action*='handler=Code']", ("code", Authenticator.CodeNow(key, app.Clock)));
        Assert.Equal(HttpStatusCode.OK, await StatusOf(visitor, "/admin/import"));
        Assert.Equal(0, await FailedAttempts(email));
        await LogOut(visitor);

        // A recovery code instead of the app: it works once.
        var recovery = recoveryCodes[3];
        await visitor.SubmitAndFollow(await visitor.LogIn(email), "form[action*='handler=Recovery']", ("recoveryCode", recovery));
        Assert.Equal(HttpStatusCode.OK, await StatusOf(visitor, "/admin/import"));
        await LogOut(visitor);

        using var reused = await visitor.Submit(await visitor.LogIn(email), "form[action*='handler=Recovery']", ("recoveryCode", recovery));
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        await AssertRefusedAdminPages(visitor, signedIn: false);
    }

    [Fact]
    public async Task A_password_only_admin_session_has_no_admin_powers_anywhere()
    {
        var visitor = app.NewVisitor();
        await visitor.LogIn(await app.NewAdmin());

        // Not the kommun-wide follow-up either: the admin role itself is withheld, not only the /admin pages.
        var followUp = await visitor.Open("/uppfoljning", HttpStatusCode.Forbidden);
        Assert.Null(followUp.QuerySelector("a[href='/admin/uppfoljning']"));
        using var dashboard = await visitor.Client.GetAsync("/admin/jobb");
        Assert.NotEqual(HttpStatusCode.OK, dashboard.StatusCode);
    }

    [Fact]
    public async Task Other_people_sign_in_with_a_password_alone()
    {
        var home = await app.NewVisitor().LogIn(await app.NewLearner());
        Assert.Equal("Mina kurser", home.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task The_demo_admin_still_signs_in_with_one_click()
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        Assert.Equal(HttpStatusCode.OK, await StatusOf(admin, "/admin/import"));
    }

    [Fact]
    public async Task The_code_page_without_a_password_first_leads_back_to_the_login()
    {
        using var response = await app.NewVisitor().Client.GetAsync("/logga-in/kod");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/logga-in", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_non_admin_gets_no_set_up_page()
    {
        var visitor = app.NewVisitor();
        await visitor.LogIn(await app.NewLearner());
        await visitor.Open("/konto/tvastegsverifiering", HttpStatusCode.NotFound);
    }

    private Task<int> FailedAttempts(string email) =>
        app.Query(db => db.Users.Where(u => u.Email == email).Select(u => u.AccessFailedCount).SingleAsync());

    /// <summary>Every admin page the test opens: refused, and for a signed-in admin without a code, sent to set-up.</summary>
    private static async Task AssertRefusedAdminPages(Visitor visitor, bool signedIn = true)
    {
        foreach (var page in new[] { "/admin/import", "/admin/kurser", "/admin/uppfoljning" })
        {
            using var response = await visitor.Client.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var expected = signedIn ? "/konto/tvastegsverifiering?returnUrl=" + Uri.EscapeDataString(page) : "/logga-in";
            Assert.StartsWith(expected, response.Headers.Location!.PathAndQuery(), StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task<HttpStatusCode> StatusOf(Visitor visitor, string url)
    {
        using var response = await visitor.Client.GetAsync(url);
        return response.StatusCode;
    }

    private static async Task LogOut(Visitor visitor)
    {
        using var response = await visitor.Submit(await visitor.Open("/"), "form[action='/logga-ut']");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}

internal static class TestExtensions
{
    public static string PathAndQuery(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}
