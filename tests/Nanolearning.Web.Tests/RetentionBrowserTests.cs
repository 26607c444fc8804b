using Microsoft.Playwright;
using Nanolearning.Web.Features.FollowUp;

namespace Nanolearning.Web.Tests;

/// <summary>The gallring admin page in a real browser at 360 px, checked with axe before and after "Gallra nu".</summary>
public sealed class RetentionBrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_gallring_page_is_accessible_on_a_phone_before_and_after_a_run()
    {
        await app.Query(db =>
        {
            db.AuditEntries.Add(new AuditEntry { At = app.UtcNow, UserId = "u", UserName = "Anna Ek", Action = AuditAction.ViewedPeople, Subject = "Personer i en enhet" });
            return db.SaveChangesAsync();
        });
        app.Clock.Advance(TimeSpan.FromDays(3 * 366));

        var page = await app.NewPage(360);
        var check = new BrowserTests.PageCheck(page, 360, javaScript: true);
        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anna Ek – Anhörigkonsulent (admin)" }).ClickAsync();
        await page.GotoAsync("/admin/gallring");
        await check.Page("admin: Gallring", "Gallring");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gallra nu" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Gallringen är klar");
        await check.Page("admin: Gallring efter Gallra nu", "Gallring");

        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }
}
