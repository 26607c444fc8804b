using System.Diagnostics;
using System.Net;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Nanolearning.Web.Features.Accounts;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The operator's commands (<see cref="AccountCommands"/>) against the app's own SQLite file, with demo mode off as in
/// production: a link to choose a password, then the admin signs in and sets up the authenticator.
/// </summary>
public sealed class AccountCommandTests(NoDemoFixture app) : IClassFixture<NoDemoFixture>
{
    private const string NewPassword = "ett eget lösenord som är långt nog";

    [Fact]
    public async Task Admin_create_prints_a_single_use_link_after_which_the_admin_signs_in_and_sets_up_the_authenticator()
    {
        var email = NewEmail();
        var (exit, output) = await Run("admin", "create", "--email", email);
        Assert.Equal(0, exit);
        Assert.Contains($"{email} är administratör.", output);
        var link = LinkIn(output);

        var visitor = app.NewVisitor();
        var saved = await ChoosePassword(visitor, link, NewPassword);
        Assert.Contains("Lösenordet är sparat.", Text(saved));

        // The link dies with its first use.
        Assert.Contains(NewPasswordModel.InvalidLink, Text(await visitor.Open(link, HttpStatusCode.NotFound)));

        var setUp = await visitor.LogIn(email, NewPassword);
        Assert.Equal("Tvåstegsverifiering", setUp.QuerySelector("h1")!.TextContent);
        Assert.NotNull(setUp.QuerySelector("img.qr-code[alt]"));
        var key = setUp.QuerySelector("#nyckel")!.TextContent;
        using var confirmed = await visitor.Submit(setUp, "form[action*='handler=Confirm']", ("code", Authenticator.CodeNow(key, app.Clock)));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.Client.GetAsync("/admin/import")).StatusCode);
    }

    [Fact]
    public async Task The_commands_run_from_the_apps_own_command_line_before_any_web_server()
    {
        // The app has made its Data Protection key by now, as a running server would have; the command uses it.
        await app.NewVisitor().Open("/logga-in");
        var email = NewEmail();
        var web = Path.Combine(AppContext.BaseDirectory, "Nanolearning.Web.dll");
        var start = new ProcessStartInfo("dotnet", [web, "admin", "create", "--email", email])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Database__Provider"] = AppFixture.Provider,
                ["ConnectionStrings__Nanolearning"] = app.ConnectionString,
                ["Nanolearning__CoursesPath"] = app.CoursesFolder,
            },
        };
        // What production requires to start at all (a key certificate, host names), then the public address.
        foreach (var (key, value) in InProduction.Required(app.Root))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["Nanolearning__PublicUrl"] = "https://larande.kommun.exempel.se";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await output}\n{await errors}");
        Assert.Contains("\nhttps://larande.kommun.exempel.se/konto/nytt-losenord?anvandare=", await output);

        var visitor = app.NewVisitor();
        await ChoosePassword(visitor, LinkIn(await output), NewPassword);
        var setUp = await visitor.LogIn(email, NewPassword);
        Assert.Equal("Tvåstegsverifiering", setUp.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task Password_reset_gives_a_new_password_through_the_link_and_refuses_a_short_one()
    {
        var email = NewEmail();
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
            Assert.True((await users.CreateAsync(user, AppFixture.Password)).Succeeded);
            await users.AddToRoleAsync(user, Roles.Employee);
        }

        var (exit, output) = await Run("password", "reset", "--email", email);
        Assert.Equal(0, exit);
        var link = LinkIn(output);

        var visitor = app.NewVisitor();
        var form = await visitor.Open(link);
        using (var tooShort = await visitor.Submit(form, "form[action*='handler=Save']", ("password", "kort"), ("repeated", "kort")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
            Assert.Contains("minst 15 tecken", Text(await Parse(tooShort)));
        }

        await ChoosePassword(visitor, link, NewPassword);
        var home = await app.NewVisitor().LogIn(email, NewPassword);
        Assert.Equal("Mina kurser", home.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task The_link_holds_for_a_day_on_the_apps_clock_and_not_after()
    {
        var email = NewEmail();
        var first = LinkIn((await Run("admin", "create", "--email", email)).Output);
        app.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal("Välj lösenord", (await app.NewVisitor().Open(first)).QuerySelector("h1")!.TextContent);

        var second = LinkIn((await Run("password", "reset", "--email", email)).Output);
        app.Clock.Advance(TimeSpan.FromHours(25));
        Assert.Contains(NewPasswordModel.InvalidLink, Text(await app.NewVisitor().Open(second, HttpStatusCode.NotFound)));
    }

    [Fact]
    public async Task Unknown_people_and_missing_addresses_are_refused_with_the_reason()
    {
        var (unknown, output) = await Run("password", "reset", "--email", "ingen.alls@exempel.se");
        Assert.Equal(1, unknown);
        Assert.Contains("Det finns inget konto med e-postadressen ingen.alls@exempel.se.", output);
        Assert.DoesNotContain("nytt-losenord", output);

        var (usage, help) = await Run("admin", "create");
        Assert.Equal(2, usage);
        Assert.Contains("admin create --email", help);

        await app.NewVisitor().Open("/konto/nytt-losenord?anvandare=x&kod=y", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Admin_reset_2fa_makes_the_next_sign_in_set_up_the_app_again()
    {
        var email = NewEmail();
        await ChoosePassword(app.NewVisitor(), LinkIn((await Run("admin", "create", "--email", email)).Output), NewPassword);
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            await Authenticator.EnableAsync(users, (await users.FindByEmailAsync(email))!);
        }

        Assert.Equal("Skriv koden", (await app.NewVisitor().LogIn(email, NewPassword)).QuerySelector("h1")!.TextContent);
        Assert.Equal(0, (await Run("admin", "reset-2fa", "--email", email)).Exit);
        Assert.Equal("Tvåstegsverifiering", (await app.NewVisitor().LogIn(email, NewPassword)).QuerySelector("h1")!.TextContent);
    }

    private async Task<(int Exit, string Output)> Run(params string[] args)
    {
        using var output = new StringWriter();
        var exit = await AccountCommands.RunAsync(app.Services, args, output);
        return (exit, output.ToString());
    }

    private static async Task<IDocument> ChoosePassword(Visitor visitor, string link, string password)
    {
        var form = await visitor.Open(link);
        Assert.Equal("Välj lösenord", form.QuerySelector("h1")!.TextContent);
        using var saved = await visitor.Submit(form, "form[action*='handler=Save']", ("password", password), ("repeated", password));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        return await Parse(saved);
    }

    /// <summary>The link the command printed, as a path on the test server.</summary>
    private static string LinkIn(string output)
    {
        var link = output.Split('\n').Select(l => l.Trim()).Single(l => l.Contains("/konto/nytt-losenord?", StringComparison.Ordinal));
        return link.StartsWith("http", StringComparison.Ordinal) ? link[link.IndexOf("/konto/", StringComparison.Ordinal)..] : link;
    }

    private static string NewEmail() => $"it.admin.{Guid.NewGuid().ToString("N")[..8]}@kommun.exempel.se";
}

/// <summary>The app with demo mode off, as in production: an empty kommun, no demo accounts.</summary>
public sealed class NoDemoFixture : AppFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Nanolearning:Demo"] = "false" };
}
