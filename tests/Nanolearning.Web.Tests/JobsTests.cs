using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nanolearning.Web.Features.FollowUp;
using Nanolearning.Web.Features.Retention;
using Nanolearning.Web.Infrastructure;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>The app with gallring scheduled on a day years away, so it is listed and runs only when "Kör nu" is pressed.</summary>
public sealed class JobsFixture : AppFixture
{
    public const string NeverSoon = "0 0 29 2 *";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Retention:Schedule"] = NeverSoon,
    };

    /// <summary>The run Hangfire started last for a recurring job, and its state.</summary>
    public (string? Id, string? State) LastRun(string jobId)
    {
        using var connection = Services.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetRecurringJobs().Single(j => j.Id == jobId);
        return (job.LastJobId, job.LastJobState);
    }
}

/// <summary>The admins' Swedish page of the background jobs at /admin/jobb (issue 16), with "Kör nu".</summary>
public sealed class JobsTests(JobsFixture app) : IClassFixture<JobsFixture>
{
    private const string Page = "/admin/jobb";

    [Fact]
    public async Task An_admin_sees_each_job_in_swedish_with_its_schedule_and_a_link_to_the_expert_view()
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var page = await admin.Open(Page);

        Assert.Equal("Bakgrundsjobb", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("Planering av tilldelningar", Job(page, BackgroundJobs.AssignmentPlanning).QuerySelector("h2")!.TextContent);
        Assert.Equal("Varje hel timme", Job(page, BackgroundJobs.AssignmentPlanning).QuerySelector("[data-schedule]")!.TextContent);
        Assert.Equal("Varje minut", Job(page, BackgroundJobs.XapiDelivery).QuerySelector("[data-schedule]")!.TextContent);
        Assert.Equal("Gallring", Job(page, BackgroundJobs.Retention).QuerySelector("h2")!.TextContent);
        Assert.Contains("gallringsfrist", Job(page, BackgroundJobs.Retention).TextContent);
        Assert.Equal("Enligt schemat ”0 0 29 2 *” (cron-uttryck)", Job(page, BackgroundJobs.Retention).QuerySelector("[data-schedule]")!.TextContent);
        Assert.StartsWith("29 februari", Job(page, BackgroundJobs.Retention).QuerySelector("[data-next-run]")!.TextContent);

        var expert = Assert.Single(page.QuerySelectorAll("main a"), a => a.TextContent == "Expertvy (engelska)");
        Assert.Equal(BackgroundJobs.DashboardPath, expert.GetAttribute("href"));
        using var dashboard = await admin.Client.GetAsync(expert.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Jobb – Nanolearning", await dashboard.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Kor_nu_runs_the_job_and_the_page_shows_how_it_went()
    {
        var old = new AuditEntry { At = app.UtcNow.AddYears(-10), UserId = "u", UserName = "Gammal Post", Action = AuditAction.ViewedPeople, Subject = "Personer i en enhet" };
        await app.Query(db =>
        {
            db.AuditEntries.Add(old);
            return db.SaveChangesAsync();
        });
        var before = app.LastRun(BackgroundJobs.Retention);
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");

        var after = await admin.SubmitAndFollow(await admin.Open(Page), $"[data-job={BackgroundJobs.Retention}] form");

        Assert.Contains("Gallring har startats", after.QuerySelector("[role=status]")!.TextContent);
        Assert.NotEqual(before.Id, app.LastRun(BackgroundJobs.Retention).Id);
        // The real effect: the gallring removed the ten-year-old audit entry.
        await Eventually(async () => !await app.Query(db => db.AuditEntries.AnyAsync(e => e.Id == old.Id)), "the old audit entry was not removed");
        await Eventually(() => Task.FromResult(app.LastRun(BackgroundJobs.Retention).State == "Succeeded"), "the run did not succeed");
        var page = await admin.Open(Page);
        Assert.Equal("Lyckades", Job(page, BackgroundJobs.Retention).QuerySelector("[data-result]")!.TextContent);
        // Hangfire stamps runs with the wall clock, not the app's: only that there is a time.
        Assert.Contains(" kl. ", Job(page, BackgroundJobs.Retention).QuerySelector("[data-last-run]")!.TextContent);
    }

    [Fact]
    public async Task A_failed_run_is_listed_under_the_job_with_a_swedish_message()
    {
        // A failed run as Hangfire stores one, without the retry filter that would schedule it again.
        var storage = app.Services.GetRequiredService<JobStorage>();
        var failed = new BackgroundJobClient(storage, new Hangfire.Common.JobFilterCollection()).Create(
            Hangfire.Common.Job.FromExpression<RetentionSweep>(sweep => sweep.RunAsync(CancellationToken.None)),
            new FailedState(new TimeoutException("The operation has timed out.")));
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");

        var page = await admin.Open(Page);

        var failure = page.QuerySelector($"[data-failure='{failed}']");
        Assert.NotNull(failure);
        Assert.Contains("Gallring", failure.TextContent);
        Assert.Contains("Jobbet tog för lång tid och avbröts", failure.TextContent);
        Assert.DoesNotContain("The operation has timed out", Text(page));
    }

    [Fact]
    public async Task Someone_not_logged_in_is_sent_to_the_login_page()
    {
        using var response = await app.NewVisitor().Client.GetAsync(Page);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/logga-in?ReturnUrl=%2Fadmin%2Fjobb", response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("medarbetare")]
    [InlineData("chef")]
    public async Task Someone_who_is_not_an_admin_can_neither_see_the_page_nor_run_a_job(string persona)
    {
        var visitor = app.NewVisitor();
        var home = await visitor.LogInAs(persona);
        Assert.Null(home.QuerySelector($"a[href='{Page}']"));
        using var get = await visitor.Client.GetAsync(Page);
        Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
        var denied = await visitor.Open(get.Headers.Location!.OriginalString, HttpStatusCode.Forbidden);
        Assert.Contains("Du har inte behörighet", Text(denied));

        var before = app.LastRun(BackgroundJobs.Retention);
        using var post = await visitor.Post(RunUrl(BackgroundJobs.Retention), [OwnToken(home)]);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Contains("/fel/403", post.Headers.Location!.OriginalString);
        Assert.Equal(before.Id, app.LastRun(BackgroundJobs.Retention).Id);
    }

    [Theory]
    [InlineData("finns-inte")]
    [InlineData("")]
    public async Task An_unknown_job_is_not_found(string id)
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var jobs = await admin.Open(Page);

        using var response = await admin.Post(RunUrl(id), [OwnToken(jobs)]);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Sidan finns inte", Text(await Parse(response)));
    }

    [Fact]
    public async Task Kor_nu_without_the_antiforgery_token_is_refused_and_runs_nothing()
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var before = app.LastRun(BackgroundJobs.Retention);

        using var response = await admin.Post(RunUrl(BackgroundJobs.Retention), []);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before.Id, app.LastRun(BackgroundJobs.Retention).Id);
    }

    private static string RunUrl(string id) => $"{Page}?handler=Run&id={Uri.EscapeDataString(id)}";

    private static IElement Job(IDocument page, string id) =>
        page.QuerySelector($"[data-job='{id}']") ?? throw new InvalidOperationException($"No job {id} on the page.");

    /// <summary>The visitor's own antiforgery token, from the sign-out form every signed-in page has.</summary>
    private static KeyValuePair<string, string> OwnToken(IDocument page) =>
        KeyValuePair.Create("__RequestVerificationToken", page.QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")!.Value);

    private static async Task Eventually(Func<Task<bool>> condition, string failure)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail(failure + " within 30 s.");
    }
}

/// <summary>The jobs' cron schedules in plain Swedish, as the jobs page shows them.</summary>
public sealed class JobScheduleTests
{
    [Theory]
    [InlineData("* * * * *", "Varje minut")]
    [InlineData("*/10 * * * *", "Var 10:e minut")]
    [InlineData("0 * * * *", "Varje hel timme")]
    [InlineData("15 * * * *", "Varje timme, 15 minuter över")]
    [InlineData("30 1 * * *", "Varje dag kl. 02:30 svensk vintertid och 03:30 sommartid (01:30 UTC)")]
    [InlineData("0 6 * * 1", "Varje måndag kl. 07:00 svensk vintertid och 08:00 sommartid (06:00 UTC)")]
    [InlineData("0 0 29 2 *", "Enligt schemat ”0 0 29 2 *” (cron-uttryck)")]
    public void A_schedule_reads_as_plain_swedish(string cron, string expected) =>
        Assert.Equal(expected, Nanolearning.Web.Features.Jobs.JobSchedule.Describe(cron, "UTC"));
}
