using System.Net;
using Hangfire;
using Hangfire.Storage;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Nanolearning.Web.Features.FollowUp;
using Nanolearning.Web.Infrastructure;
using static Nanolearning.Web.Tests.ReportReader;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The kommun's figures come from one shared snapshot, counted at most 10 minutes ago (the default), by the job, the
/// first page that needs it, or the admin's "Räkna om nu". On its own <see cref="KommunFixture"/>, since these tests
/// add completions: 5 of the campaign's 8 are done at the start.
/// </summary>
public sealed class MunicipalitySnapshotTests(MunicipalitySnapshotFixture app) : IClassFixture<MunicipalitySnapshotFixture>
{
    private const string CampaignTitle = "Anhörigperspektiv i handläggningen";

    [Fact]
    public async Task The_report_and_the_kommun_view_say_when_their_figures_were_counted()
    {
        await app.Services.GetRequiredService<MunicipalitySnapshot>().RefreshAsync(CancellationToken.None);
        var counted = TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow(), Format.Stockholm);
        var politician = app.NewVisitor();
        await politician.LogIn(KommunFixture.Politician);
        var admin = await Admin();

        var report = await politician.Open("/rapport");
        var view = await admin.Open("/admin/uppfoljning");

        // The clock moves a millisecond per read (and other tests move it by whole minutes): the same minute as the count.
        var stamp = $"Siffrorna räknades i dag kl. {counted:HH}.{counted:mm} och räknas om var tionde minut.";
        Assert.Equal(stamp, report.QuerySelector(".snapshot-stamp")!.TextContent);
        Assert.Equal(stamp, view.QuerySelector(".snapshot-stamp")!.TextContent);
        var csv = System.Text.Encoding.UTF8.GetString((await Download(politician, "/rapport?handler=Export&tabell=kurser&format=csv")).Content);
        Assert.Contains(stamp, csv);
    }

    [Fact]
    public async Task A_new_completion_shows_once_the_figures_are_older_than_ten_minutes()
    {
        var snapshot = app.Services.GetRequiredService<MunicipalitySnapshot>();
        await snapshot.RefreshAsync(CancellationToken.None);
        var admin = await Admin();
        var before = Completed(await admin.Open("/admin/uppfoljning"));

        await CompleteCampaign(KommunFixture.Employee);
        var soon = Completed(await admin.Open("/admin/uppfoljning"));
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        var later = Completed(await admin.Open("/admin/uppfoljning"));

        Assert.Equal(before, soon);
        Assert.Equal(before + 1, later);
    }

    [Fact]
    public async Task Räkna_om_nu_shows_a_new_completion_at_once()
    {
        await app.Services.GetRequiredService<MunicipalitySnapshot>().RefreshAsync(CancellationToken.None);
        var admin = await Admin();
        var page = await admin.Open("/admin/uppfoljning");
        var before = Completed(page);

        await CompleteCampaign("hugo@provkommun.exempel.se");
        var same = await admin.Open("/admin/uppfoljning");
        var recounted = await admin.SubmitAndFollow(same, "form.snapshot");

        Assert.Equal(before, Completed(same));
        Assert.Equal(before + 1, Completed(recounted));
    }

    [Theory]
    [InlineData(KommunFixture.Chef)]
    [InlineData(KommunFixture.Politician)]
    public async Task Only_an_admin_may_press_räkna_om_nu(string email)
    {
        var admin = await Admin();
        var form = (await admin.Open("/admin/uppfoljning")).QuerySelector<IHtmlFormElement>("form.snapshot")!;
        var visitor = app.NewVisitor();
        var own = await visitor.LogIn(email);
        var token = own.QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]");
        var before = app.Services.GetRequiredService<MunicipalitySnapshot>().Computations;

        // Their own antiforgery token where a page gives them one, so only the role can be what refuses them.
        using var response = await visitor.Post(form.Action, token is null ? [] : [KeyValuePair.Create(token.Name!, token.Value)]);

        Assert.True(
            response.StatusCode == HttpStatusCode.Forbidden
            || (response.StatusCode == HttpStatusCode.Redirect && new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath == "/fel/403"),
            $"POST {form.Action}: {(int)response.StatusCode} {response.Headers.Location}");

        Assert.Equal(before, app.Services.GetRequiredService<MunicipalitySnapshot>().Computations);
    }

    [Fact]
    public async Task Two_requests_for_old_figures_wait_for_one_count()
    {
        var snapshot = app.Services.GetRequiredService<MunicipalitySnapshot>();
        await snapshot.RefreshAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        var before = snapshot.Computations;

        var both = await Task.WhenAll(snapshot.CurrentAsync(CancellationToken.None), snapshot.CurrentAsync(CancellationToken.None));

        Assert.Equal(before + 1, snapshot.Computations);
        Assert.Same(both[0], both[1]);
    }

    [Fact]
    public async Task The_job_counts_again_only_figures_half_their_age_old()
    {
        var snapshot = app.Services.GetRequiredService<MunicipalitySnapshot>();
        await snapshot.RefreshAsync(CancellationToken.None);
        var counted = snapshot.Computations;

        await snapshot.KeepFreshAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromMinutes(4));
        await snapshot.KeepFreshAsync(CancellationToken.None);
        var youngerThanHalf = snapshot.Computations;
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await snapshot.KeepFreshAsync(CancellationToken.None);

        Assert.Equal(counted, youngerThanHalf);
        Assert.Equal(counted + 1, snapshot.Computations);
    }

    [Fact]
    public void The_snapshot_is_a_recurring_job_every_ten_minutes()
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();

        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == BackgroundJobs.FollowUpSnapshot);

        Assert.Equal(Cron.MinuteInterval(10), job.Cron);
        Assert.Equal((typeof(MunicipalitySnapshot), nameof(MunicipalitySnapshot.KeepFreshAsync)), (job.Job.Type, job.Job.Method.Name));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(90)]
    public void Snapshot_minutes_that_do_not_divide_the_hour_stop_the_app(int minutes) =>
        Assert.Contains("Nanolearning:FollowUp:SnapshotMinutes", Assert.Single(new FollowUpOptions { SnapshotMinutes = minutes }.Mistakes()));

    private static int Completed(IDocument page) =>
        int.Parse(Row(page, "kurser", CampaignTitle)[4], System.Globalization.CultureInfo.InvariantCulture);

    private async Task CompleteCampaign(string email) =>
        await app.Complete(email, app.Catalog.FindLive(KommunFixture.Campaign)!, app.UtcNow);

    private async Task<Visitor> Admin()
    {
        var admin = app.NewVisitor();
        await admin.LogInWithCode(KommunFixture.Admin, app.AdminKey, app.Clock);
        return admin;
    }
}

/// <summary>The kommun of <see cref="KommunFixture"/>, for tests that add completions.</summary>
public sealed class MunicipalitySnapshotFixture : KommunFixture;
