using Microsoft.Playwright;

namespace Nanolearning.Web.Tests;

/// <summary>Chef Kristina plans her unit's year in a real browser on a phone and a desktop, every page checked with axe.</summary>
public sealed class WheelBrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public async Task A_chef_plans_her_units_year_in_the_browser(int width)
    {
        var year = app.Today.Year;
        var title = $"Anhörigdagen i hemtjänsten ({width} px)";
        var page = await app.NewPage(width);
        var check = new BrowserTests.PageCheck(page, width, javaScript: true);
        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kristina Berg – Chef" }).ClickAsync();
        await check.Page("Mina kurser", "Mina kurser");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Årshjul" }).ClickAsync();
        await check.Page("årshjul: enheter", "Årshjul");
        await page.GetByRole(AriaRole.Link, new() { Name = WheelSetup.KristinasUnit }).ClickAsync();
        await check.Page("årshjul för en enhet", $"Årshjul {year}: {WheelSetup.KristinasUnit}");
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = $"Årshjul {year} för {WheelSetup.KristinasUnit}" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = $"Ny post i årshjulet för {WheelSetup.KristinasUnit}" }).ClickAsync();
        await check.Page("ny post", "Ny post i årshjulet");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara posten" }).ClickAsync();
        await Assertions.Expect(page.Locator("#Title-fel")).ToHaveTextAsync("Skriv en rubrik.");
        await check.Page("ny post med fel", "Ny post i årshjulet");

        await page.GetByRole(AriaRole.Radio, new() { Name = "Anteckning" }).CheckAsync();
        await page.GetByLabel("Rubrik").FillAsync(title);
        await page.GetByLabel("Startdatum").FillAsync($"{year}-10-06");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara posten" }).ClickAsync();
        await check.Page("årshjul med ny post", $"Årshjul {year}: {WheelSetup.KristinasUnit}");
        await Assertions.Expect(page.Locator("table.entries")).ToContainTextAsync(title);

        await page.GetByRole(AriaRole.Link, new() { Name = $"Ändra {title}" }).ClickAsync();
        await check.Page("ändra post", "Ändra posten");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ta bort posten" }).ClickAsync();
        await check.Page("ta bort post", "Ta bort posten?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, ta bort posten" }).ClickAsync();
        await check.Page("årshjul efter borttagning", $"Årshjul {year}: {WheelSetup.KristinasUnit}");
        await Assertions.Expect(page.Locator("table.entries")).Not.ToContainTextAsync(title);

        await page.GetByRole(AriaRole.Link, new() { Name = "december", Exact = true }).ClickAsync();
        await check.Page("månad", $"December {year}: {WheelSetup.KristinasUnit}");

        await page.GoBackAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.Locator("header.top")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("table.entries")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Ny post i årshjulet för {WheelSetup.KristinasUnit}" })).ToBeHiddenAsync();
        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }

    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public async Task A_chef_sees_her_campaigns_progress_and_which_questions_are_hard_in_the_browser(int width)
    {
        var seeded = await QuizInsightSeed.SeedAsync(app, $"Hemtjänst Norr kväll ({width} px)");
        var course = app.Catalog.FindLive(Nanolearning.Web.Features.Demo.DemoSeeder.IntroductionCourse)!;
        await app.AddEntry(seeded.UnitId, $"Introduktionen i kvällsgruppen ({width} px)", Nanolearning.Web.Features.AnnualWheel.AnnualWheelKind.CourseCampaign,
            app.Today.AddDays(-5), app.Today.AddDays(25), course.Id);
        var page = await app.NewPage(width);
        var check = new BrowserTests.PageCheck(page, width, javaScript: true);
        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kristina Berg – Chef" }).ClickAsync();
        await check.Page("Mina kurser", "Mina kurser");

        await page.GotoAsync($"/arshjul/{seeded.UnitId}");
        var unit = $"Hemtjänst Norr kväll ({width} px)";
        await check.Page("årshjul med kampanjernas framsteg", $"Årshjul {app.Today.Year}: {unit}");
        await Assertions.Expect(page.Locator("table.entries")).ToContainTextAsync("Klara");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Svåra frågor i {course.Title}" }).First.ClickAsync();
        await check.Page("svåra frågor", $"Svåra frågor i {course.Title}: {unit}");
        await Assertions.Expect(page.Locator("table.quiz-insight tbody tr").First).ToContainTextAsync("5 (83");
        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }
}
