using System.Collections.Concurrent;
using System.Net;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nanolearning.Web.Features.FollowUp;
using Nanolearning.Web.Infrastructure;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>The app with every log message at every level kept, so a test can show that the audit trail never reaches the logs.</summary>
public sealed class AuditTrailFixture : AppFixture
{
    public ConcurrentQueue<string> Logged { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // A rule for this provider alone outranks the app's category levels: it hears everything down to Trace.
        builder.ConfigureLogging(logging => logging
            .AddProvider(new EveryLogMessage(Logged))
            .AddFilter<EveryLogMessage>(null, LogLevel.Trace));
    }

    private sealed class EveryLogMessage(ConcurrentQueue<string> sink) : ILoggerProvider, ILogger
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

/// <summary>
/// The audit trail: a chef's view of the overdue list and a "Påminn nu" each write who, what and when; the admin reads
/// them at /admin/granskningslogg, newest first, a page at a time, filtered by action; none of it goes to the logs.
/// </summary>
public sealed class AuditTrailTests(AuditTrailFixture app) : IClassFixture<AuditTrailFixture>
{
    private const string Intro = "anhorigperspektiv-introduktion";

    [Fact]
    public async Task Viewing_the_overdue_list_and_nudging_write_audit_rows_that_an_admin_reads_newest_first()
    {
        var norr = await app.UnitId(WheelSetup.KristinasUnit);
        var (email, name) = await OverdueInNorr();
        var since = await LastId();
        var kristina = app.NewVisitor();
        await kristina.LogInAs("chef");

        var list = await kristina.Open($"/uppfoljning/enhet/{norr}/forsenade");
        await kristina.SubmitAndFollow(list, $"form:not(#paminn-alla):has(input[name=assignment][value='{await AssignmentOf(email)}'])");

        var kristinasLogin = await app.Query(db => db.Users.Where(u => u.LearnerId == db.Learners.Single(l => l.FirstName == "Kristina" && l.LastName == "Berg").Id).Select(u => u.Id).SingleAsync());
        var learnerId = await app.LearnerId(email);
        var written = await app.Query(db => db.AuditEntries.Where(e => e.Id > since).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(
            [
                (AuditAction.ViewedOverdue, $"Försenade i {WheelSetup.KristinasUnit}", (int?)norr, (int?)null),
                (AuditAction.NudgedPeople, $"Påminn nu i {WheelSetup.KristinasUnit}: {name}", norr, learnerId),
                (AuditAction.ViewedOverdue, $"Försenade i {WheelSetup.KristinasUnit}", norr, null),
            ],
            written.Select(e => (e.Action, e.Subject, e.UnitId, e.LearnerId)));
        Assert.All(written, e => Assert.Equal((kristinasLogin, "Kristina Berg"), (e.UserId, e.UserName)));
        Assert.All(written, e => Assert.Equal(app.UtcNow, e.At, TimeSpan.FromMinutes(1)));

        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var page = await admin.Open("/admin/granskningslogg");
        var rows = page.QuerySelectorAll("tbody tr").Take(3).Select(Cells).ToList();
        Assert.Equal(
            [
                ["Kristina Berg", "Visade försenade", $"Försenade i {WheelSetup.KristinasUnit}"],
                ["Kristina Berg", "Påminn nu", $"Påminn nu i {WheelSetup.KristinasUnit}: {name}"],
                ["Kristina Berg", "Visade försenade", $"Försenade i {WheelSetup.KristinasUnit}"],
            ],
            rows.Select(r => r[1..]).ToList());
        Assert.Equal($"{Format.Date(written[2].At)} {Format.Time(written[2].At)}", rows[0][0]);

        var nudges = await admin.Open("/admin/granskningslogg?handling=NudgedPeople");
        Assert.All(nudges.QuerySelectorAll("tbody tr").Select(Cells), r => Assert.Equal("Påminn nu", r[2]));
        Assert.Contains(nudges.QuerySelectorAll("tbody tr").Select(Cells), r => r[3] == $"Påminn nu i {WheelSetup.KristinasUnit}: {name}");
        Assert.Equal("NudgedPeople", nudges.QuerySelector("#handling option[selected]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_refused_look_at_another_chefs_unit_writes_no_audit_row()
    {
        var norr = await app.UnitId(WheelSetup.KristinasUnit);
        var since = await LastId();
        var other = await app.ChefOf(WheelSetup.OtherUnit);
        var maja = app.NewVisitor();
        await maja.LogInAs("medarbetare");

        await other.Open($"/uppfoljning/enhet/{norr}/forsenade", HttpStatusCode.Forbidden);
        await maja.Open($"/uppfoljning/enhet/{norr}/forsenade", HttpStatusCode.Forbidden);

        Assert.Equal(since, await LastId());
    }

    [Fact]
    public async Task The_admin_pages_through_the_trail_with_plain_links_that_keep_the_filter()
    {
        await app.Query(db =>
        {
            db.AuditEntries.AddRange(Enumerable.Range(1, 120).Select(i => new AuditEntry
            {
                At = app.UtcNow.AddHours(-200 + i), UserId = "test", UserName = "Test Testsson", Action = AuditAction.ExportedPeople, Subject = $"Export {i}",
            }));
            return db.SaveChangesAsync();
        });
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");

        var first = await admin.Open("/admin/granskningslogg?handling=ExportedPeople");
        Assert.Equal(AuditEntriesModel.PageSize, first.QuerySelectorAll("tbody tr").Length);
        Assert.Equal("Export 120", Cells(first.QuerySelector("tbody tr")!)[3]);
        Assert.Contains("120 händelser av slaget ”Exporterade personer”, sida 1 av 3.", Text(first));
        Assert.Null(first.QuerySelector("nav.pages a[href*='sida=0']"));

        var older = first.QuerySelectorAll("nav.pages a").Single(a => a.TextContent.Contains("Äldre")).GetAttribute("href")!;
        Assert.Equal("/admin/granskningslogg?handling=ExportedPeople&sida=2", older);
        var second = await admin.Open(older);
        Assert.Equal("Export 70", Cells(second.QuerySelector("tbody tr")!)[3]);
        var last = await admin.Open(second.QuerySelectorAll("nav.pages a").Single(a => a.TextContent.Contains("Äldre")).GetAttribute("href")!);
        Assert.Equal(20, last.QuerySelectorAll("tbody tr").Length);
        Assert.Equal("Export 1", Cells(last.QuerySelectorAll("tbody tr").Last())[3]);
        Assert.DoesNotContain("Äldre", last.QuerySelector("nav.pages")!.TextContent);
        Assert.Equal("/admin/granskningslogg?handling=ExportedPeople&sida=2", last.QuerySelectorAll("nav.pages a").Single(a => a.TextContent.Contains("Nyare")).GetAttribute("href"));
    }

    [Theory]
    [InlineData("?sida=0")]
    [InlineData("?sida=tva")]
    [InlineData("?handling=Nagot")]
    [InlineData("?handling=99")]
    public async Task An_address_the_trail_cannot_show_gets_a_plain_Swedish_400(string query)
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var page = await admin.Open("/admin/granskningslogg" + query, HttpStatusCode.BadRequest);
        Assert.Equal("Adressen går inte att använda", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task Nothing_the_audit_trail_records_reaches_the_logs()
    {
        var norr = await app.UnitId(WheelSetup.KristinasUnit);
        var (email, name) = await OverdueInNorr();
        var kristina = app.NewVisitor();
        await kristina.LogInAs("chef");
        var list = await kristina.Open($"/uppfoljning/enhet/{norr}/forsenade");
        await kristina.SubmitAndFollow(list, $"form:not(#paminn-alla):has(input[name=assignment][value='{await AssignmentOf(email)}'])");
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        Assert.Contains(name, Text(await admin.Open("/admin/granskningslogg")));

        Assert.NotEmpty(app.Logged);
        Assert.DoesNotContain(app.Logged, line => line.Contains(name, StringComparison.Ordinal) || line.Contains("Försenade i", StringComparison.Ordinal) || line.Contains("Påminn nu i", StringComparison.Ordinal));
    }

    private static string[] Cells(IElement row) => [.. row.QuerySelectorAll("td").Select(c => c.TextContent.Trim())];

    private async Task<long> LastId() => await app.Query(db => db.AuditEntries.MaxAsync(e => (long?)e.Id)) ?? 0;

    private Task<int> AssignmentOf(string email) =>
        app.Query(db => db.Assignments.Where(a => a.Learner!.Email == email).Select(a => a.Id).SingleAsync());

    /// <summary>A new learner in Kristina's unit with the introduction a week overdue.</summary>
    private async Task<(string Email, string Name)> OverdueInNorr()
    {
        var norr = await app.UnitId(WheelSetup.KristinasUnit);
        var email = await app.NewLearner();
        var id = await app.LearnerId(email);
        await app.Query(db => db.Learners.Where(l => l.Id == id).ExecuteUpdateAsync(s => s.SetProperty(l => l.UnitId, norr)));
        await app.Assign(email, Intro, app.Today.AddDays(-40), app.Today.AddDays(-7));
        return (email, await app.Query(db => db.Learners.Where(l => l.Id == id).Select(l => l.FirstName + " " + l.LastName).SingleAsync()));
    }
}
