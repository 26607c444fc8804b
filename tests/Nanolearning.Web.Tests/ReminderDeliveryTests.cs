using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Infrastructure;

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

    [Fact]
    public async Task A_server_that_refuses_every_message_pauses_sending_tells_the_admin_why_and_delivers_everything_once_when_fixed()
    {
        app.SwedishTime(new DateTime(2027, 3, 3, 10, 0, 0));
        var people = await app.NewLearnersAssigned(5, Intro);

        await app.Scan();
        app.Smtp.Behave("deny");
        await app.Dispatch();

        // Three different people refused with the same 554: the server's refusal, not theirs. Nobody failed.
        var paused = await MailsOf(people);
        Assert.All(paused, m => Assert.Equal((ReminderMailState.Pending, 0), (m.State, m.Attempts)));
        var problem = await app.Query(db => db.DeliveryProblems.SingleAsync(p => p.Channel == DeliveryProblem.Smtp));
        Assert.Equal((true, 554), (problem.Refusing, problem.Code));

        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var banner = (await admin.Open("/admin/paminnelser")).QuerySelector("#e-postservern")!.TextContent;
        Assert.Contains("Sändningen är pausad: e-postservern nekar alla meddelanden", banner);
        Assert.Contains("554 5.7.1 Relay access denied", banner);
        Assert.Contains("behörighets- eller policyskäl", banner);
        var pending = await app.Query(db => db.ReminderMails.CountAsync(m => m.State == ReminderMailState.Pending));
        Assert.Contains($"{pending} meddelanden väntar", banner);

        // Paused: the next runs send nothing until the test send is due, and then only the one.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty((await app.Dispatch()).SendingJobs);
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Single((await app.Dispatch()).SendingJobs);
        Assert.All(await MailsOf(people), m => Assert.Equal(ReminderMailState.Pending, m.State));
        Assert.True(await app.Query(db => db.DeliveryProblems.AnyAsync(p => p.Refusing)));

        // Fixed: the next test send goes through and everything follows, once each.
        app.Smtp.Behave("accept");
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await app.Dispatch();
        Assert.False(await app.Query(db => db.DeliveryProblems.AnyAsync()));
        await app.Dispatch();

        var received = await app.Smtp.MessageIdsByRecipient();
        foreach (var email in people)
        {
            var mail = Assert.Single(await app.MailsTo(email));
            Assert.Equal(ReminderMailState.Sent, mail.State);
            Assert.Equal([$"paminnelse-{mail.Id}@localhost"], received[email]);
        }

        Assert.DoesNotContain("Sändningen är pausad", Visitor.Text(await admin.Open("/admin/paminnelser")));
    }

    [Fact]
    public async Task A_server_that_refuses_one_unknown_recipient_fails_only_that_mail_and_the_admin_can_send_all_failed_again_after_confirming()
    {
        app.SwedishTime(new DateTime(2027, 3, 4, 10, 0, 0));
        var people = await app.NewLearnersAssigned(4, Intro);

        var unknown = people[1];
        await app.Scan();
        app.Smtp.Behave($"unknown {unknown}");
        await app.Dispatch();

        var failed = Assert.Single(await app.MailsTo(unknown));
        Assert.Equal((ReminderMailState.Failed, 550), (failed.State, failed.LastErrorCode));
        foreach (var email in people.Where(p => p != unknown))
        {
            Assert.Equal(ReminderMailState.Sent, Assert.Single(await app.MailsTo(email)).State);
            Assert.Single(await app.Smtp.ReceivedBy(email));
        }

        Assert.Empty(await app.Smtp.ReceivedBy(unknown));
        Assert.False(await app.Query(db => db.DeliveryProblems.AnyAsync()));

        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var page = await admin.Open("/admin/paminnelser");
        var row = Assert.Single(page.QuerySelectorAll("tbody tr"), r => r.TextContent.Contains(unknown, StringComparison.Ordinal));
        Assert.Contains("Mottagarens adress finns inte", row.TextContent);
        Assert.Contains("550 5.1.1", row.TextContent);

        // Send all again: the page first says how many, and only the confirmation sends them.
        var problems = await app.Query(db => db.ReminderMails.CountAsync(m => m.State == ReminderMailState.Failed || m.State == ReminderMailState.Uncertain));
        var confirm = await admin.Open(page.QuerySelector("a[href*='bekrafta=true']")!.GetAttribute("href")!);
        Assert.Contains(problems == 1 ? "Vill du skicka 1 misslyckat eller ovisst meddelande igen?" : $"Vill du skicka {problems} misslyckade och ovissa meddelanden igen?", Visitor.Text(confirm));
        Assert.Equal(ReminderMailState.Failed, Assert.Single(await app.MailsTo(unknown)).State);
        var done = await admin.SubmitAndFollow(confirm, "form[action*='handler=ResendAll']");
        Assert.Contains(problems == 1 ? "1 meddelande ligger i kön igen" : $"{problems} meddelanden ligger i kön igen", Visitor.Text(done));

        app.Smtp.Behave("accept");
        await app.Dispatch();
        Assert.Equal(ReminderMailState.Sent, Assert.Single(await app.MailsTo(unknown)).State);
        Assert.Single(await app.Smtp.ReceivedBy(unknown));
    }

    [Fact]
    public async Task Refusals_one_per_run_still_pause_sending_when_they_are_the_servers_and_never_when_they_name_the_mailbox()
    {
        app.SwedishTime(new DateTime(2027, 3, 5, 10, 0, 0));
        var people = await app.NewLearnersAssigned(6, Intro);

        await app.Scan();
        await app.In<ReminderDispatch, int>(dispatch => dispatch.BundleAsync(app.Today, app.UtcNow));
        var ids = await app.Query(db => db.ReminderMails.Where(m => people.Contains(m.Learner!.Email))
            .OrderBy(m => m.Id).Select(m => m.Id).ToListAsync());
        Assert.Equal(people.Count, ids.Count);

        // Three mailboxes the server does not know, one per sending run: each fails alone, nothing pauses.
        var unknown = await app.Query(db => db.ReminderMails.Where(m => ids.Take(3).Contains(m.Id)).Select(m => m.Learner!.Email).ToListAsync());
        app.Smtp.Behave($"unknown {string.Join(' ', unknown)}");
        foreach (var id in ids.Take(3))
        {
            await app.In<ReminderSender, SendResult>(sender => sender.SendAsync([id]));
        }

        Assert.All(await MailsIn(ids.Take(3)), m => Assert.Equal((ReminderMailState.Failed, 550), (m.State, m.LastErrorCode)));
        Assert.False(await app.Query(db => db.DeliveryProblems.AnyAsync()));

        // The same 554 for three other people, one per run: the third run sees the server's refusal, pauses, and all
        // three wait again with no attempt counted.
        app.Smtp.Behave("deny");
        await app.In<ReminderSender, SendResult>(sender => sender.SendAsync([ids[3]]));
        await app.In<ReminderSender, SendResult>(sender => sender.SendAsync([ids[4]]));
        Assert.All(await MailsIn(ids.Skip(3).Take(2)), m => Assert.Equal((ReminderMailState.Failed, 554), (m.State, m.LastErrorCode)));
        Assert.False(await app.Query(db => db.DeliveryProblems.AnyAsync(p => p.Refusing)));

        await app.In<ReminderSender, SendResult>(sender => sender.SendAsync([ids[5]]));
        Assert.All(await MailsIn(ids.Skip(3)), m => Assert.Equal((ReminderMailState.Pending, 0, 554), (m.State, m.Attempts, m.LastErrorCode)));
        Assert.All(await MailsIn(ids.Take(3)), m => Assert.Equal(ReminderMailState.Failed, m.State));
        var problem = await app.Query(db => db.DeliveryProblems.SingleAsync(p => p.Channel == DeliveryProblem.Smtp));
        Assert.Equal((true, 554), (problem.Refusing, problem.Code));

        // Fixed, and resumed by the test send: the three arrive once each.
        app.Smtp.Behave("accept");
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await app.Dispatch();
        await app.Dispatch();
        var received = await app.Smtp.MessageIdsByRecipient();
        foreach (var mail in await MailsIn(ids.Skip(3)))
        {
            Assert.Equal(ReminderMailState.Sent, mail.State);
        }

        Assert.All(people.Skip(3), email => Assert.Single(received[email]));
        Assert.All(unknown, email => Assert.False(received.ContainsKey(email)));
    }

    private Task<List<ReminderMail>> MailsIn(IEnumerable<long> ids)
    {
        var wanted = ids.ToList();
        return app.Query(db => db.ReminderMails.AsNoTracking().Where(m => wanted.Contains(m.Id)).ToListAsync());
    }

    private Task<List<ReminderMail>> MailsOf(List<string> people) =>
        app.Query(db => db.ReminderMails.AsNoTracking().Where(m => people.Contains(m.Learner!.Email)).ToListAsync());
}
