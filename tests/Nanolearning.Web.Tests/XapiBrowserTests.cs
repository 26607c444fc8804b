using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>The admin page for xAPI delivery in a real browser at 360 px, checked with axe.</summary>
public sealed class XapiBrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_delivery_page_with_a_backlog_and_an_error_is_accessible_on_a_phone()
    {
        var email = await app.NewLearner();
        var learnerId = await app.LearnerId(email);
        await app.Complete(learnerId, app.Catalog.FindLive("anhorigperspektiv-i-handlaggning")!, app.UtcNow);
        // As a failed delivery leaves an event: attempts, the LRS's answer and when to try again.
        await app.Query(async db =>
        {
            var failed = await db.LearningEvents.FirstAsync(e => e.LearnerId == learnerId);
            failed.DeliveryAttempts = 3;
            failed.LastAttemptAt = app.UtcNow;
            failed.NextAttemptAt = app.UtcNow.AddMinutes(4);
            failed.LastDeliveryError = "503 Service Unavailable: The LRS is being upgraded and will be back at 18:00, please try again later.";
            // One the LRS refused until delivery gave up, and the LRS's pause: the page's banner and list.
            var refused = await db.LearningEvents.Where(e => e.LearnerId == learnerId).OrderBy(e => e.OccurredAt).Skip(1).FirstAsync();
            refused.DeliveryAttempts = 5;
            refused.GivenUpAt = app.UtcNow;
            refused.LastDeliveryError = "400 Bad Request: context.extensions keys must be registered with this LRS.";
            db.DeliveryProblems.Add(new DeliveryProblem
            {
                Channel = DeliveryProblem.Lrs, Since = app.UtcNow, LastAt = app.UtcNow, Failures = 2, PausedUntil = app.UtcNow.AddMinutes(2), Code = 503,
                Reason = failed.LastDeliveryError,
            });
            return await db.SaveChangesAsync();
        });

        var page = await app.NewPage(360);
        var check = new BrowserTests.PageCheck(page, 360, javaScript: true);
        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anna Ek – Anhörigkonsulent (admin)" }).ClickAsync();
        await page.GotoAsync("/admin/xapi");
        await check.Page("admin: xAPI-leverans", "xAPI-leverans");
        await page.GetByRole(AriaRole.Button, new() { Name = "Skicka allt som väntar nu" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Leveransen har startats");
        await check.Page("admin: xAPI-leverans efter Skicka nu", "xAPI-leverans");

        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }
}
