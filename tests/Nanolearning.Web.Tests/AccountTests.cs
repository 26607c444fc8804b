using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

public sealed class AccountTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Someone_not_logged_in_is_sent_to_the_login_page()
    {
        using var response = await app.NewVisitor().Client.GetAsync("/kurs/anhorigperspektiv-introduktion");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/logga-in?ReturnUrl=%2Fkurs%2Fanhorigperspektiv-introduktion", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_wrong_password_gets_a_plain_swedish_message()
    {
        var visitor = app.NewVisitor();
        var login = await visitor.Open("/logga-in");
        using var response = await visitor.Submit(login, "form[action*='handler=Password']", ("email", await app.NewLearner()), ("password", "fel lösenord helt enkelt"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(LoginModel.SignInFailed, Text(await Parse(response)));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var email = await app.NewLearner();
        var visitor = app.NewVisitor();
        for (var i = 0; i < 5; i++)
        {
            var page = await visitor.Open("/logga-in");
            (await visitor.Submit(page, "form[action*='handler=Password']", ("email", email), ("password", "gissning nummer " + i))).Dispose();
        }

        var login = await visitor.Open("/logga-in");
        using var response = await visitor.Submit(login, "form[action*='handler=Password']", ("email", email), ("password", AppFixture.Password));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // The same message as any failure: a "locked" message to the right password would tell a guesser it was right.
        Assert.Contains(LoginModel.SignInFailed, Text(await Parse(response)));
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByEmailAsync(email))!));
    }

    [Fact]
    public async Task A_short_password_is_refused_with_a_swedish_reason()
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var result = await users.CreateAsync(new AppUser { UserName = "kort@exempel.se", Email = "kort@exempel.se" }, "Kort1!xyz");
        Assert.False(result.Succeeded);
        Assert.Contains("minst 15 tecken", Assert.Single(result.Errors).Description);
    }

    [Fact]
    public async Task Only_admins_reach_the_admin_pages()
    {
        var learner = app.NewVisitor();
        await learner.LogInAs("medarbetare");
        using var response = await learner.Client.GetAsync("/admin/kurser");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var denied = await learner.Open(response.Headers.Location!.OriginalString, HttpStatusCode.Forbidden);
        Assert.Contains("Du har inte behörighet", Text(denied));

        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        Assert.Contains("Publicerade kurser", Text(await admin.Open("/admin/kurser")));
    }

    [Fact]
    public async Task A_restart_logs_nobody_out()
    {
        var cookies = new CookieContainer();
        var before = new Visitor(app.CreateDefaultClient(new CookieContainerHandler(cookies)), app.Errors);
        await before.LogInAs("chef");

        using var restarted = app.Restart();
        var after = new Visitor(restarted.CreateDefaultClient(new CookieContainerHandler(cookies)), restarted.Errors);
        var home = await after.Open("/");
        Assert.Contains("Hej Kristina!", Text(home));
        Assert.True(await restarted.Query(db => db.DataProtectionKeys.AnyAsync()));
    }

    [SqliteFact]
    public async Task The_database_runs_in_wal_mode()
    {
        var mode = await app.Query(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            return (string?)await command.ExecuteScalarAsync();
        });
        Assert.Equal("wal", mode);
    }

    [Fact]
    public async Task The_demo_seeds_a_municipality_with_managers_politicians_and_progress()
    {
        Assert.Equal(60, await app.Query(db => db.Learners.CountAsync(l => l.Email.EndsWith("@demo.nanolearning.se"))));
        Assert.True(await app.Query(db => db.Units.CountAsync(u => u.Kind == UnitKind.Administration)) >= 3);
        Assert.True(await app.Query(db => db.Units.Where(u => u.Kind == UnitKind.Unit).AllAsync(u => u.ManagerId != null)));
        Assert.True(await app.Query(db => db.Learners.CountAsync(l => l.EmployeeNumber == null)) >= 5);
        Assert.True(await app.Query(db => db.Enrolments.CountAsync(e => e.CompletedAt != null)) > 0);
        Assert.True(await app.Query(db => db.Users.CountAsync()) >= 60);
    }

    [Theory]
    [InlineData(LearnerKey.Email, "email", "MAJA.LIND@demo.nanolearning.se")]
    [InlineData(LearnerKey.EmployeeNumber, "employeeid", "10001")]
    public async Task An_external_sign_in_is_mapped_to_the_employee_by_the_configured_claim(LearnerKey key, string claim, string value)
    {
        using var scope = app.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<ExternalAccounts>();
        var settings = new OpenIdConnectSettings { Claim = claim, MatchOn = key };
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(claim, value), new Claim("email_verified", "true")], "oidc"));

        var learner = await accounts.FindLearnerAsync(principal, settings);

        Assert.Equal("maja.lind@demo.nanolearning.se", learner?.Email);
    }

    [Fact]
    public async Task An_unverified_e_mail_from_the_identity_provider_opens_no_account()
    {
        using var scope = app.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<ExternalAccounts>();
        var settings = new OpenIdConnectSettings { Claim = "email", MatchOn = LearnerKey.Email };
        var typedIn = new ClaimsPrincipal(new ClaimsIdentity([new Claim("email", "anna.ek@demo.nanolearning.se")], "oidc"));

        Assert.Null(await accounts.FindLearnerAsync(typedIn, settings));
    }

    [Fact]
    public async Task A_learner_already_tied_to_one_external_identity_is_not_opened_by_another()
    {
        using var scope = app.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<ExternalAccounts>();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var learner = await db.Learners.SingleAsync(l => l.Email == DemoSeeder.Personas[2].Email);

        Assert.NotNull(await accounts.EnsureUserAsync(learner, new UserLoginInfo(OpenIdConnectSettings.Scheme, "kristina", "Kommunkonto")));
        Assert.Null(await accounts.EnsureUserAsync(learner, new UserLoginInfo(OpenIdConnectSettings.Scheme, "nagon-annan", "Kommunkonto")));
    }

    [Fact]
    public async Task Someone_who_has_left_cannot_log_in()
    {
        var email = await app.NewLearner();
        await app.Query(db => db.Learners.Where(l => l.Email == email).ExecuteUpdateAsync(l => l.SetProperty(x => x.IsActive, false)));
        var visitor = app.NewVisitor();
        var login = await visitor.Open("/logga-in");
        using var response = await visitor.Submit(login, "form[action*='handler=Password']", ("email", email), ("password", AppFixture.Password));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(LoginModel.SignInFailed, Text(await Parse(response)));
    }

    [Fact]
    public async Task An_external_sign_in_for_someone_not_in_the_register_or_no_longer_employed_finds_nobody()
    {
        using var scope = app.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<ExternalAccounts>();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var settings = new OpenIdConnectSettings { Claim = "email", MatchOn = LearnerKey.Email };
        var leaver = await app.NewLearner();
        await db.Learners.Where(l => l.Email == leaver).ExecuteUpdateAsync(l => l.SetProperty(x => x.IsActive, false));

        Assert.Null(await accounts.FindLearnerAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim("email", "okand@exempel.se")])), settings));
        Assert.Null(await accounts.FindLearnerAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim("email", leaver)])), settings));
        Assert.Null(await accounts.FindLearnerAsync(new ClaimsPrincipal(new ClaimsIdentity()), settings));
    }

    [Fact]
    public async Task An_external_sign_in_creates_the_login_once_with_the_roles_of_the_learner()
    {
        using var scope = app.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<ExternalAccounts>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var unit = await db.Units.FirstAsync(u => u.Kind == UnitKind.Unit);
        var chef = new Learner { FirstName = "Extern", LastName = "Chef", Email = "extern.chef@exempel.se", UnitId = unit.Id, Audiences = [Audience.Employee, Audience.Manager] };
        db.Learners.Add(chef);
        await db.SaveChangesAsync();
        var login = new UserLoginInfo(OpenIdConnectSettings.Scheme, "subject-123", "Kommunkonto");

        var first = Assert.IsType<AppUser>(await accounts.EnsureUserAsync(chef, login));
        var second = Assert.IsType<AppUser>(await accounts.EnsureUserAsync(chef, login));

        Assert.Equal(first.Id, second.Id);
        Assert.Equal([Roles.Manager, Roles.Employee], (await users.GetRolesAsync(first)).Order());
        Assert.Equal(first.Id, (await users.FindByLoginAsync(login.LoginProvider, login.ProviderKey))?.Id);
    }
}

/// <summary>The app as production runs it: no demo.</summary>
public sealed class ProductionFixture : AppFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Nanolearning:Demo"] = "false" };
}

public sealed class ProductionModeTests(ProductionFixture app) : IClassFixture<ProductionFixture>
{
    [Fact]
    public async Task Production_seeds_nothing_and_offers_no_one_click_login()
    {
        var visitor = app.NewVisitor();
        var login = await visitor.Open("/logga-in");
        Assert.Empty(login.QuerySelectorAll("input[name=persona]"));
        Assert.Equal(0, await app.Query(db => db.Learners.CountAsync()));

        // The persona's account exists, so only the demo switch can be what refuses the one-click login.
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var persona = DemoSeeder.Personas[0];
            Assert.True((await users.CreateAsync(new AppUser { UserName = persona.Email, Email = persona.Email })).Succeeded);
        }

        var token = login.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var response = await visitor.Post("/logga-in?handler=Demo", [new("__RequestVerificationToken", token), new("persona", DemoSeeder.Personas[0].Key)]);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

/// <summary>A database seeded in demo mode, then run with demo off: the demo logins share a published password, so they stop working.</summary>
public sealed class DemoAccountTests
{
    [Fact]
    public async Task With_demo_off_the_demo_admin_cannot_sign_in_with_the_published_password()
    {
        var admin = DemoSeeder.Personas.Single(p => p.IsAdmin);
        using var demo = new AppFixture();
        var before = demo.NewVisitor();
        await before.LogInAs("admin");
        Assert.Equal(HttpStatusCode.OK, (await before.Client.GetAsync("/admin/import")).StatusCode);

        using var production = demo.Restart(new Dictionary<string, string> { ["Nanolearning:Demo"] = "false" });
        var visitor = production.NewVisitor();
        var login = await visitor.Open("/logga-in");
        using var response = await visitor.Submit(login, "form[action*='handler=Password']", ("email", admin.Email), ("password", DemoSeeder.Password));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(LoginModel.SignInFailed, Text(await Parse(response)));

        using var import = await visitor.Client.GetAsync("/admin/import");
        Assert.Equal(HttpStatusCode.Redirect, import.StatusCode);
        Assert.Contains("/logga-in", import.Headers.Location!.ToString());

        // Only the demo accounts: anyone else still signs in with their password (LogIn expects the redirect).
        await production.NewVisitor().LogIn(await production.NewLearner());
    }

    [Fact]
    public async Task The_demo_password_is_never_logged()
    {
        using var app = new EveryLogLineFixture();
        await app.NewVisitor().LogInAs("admin");

        Assert.Contains(app.Logged, line => line.Contains(DemoSeeder.Personas[0].Label, StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logged, line => line.Contains(DemoSeeder.Password, StringComparison.Ordinal));
    }

    private sealed class EveryLogLineFixture : AppFixture
    {
        public ConcurrentQueue<string> Logged { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging
                .AddProvider(new EveryLine(Logged))
                .AddFilter<EveryLine>(null, LogLevel.Trace));
        }

        private sealed class EveryLine(ConcurrentQueue<string> sink) : ILoggerProvider, ILogger
        {
            public ILogger CreateLogger(string categoryName) => this;

            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                sink.Enqueue(formatter(state, exception) + exception);

            public void Dispose()
            {
            }
        }
    }
}

public sealed class StaticAssetTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_stylesheet_the_pages_link_to_is_served_with_security_headers()
    {
        var visitor = app.NewVisitor();
        var login = await visitor.Open("/logga-in");
        var href = login.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;
        using var request = new HttpRequestMessage(HttpMethod.Get, href) { Headers = { { "Accept-Encoding", "gzip, br" } } };
        using var css = await visitor.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.True((await css.Content.ReadAsByteArrayAsync()).Length > 100);
        Assert.Equal("nosniff", css.Headers.GetValues("X-Content-Type-Options").Single());
        using var page = await visitor.Client.GetAsync("/logga-in");
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
    }
}

/// <summary>The app with sign-in through the kommun's identity provider configured.</summary>
public sealed class OidcFixture : AppFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OpenIdConnect:Authority"] = "https://login.exempel.se/kommun/v2.0",
        ["OpenIdConnect:ClientId"] = "nanolearning",
    };
}

public sealed class OidcTests(OidcFixture app) : IClassFixture<OidcFixture>
{
    [Fact]
    public async Task The_login_page_offers_the_kommunkonto_and_lets_its_form_reach_the_provider()
    {
        var visitor = app.NewVisitor();
        using var response = await visitor.Client.GetAsync("/logga-in");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Logga in med ditt kommunkonto", html);
        Assert.Contains("form-action 'self' https://login.exempel.se;", response.Headers.GetValues("Content-Security-Policy").Single());
    }
}
