using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Nanolearning.Web.Features.Assignments;

namespace Nanolearning.Web.Tests;

/// <summary>The admins' page of the background jobs in a real browser, on a phone and on a desktop, checked with axe.</summary>
public sealed class JobsBrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public async Task The_jobs_page_is_accessible_with_a_failure_listed_and_after_kor_nu(int width)
    {
        // A failed run, so the failures list is on the page too; stored without the retry filter.
        new BackgroundJobClient(app.Services.GetRequiredService<JobStorage>(), new JobFilterCollection()).Create(
            Job.FromExpression<AssignmentPlanner>(planner => planner.PlanAsync(CancellationToken.None)),
            new FailedState(new HttpRequestException("Connection refused")));

        var page = await app.NewPage(width);
        var check = new BrowserTests.PageCheck(page, width, javaScript: true);
        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anna Ek – Anhörigkonsulent (admin)" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Jobb", Exact = true }).ClickAsync();
        await check.Page($"admin: Bakgrundsjobb ({width} px)", "Bakgrundsjobb");
        await Assertions.Expect(page.Locator("[data-failure]").First).ToContainTextAsync("Planering av tilldelningar");

        await page.GetByRole(AriaRole.Button, new() { Name = "Kör nu – Planering av tilldelningar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Planering av tilldelningar har startats");
        await check.Page($"admin: Bakgrundsjobb efter Kör nu ({width} px)", "Bakgrundsjobb");

        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }
}
