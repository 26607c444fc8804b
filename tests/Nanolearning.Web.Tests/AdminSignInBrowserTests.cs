using Microsoft.Playwright;
using Nanolearning.Web.Features.Accounts;
using static Nanolearning.Web.Tests.BrowserTests;

namespace Nanolearning.Web.Tests;

/// <summary>The new admin's pages on a phone: choosing a password, setting up the authenticator, and the code step, checked with axe.</summary>
public sealed class AdminSignInBrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_new_admin_chooses_a_password_and_sets_up_the_authenticator_at_360_px()
    {
        const string password = "ett eget lösenord som är långt nog";
        var email = $"ny.admin.{Guid.NewGuid().ToString("N")[..8]}@kommun.exempel.se";
        using var output = new StringWriter();
        Assert.Equal(0, await AccountCommands.RunAsync(app.Services, ["admin", "create", "--email", email], output));
        var link = output.ToString().Split('\n').Single(l => l.Contains("/konto/nytt-losenord?", StringComparison.Ordinal)).Trim();

        var page = await app.NewPage(360);
        var check = new PageCheck(page, 360, javaScript: true);
        await page.GotoAsync(new Uri(link).PathAndQuery);
        await check.Page("välj lösenord", "Välj lösenord");
        await page.GetByLabel("Nytt lösenord").FillAsync(password);
        await page.GetByLabel("Skriv lösenordet en gång till").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara lösenordet" }).ClickAsync();
        await check.Page("lösenordet sparat", "Välj lösenord");

        await page.GetByRole(AriaRole.Link, new() { Name = "Logga in" }).ClickAsync();
        await page.GetByLabel("E-postadress").FillAsync(email);
        await page.GetByLabel("Lösenord").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in", Exact = true }).ClickAsync();
        await check.Page("tvåstegsverifiering", "Tvåstegsverifiering");
        await Assertions.Expect(page.GetByAltText("QR-kod att skanna med appen för engångskoder")).ToBeVisibleAsync();
        var key = (await page.Locator("#nyckel").TextContentAsync())!;

        await page.GetByLabel("Skriv koden som appen visar").FillAsync(Authenticator.WrongCodeNow(key, app.Clock));
        await page.GetByRole(AriaRole.Button, new() { Name = "Slå på tvåstegsverifiering" }).ClickAsync();
        await check.Page("tvåstegsverifiering med fel kod", "Tvåstegsverifiering");
        await page.GetByLabel("Skriv koden som appen visar").FillAsync(Authenticator.CodeNow(key, app.Clock));
        await page.GetByRole(AriaRole.Button, new() { Name = "Slå på tvåstegsverifiering" }).ClickAsync();
        await Assertions.Expect(page.Locator("#reservkoder li")).ToHaveCountAsync(10);
        await check.Page("reservkoder", "Tvåstegsverifiering");

        await page.GetByRole(AriaRole.Button, new() { Name = "Logga ut" }).ClickAsync();
        await page.GetByLabel("E-postadress").FillAsync(email);
        await page.GetByLabel("Lösenord").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in", Exact = true }).ClickAsync();
        await check.Page("skriv koden", "Skriv koden");
        await page.GetByLabel("Kod från appen").FillAsync(Authenticator.CodeNow(key, app.Clock));
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in", Exact = true }).ClickAsync();
        await page.GotoAsync("/admin/import");
        await Assertions.Expect(page.Locator("h1")).Not.ToHaveTextAsync("Tvåstegsverifiering");
        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }
}
