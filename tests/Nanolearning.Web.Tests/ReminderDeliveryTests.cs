using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Reminders;

namespace Nanolearning.Web.Tests;

/// <summary>The reminder app sending through a real SMTP server (aiosmtpd) that the tests stop, slow down and make refuse.</summary>
public sealed class SmtpReminderFixture : ReminderFixture, IAsyncLifetime
{
    public SmtpServer Smtp { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Mail:Host"] = "127.0.0.1",
        ["Mail:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Tls"] = "None",
        ["Mail:FromAddress"] = "nanolearning@exempel.se",
        ["Mail:SendTimeout"] = "00:00:05",
        // Fewer demo people, so fewer of their e-mails travel through the slowed-down server.
        ["Nanolearning:DemoEmployees"] = "12",
    };

    public Task InitializeAsync() => Smtp.InitializeAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Smtp.DisposeAsync();
        await DisposeAsync();
    }
}

public sealed class ReminderDeliveryTests(SmtpReminderFixture app) : IClassFixture<SmtpReminderFixture>
{
    private const string Intro = "anhorigperspektiv-introduktion";

    [Fact]
    public async Task Every_due_reminder_arrives_exactly_once_through_a_server_that_is_down_refusing_and_slow_before_it_recovers()
    {
        app.SwedishTime(new DateTime(2027, 3, 1, 10, 0, 0));
        List<string> people = [await app.NewLearner(), await app.NewLearner(), await app.NewLearner()];
        foreach (var email in people)
        {
            await app.Assign(email, Intro, app.Today, app.Today.AddDays(30));
        }

        await app.Scan();

        app.Smtp.Stop();
        await app.Dispatch();
        var down = await MailsOf(people);
        Assert.All(down, m => Assert.Equal(ReminderMailState.Pending, m.State));
        Assert.All(down, m => Assert.Equal(app.UtcNow.AddMinutes(1), m.NextAttemptAt));
        // The first mail of the batch found the server down; the rest of the batch waits as long without trying.
        Assert.True(await app.Query(db => db.ReminderMails.AnyAsync(m => m.Attempts == 1 && m.LastError!.Contains("127.0.0.1"))));

        // Too early for the next attempt: nothing is tried.
        await app.Dispatch();
        Assert.Equal(down.Sum(m => m.Attempts), (await MailsOf(people)).Sum(m => m.Attempts));

        await app.Smtp.StartAsync();
        app.Smtp.Behave("reject");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.Dispatch();
        Assert.All(await MailsOf(people), m => Assert.Equal(ReminderMailState.Pending, m.State));
        Assert.True(await app.Query(db => db.ReminderMails.AnyAsync(m => m.LastError!.Contains("451"))));

        app.Smtp.Behave("slow 0.5");
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        // Two dispatches at once, as two instances would: each mail is claimed by one sender only.
        await Task.WhenAll(app.Dispatch(), app.Dispatch());
        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.Dispatch();

        Assert.All(await MailsOf(people), m => Assert.Equal(ReminderMailState.Sent, m.State));
        foreach (var email in people)
        {
            Assert.Single(await app.Smtp.ReceivedBy(email));
        }
    }

    [Fact]
    public async Task A_mail_the_server_refuses_for_good_fails_at_once_and_an_admin_sees_why_and_can_send_it_again()
    {
        app.SwedishTime(new DateTime(2027, 3, 2, 10, 0, 0));
        var email = await app.NewLearner();
        await app.Assign(email, Intro, app.Today, app.Today.AddDays(30));
        await app.Scan();

        app.Smtp.Behave("refuse");
        await app.Dispatch();
        var failed = Assert.Single(await app.MailsTo(email));
        Assert.Equal((ReminderMailState.Failed, 1), (failed.State, failed.Attempts));

        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var page = await admin.Open("/admin/paminnelser");
        var row = Assert.Single(page.QuerySelectorAll("tbody tr"), r => r.TextContent.Contains(email, StringComparison.Ordinal));
        Assert.Contains("Misslyckades", row.TextContent);
        Assert.Contains("550", row.TextContent);

        app.Smtp.Behave("accept");
        await admin.SubmitAndFollow(page, $"form:has(input[value='{failed.Id}'])");
        await app.Dispatch();

        Assert.Equal(ReminderMailState.Sent, Assert.Single(await app.MailsTo(email)).State);
        var message = Assert.Single(await app.Smtp.ReceivedBy(email));
        Assert.NotNull(message.HtmlBody);
        Assert.NotNull(message.TextBody);
    }

    private Task<List<ReminderMail>> MailsOf(List<string> people) =>
        app.Query(db => db.ReminderMails.AsNoTracking().Where(m => people.Contains(m.Learner!.Email)).ToListAsync());
}
