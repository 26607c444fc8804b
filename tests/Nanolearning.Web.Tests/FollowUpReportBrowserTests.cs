using Microsoft.Playwright;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The admin's kommun view and the nämnd report in a real browser on a phone and a desktop, over the demo kommun,
/// checked with axe for WCAG 2.1 A and AA and for sideways scrolling.
/// </summary>
public sealed class FollowUpReportBrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public async Task The_kommun_view_and_its_drill_down_pass_axe(int width)
    {
        var page = await app.NewPage(width);
        var check = new BrowserTests.PageCheck(page, width, javaScript: true);

        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anna Ek – Anhörigkonsulent (admin)" }).ClickAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Kommunens uppföljning", Exact = true }).ClickAsync();
        await check.Page("kommunens uppföljning", "Uppföljning för hela kommunen");
        var administration = await page.Locator("select#forvaltning option").Nth(1).TextContentAsync();
        await page.GetByLabel("Visa per enhet i").SelectOptionAsync(new SelectOptionValue { Label = administration! });
        await page.GetByRole(AriaRole.Button, new() { Name = "Visa", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#enheter caption")).ToContainTextAsync(administration!);
        await check.Page("kommunens uppföljning per enhet", "Uppföljning för hela kommunen");
        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }

    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public async Task A_politician_opens_the_report_from_the_menu_and_it_passes_axe(int width)
    {
        var page = await app.NewPage(width);
        var check = new BrowserTests.PageCheck(page, width, javaScript: true);

        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Per Olsson – Politiker" }).ClickAsync();
        await check.Page("Mina kurser", "Mina kurser");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Rapport" }).ClickAsync();
        await check.Page("rapport till nämnden", "Rapport till nämnden");
        await Assertions.Expect(page.Locator("section.report")).ToHaveCountAsync(3);

        // Printed, each part is a page of its own headed by the date and k, and the downloads are left out.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.Locator("section.report .report-stamp").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".export").First).ToBeHiddenAsync();
        Assert.Equal("page", await page.Locator("section.report").First.EvaluateAsync<string>("s => getComputedStyle(s).breakAfter"));
        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }
}
