using System.Globalization;
using System.Net;
using Hangfire;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Features.Xapi;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>
/// Two app instances on two Kestrel ports against one PostgreSQL database, with one real SMTP server and one LRS, as
/// behind a load balancer: what one instance does, the other continues, and jobs run on both do the work once.
/// </summary>
public sealed class TwoInstancesTests : IAsyncLifetime
{
    private const string Intro = DemoSeeder.IntroductionCourse;

    private readonly SmtpServer _smtp = new();

    private FlakyLrs _lrs = null!;

    private Instance _first = null!;

    private Instance _second = null!;

    public async Task InitializeAsync()
    {
        if (!AppFixture.OnPostgreSql)
        {
            return;
        }

        await _smtp.InitializeAsync();
        _lrs = await FlakyLrs.StartAsync();
        _first = new Instance(Settings());
        _first.StartServer();
        _second = new Instance(_first, Settings());
        _second.StartServer();
        // Statements go to the first instance's own built-in LRS, through the recording proxy.
        _lrs.Upstream = _first.BaseUrl;
        foreach (var instance in new[] { _first, _second })
        {
            // The test runs the jobs itself, on both instances at once.
            instance.Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(BackgroundJobs.XapiDelivery);
        }
    }

    public async Task DisposeAsync()
    {
        if (!AppFixture.OnPostgreSql)
        {
            return;
        }

        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _lrs.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    private Dictionary<string, string> Settings() => new()
    {
        ["Mail:Host"] = "127.0.0.1",
        ["Mail:Port"] = _smtp.Port.ToString(CultureInfo.InvariantCulture),
        ["Mail:Tls"] = "None",
        ["Mail:FromAddress"] = "nanolearning@exempel.se",
        // An SMTP server, so several instances are allowed: no "single instance" here.
        ["Mail:SingleInstance"] = "false",
        ["Nanolearning:DemoEmployees"] = "12",
        ["Xapi:HomePage"] = "https://www.exempelkommun.se/",
        ["Xapi:Lrs:Username"] = XapiLrsFixture.Username,
        ["Xapi:Lrs:Password"] = XapiLrsFixture.LrsPassword,
        ["Xapi:Delivery:Endpoint"] = _lrs.BaseUrl + "/xapi/",
        ["Xapi:Delivery:Username"] = XapiLrsFixture.Username,
        ["Xapi:Delivery:Password"] = XapiLrsFixture.LrsPassword,
        ["Xapi:Delivery:BatchSize"] = "3",
    };

    [PostgreSqlFact]
    public async Task A_learner_signed_in_on_one_instance_resumes_the_course_on_the_other()
    {
        var email = await _first.NewLearner();
        // One browser: its cookies go to whichever instance the load balancer picks (cookies ignore the port).
        using var browser = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = AppFixture.TrustingTestCertificate().ServerCertificateCustomValidationCallback,
        };
        var onFirst = new Visitor(new HttpClient(browser, disposeHandler: false) { BaseAddress = new Uri(_first.BaseUrl) }, _first.Errors);
        var onSecond = new Visitor(new HttpClient(browser, disposeHandler: false) { BaseAddress = new Uri(_second.BaseUrl) }, _second.Errors);

        await onFirst.LogIn(email);
        var page = await onFirst.StartCourse(Intro);
        // The lesson's form came from the first instance; the second accepts its antiforgery token and the cookie.
        using (var next = await onSecond.Submit(page, "form[action*='handler=Next']"))
        {
            Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        }

        var second = _first.Catalog.FindLive(Intro)!.Lessons[1];
        var home = await onSecond.Open("/");
        Assert.Equal($"/kurs/{Intro}/{second.Id}", home.QuerySelector($".card:has(a[href='/kurs/{Intro}']) a.button")!.GetAttribute("href"));
        page = await onFirst.Open($"/kurs/{Intro}/{second.Id}");
        Assert.Equal(second.Title, page.QuerySelector("h1")!.TextContent);
    }

    [PostgreSqlFact]
    public async Task Reminder_and_xapi_jobs_run_on_both_instances_deliver_every_mail_and_statement_exactly_once()
    {
        foreach (var instance in new[] { _first, _second })
        {
            // Reminders compare exact times: both clocks stand still on a Monday at 10:00 in Sweden.
            instance.Clock.AutoAdvanceAmount = TimeSpan.Zero;
            instance.Clock.SetUtcNow(ReminderFixture.Monday);
        }

        var people = await _first.NewLearnersAssigned(6, Intro);

        // Learning on both instances: events for the LRS.
        foreach (var (email, instance) in people.Take(4).Select((e, i) => (e, i % 2 == 0 ? _first : _second)))
        {
            var learner = instance.NewKestrelVisitor();
            await learner.LogIn(email);
            await learner.StartCourse(Intro);
        }

        var waiting = await _first.Query(db => db.LearningEvents.Where(e => e.DeliveredAt == null).Select(e => e.Id).ToListAsync());
        Assert.NotEmpty(waiting);
        await Task.WhenAll(_first.In<ReminderScan, int>(s => s.RunAsync()), _second.In<ReminderScan, int>(s => s.RunAsync()));
        for (var round = 0; round < 3; round++)
        {
            // The minute jobs fire on both servers at the same moment.
            var dispatches = await Task.WhenAll(
                _first.In<ReminderDispatch, DispatchResult>(d => d.RunAsync()),
                _second.In<ReminderDispatch, DispatchResult>(d => d.RunAsync()));
            await UntilDone(dispatches.SelectMany(d => d.SendingJobs));
            await Task.WhenAll(
                _first.In<StatementDelivery, int>(d => d.DeliverAsync()),
                _second.In<StatementDelivery, int>(d => d.DeliverAsync()));
        }

        var mails = await _first.Query(db => db.ReminderMails.AsNoTracking().Select(m => new { m.State, m.Learner!.Email }).ToListAsync());
        // Nothing left waiting or failed (a demo person's mail may be dropped by its own rules: not sent, not owed).
        Assert.All(mails, m => Assert.Contains(m.State, new[] { ReminderMailState.Sent, ReminderMailState.Dropped }));
        var received = await _smtp.MessageIdsByRecipient();
        Assert.Equal(mails.Count(m => m.State == ReminderMailState.Sent), received.Values.Sum(ids => ids.Count));
        foreach (var email in people)
        {
            Assert.Single(await _smtp.ReceivedBy(email));
        }

        // Everyone, demo people included: as many messages as mails sent, none twice.
        foreach (var (email, count) in mails.Where(m => m.State == ReminderMailState.Sent).GroupBy(m => m.Email).Select(g => (g.Key, g.Count())))
        {
            Assert.Equal(count, received.GetValueOrDefault(email)?.Distinct().Count());
            Assert.Equal(count, received.GetValueOrDefault(email)?.Count);
        }

        Assert.False(await _first.Query(db => db.LearningEvents.AnyAsync(e => e.DeliveredAt == null)), "A learning event was left undelivered.");
        // Every statement that was waiting reached the LRS in one request, none in two.
        var sent = _lrs.Forwarded.SelectMany(f => f.Ids).ToList();
        Assert.Equal(waiting.Order(), sent.Order());
    }

    private async Task UntilDone(IEnumerable<string> jobs)
    {
        using var connection = _first.Services.GetRequiredService<JobStorage>().GetConnection();
        foreach (var job in jobs)
        {
            for (var i = 0; connection.GetJobData(job)?.State is not ("Succeeded" or "Failed"); i++)
            {
                Assert.True(i < 600, $"Sending job {job} did not finish within 30 s.");
                await Task.Delay(50);
            }
        }
    }

    /// <summary>One app instance on a Kestrel port of its own; the second is made over the first's database and courses.</summary>
    private sealed class Instance : AppFixture
    {
        private readonly IReadOnlyDictionary<string, string> _settings;

        public Instance(IReadOnlyDictionary<string, string> settings)
        {
            _settings = settings;
            UseHttpsKestrel();
        }

        public Instance(Instance first, IReadOnlyDictionary<string, string> settings)
            : base(first.Root, settings)
        {
            _settings = settings;
            UseHttpsKestrel();
        }

        protected override IReadOnlyDictionary<string, string> Settings => _settings;

        public string BaseUrl => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        public Visitor NewKestrelVisitor() =>
            new(new HttpClient(new HttpClientHandler
            {
                AllowAutoRedirect = false,
                ServerCertificateCustomValidationCallback = TrustingTestCertificate().ServerCertificateCustomValidationCallback,
            }) { BaseAddress = new Uri(BaseUrl) }, Errors);
    }
}
