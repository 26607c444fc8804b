using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.Organisation;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The app as a kommun runs it (no demo), with its identity provider configured, a password hasher that counts, and
/// room for many sign-in posts (the rate limit has tests of its own).
/// </summary>
public sealed class SignInFixture : AppFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Nanolearning:Demo"] = "false",
        ["OpenIdConnect:Authority"] = "https://login.exempel.se/kommun/v2.0",
        ["OpenIdConnect:ClientId"] = "nanolearning",
        ["RateLimits:SignIn:PermitLimit"] = "1000",
    };

    public CountingPasswordHasher Hasher => Services.GetRequiredService<CountingPasswordHasher>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            CountingPasswordHasher.AddTo(services);
            TestDoors.AddTo(services);
        });
    }

    /// <summary>A new employee with a login; without a password, as the HR import makes them.</summary>
    public async Task<string> NewEmployee(bool password = true)
    {
        await Query(async db =>
        {
            if (!await db.Units.AnyAsync(u => u.Kind == UnitKind.Unit))
            {
                db.Units.Add(new Unit { Name = "Hemtjänsten Norr", Kind = UnitKind.Unit });
                await db.SaveChangesAsync();
            }

            return 0;
        });
        var email = await NewLearner();
        if (!password)
        {
            using var scope = Services.CreateScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.True((await users.RemovePasswordAsync((await users.FindByEmailAsync(email))!)).Succeeded);
        }

        return email;
    }

    public async Task<AppUser> User(string email)
    {
        using var scope = Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!;
    }
}

public sealed class SignInTests(SignInFixture app) : IClassFixture<SignInFixture>
{
    private const string Generic = LoginModel.SignInFailed;

    [Fact]
    public async Task Every_failed_sign_in_gets_the_same_message_and_verifies_one_password_hash()
    {
        var wrong = await app.NewEmployee();
        var noPassword = await app.NewEmployee(password: false);
        var inactive = await app.NewEmployee();
        await app.Query(db => db.Learners.Where(l => l.Email == inactive).ExecuteUpdateAsync(l => l.SetProperty(x => x.IsActive, false)));
        var locked = await app.NewEmployee();
        for (var i = 0; i < 5; i++)
        {
            (await PostPassword(app.NewVisitor(), locked, "gissning nummer " + i)).Dispose();
        }

        var demo = DemoSeeder.Personas.Single(p => p.IsAdmin).Email;
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.True((await users.CreateAsync(new AppUser { UserName = demo, Email = demo, EmailConfirmed = true }, DemoSeeder.Password)).Succeeded);
            Assert.True(await users.IsLockedOutAsync((await users.FindByEmailAsync(locked))!));
        }

        // Unknown, wrong password, no password, inactive, locked (with the right password), demo account with demo off.
        (string Case, string Email, string Password)[] failures =
        [
            ("unknown address", "ingen.alls@exempel.se", AppFixture.Password),
            ("wrong password", wrong, "ett helt annat lösenord"),
            ("no password", noPassword, AppFixture.Password),
            ("inactive", inactive, AppFixture.Password),
            ("locked", locked, AppFixture.Password),
            ("demo account", demo, DemoSeeder.Password),
        ];
        foreach (var (name, email, password) in failures)
        {
            var before = app.Hasher.Verified;
            using var response = await PostPassword(app.NewVisitor(), email, password);
            var verified = app.Hasher.Verified - before;

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {(int)response.StatusCode}");
            Assert.True(ErrorOf(await Parse(response)) == Generic, $"{name}: \"{ErrorOf(await Parse(response))}\"");
            Assert.True(verified == 1, $"{name}: {verified} password hashes verified, not one");
        }
    }

    [Fact]
    public async Task Wrong_passwords_never_lock_an_account_without_a_password()
    {
        var email = await app.NewEmployee(password: false);

        for (var i = 0; i < 8; i++)
        {
            (await PostPassword(app.NewVisitor(), email, "gissning nummer " + i)).Dispose();
        }

        var user = await app.User(email);
        Assert.Equal(0, user.AccessFailedCount);
        Assert.Null(user.LockoutEnd);
        using var kommunkonto = await TestDoors.SignInWithKommunkonto(app.NewVisitor(), email);
        Assert.Equal(HttpStatusCode.Redirect, kommunkonto.StatusCode);
    }

    [Fact]
    public async Task An_account_locked_by_wrong_passwords_still_signs_in_with_the_kommunkonto()
    {
        var email = await app.NewEmployee();
        for (var i = 0; i < 5; i++)
        {
            (await PostPassword(app.NewVisitor(), email, "gissning nummer " + i)).Dispose();
        }

        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.True(await users.IsLockedOutAsync((await users.FindByEmailAsync(email))!));
        }

        var visitor = app.NewVisitor();
        using var response = await TestDoors.SignInWithKommunkonto(visitor, email);

        Assert.True(HttpStatusCode.Redirect == response.StatusCode, Text(await Parse(response)));
        Assert.Contains("Hej Test!", Text(await visitor.Open("/")));
    }

    [Fact]
    public async Task The_right_password_still_signs_in()
    {
        var email = await app.NewEmployee();
        var home = await app.NewVisitor().LogIn(email);
        Assert.Contains("Hej Test!", Text(home));
    }

    private static async Task<HttpResponseMessage> PostPassword(Visitor visitor, string email, string password)
    {
        var login = await visitor.Open("/logga-in");
        return await visitor.Submit(login, "form[action*='handler=Password']", ("email", email), ("password", password));
    }

    private static string? ErrorOf(AngleSharp.Dom.IDocument page) => page.QuerySelector("#fel")?.TextContent.Trim();
}

/// <summary>The kommun sends everyone through its identity provider: no password form; demo mode stays on here.</summary>
public sealed class KommunkontoOnlyFixture : AppFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OpenIdConnect:Authority"] = "https://login.exempel.se/kommun/v2.0",
        ["OpenIdConnect:ClientId"] = "nanolearning",
        ["OpenIdConnect:PasswordSignIn"] = "false",
    };
}

public sealed class KommunkontoOnlyTests(KommunkontoOnlyFixture app) : IClassFixture<KommunkontoOnlyFixture>
{
    [Fact]
    public async Task The_login_page_offers_only_the_kommunkonto_and_the_demo()
    {
        var login = await app.NewVisitor().Open("/logga-in");

        Assert.Empty(login.QuerySelectorAll("input[name=password]"));
        Assert.Null(login.QuerySelector("form[action*='handler=Password']"));
        Assert.Contains("Logga in med ditt kommunkonto", login.QuerySelector("form[action*='handler=External'] button")!.TextContent);
        Assert.NotEmpty(login.QuerySelectorAll("input[name=persona]"));
    }

    [Fact]
    public async Task A_posted_password_is_refused_even_when_right()
    {
        var email = await app.NewLearner();
        var visitor = app.NewVisitor();
        var login = await visitor.Open("/logga-in");
        var token = login.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var response = await visitor.Post("/logga-in?handler=Password",
            [new("__RequestVerificationToken", token), new("email", email), new("password", AppFixture.Password)]);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("nanolearning=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Password_sign_in_off_without_an_identity_provider_stops_the_app()
    {
        using var app = new Without();

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(Flatten(failure).OfType<OptionsValidationException>().SelectMany(e => e.Failures),
            message => message.StartsWith("OpenIdConnect:PasswordSignIn is false, but no identity provider is configured", StringComparison.Ordinal));
    }

    internal static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException many ? many.InnerExceptions.SelectMany(Flatten) : e.InnerException is { } inner ? [e, .. Flatten(inner)] : [e];

    private sealed class Without : AppFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["OpenIdConnect:PasswordSignIn"] = "false" };
    }
}
