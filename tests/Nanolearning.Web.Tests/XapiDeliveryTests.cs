using System.Net;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nanolearning.Web.Features.Xapi;
using Nanolearning.Web.Infrastructure;
using Nanolearning.Xapi;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The delivery job sending learning events through <see cref="FlakyLrs"/> to the app's own built-in LRS over real
/// HTTP: the LRS down, slow and failing, then working again. The test drives the runs itself (the minutely Hangfire
/// job is removed) and moves the app's clock past the back-off instead of waiting.
/// </summary>
public sealed class XapiDeliveryTests(XapiDeliveryTests.Fixture app) : IClassFixture<XapiDeliveryTests.Fixture>
{
    public sealed class Fixture : XapiLrsFixture
    {
        public FlakyLrs Lrs { get; private set; } = null!;

        protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>
        {
            ["Xapi:Delivery:Endpoint"] = Lrs.BaseUrl + "/xapi/",
            ["Xapi:Delivery:Username"] = Username,
            ["Xapi:Delivery:Password"] = LrsPassword,
            ["Xapi:Delivery:BatchSize"] = "4",
            ["Xapi:Delivery:Timeout"] = "00:00:03",
        };

        public override async Task InitializeAsync()
        {
            Lrs = await FlakyLrs.StartAsync();
            await base.InitializeAsync();
            Lrs.Upstream = BaseUrl;
            Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(BackgroundJobs.XapiDelivery);
        }

        /// <summary>Past the longest back-off, so every waiting event is due.</summary>
        public void PassTheBackOff() => Clock.Advance(TimeSpan.FromHours(2));

        public async Task<int> Deliver()
        {
            using var scope = Services.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<StatementDelivery>().DeliverAsync();
        }

        /// <summary>
        /// Starts a test from an empty backlog, whatever earlier tests left waiting (on a busy machine even a first,
        /// cold request can time out).
        /// </summary>
        public async Task DeliverEverything()
        {
            Lrs.Behaviour = LrsBehaviour.Working;
            for (var i = 0; i < 5 && await Query(db => db.LearningEvents.AnyAsync(e => e.DeliveredAt == null)); i++)
            {
                PassTheBackOff();
                await DeliverAll();
            }

            Assert.False(await Query(db => db.LearningEvents.AnyAsync(e => e.DeliveredAt == null)), "Earlier events could not be delivered.");
        }

        /// <summary>Runs the delivery until a run sends nothing more, as the minutely job would.</summary>
        public async Task DeliverAll()
        {
            while (await Deliver() > 0)
            {
            }
        }
    }

    private async Task<(Guid Registration, List<Guid> EventIds)> NewCompletedCourse()
    {
        var email = await app.NewLearner();
        var learnerId = await app.LearnerId(email);
        await app.Complete(learnerId, app.Catalog.FindLive("anhorigperspektiv-i-handlaggning")!, app.UtcNow);
        var events = await app.Query(db => db.LearningEvents.Where(e => e.LearnerId == learnerId).ToListAsync());
        return (events[0].EnrolmentId, [.. events.Select(e => e.Id)]);
    }

    private Task<List<LearningEvent>> Events(List<Guid> ids) =>
        app.Query(db => db.LearningEvents.AsNoTracking().Where(e => ids.Contains(e.Id)).ToListAsync());

    private Task<int> StoredCount(List<Guid> ids) =>
        app.Query(db => db.XapiStatements.CountAsync(s => ids.Contains(s.Id)));

    [Fact]
    public async Task Down_slow_and_failing_then_working_again_every_statement_arrives_exactly_once()
    {
        await app.DeliverEverything();
        var (newRegistration, newIds) = await NewCompletedCourse();
        Assert.True(newIds.Count > 4, "The course should give more than one batch of events.");

        app.Lrs.Behaviour = LrsBehaviour.Down;
        Assert.Equal(0, await app.Deliver());
        var afterDown = await Events(newIds);
        Assert.All(afterDown.Where(e => e.DeliveryAttempts > 0), e => Assert.StartsWith("The LRS could not be reached", e.LastDeliveryError));
        Assert.Equal(4, afterDown.Count(e => e.DeliveryAttempts == 1));

        app.Lrs.Behaviour = LrsBehaviour.Failing;
        app.PassTheBackOff();
        Assert.Equal(0, await app.Deliver());
        Assert.Contains(await Events(newIds), e => e.LastDeliveryError?.StartsWith("500 Internal Server Error: The LRS database is offline", StringComparison.Ordinal) == true);

        app.Lrs.Behaviour = LrsBehaviour.Slow;
        app.PassTheBackOff();
        var forwardedBefore = app.Lrs.Forwarded.Count;
        Assert.Equal(0, await app.Deliver());
        Assert.Contains(await Events(newIds), e => e.LastDeliveryError == "The LRS did not answer in time.");
        // The slow LRS still stores the batch after the client gave up: those statements arrive, unacknowledged.
        await WaitFor(() => app.Lrs.Forwarded.Count > forwardedBefore);
        var storedUnacknowledged = app.Lrs.Forwarded[forwardedBefore].Ids;
        Assert.Equal(storedUnacknowledged.Count, await StoredCount([.. storedUnacknowledged]));
        Assert.All(await Events([.. storedUnacknowledged]), e => Assert.Null(e.DeliveredAt));

        await app.DeliverEverything();

        var events = await Events(newIds);
        Assert.All(events, e => Assert.True(e.DeliveredAt is not null, $"{e.LastDeliveryError} {e.NextAttemptAt:O} now {app.Clock.GetUtcNow():O}"));
        Assert.Equal(newIds.Count, await StoredCount(newIds));
        // The statements the slow LRS stored were sent again and accepted as the same statements.
        Assert.Contains(app.Lrs.Forwarded.Skip(forwardedBefore + 1), f => f.Status == 200 && storedUnacknowledged.All(f.Ids.Contains));
        var query = await app.Client().QueryStatementsAsync(new StatementsQuery { Registration = newRegistration, Limit = 0 });
        Assert.Equal(newIds.Order(), query.Content!.Statements.Select(s => s.Id!.Value).Order());
    }

    [Fact]
    public async Task After_a_failure_an_event_waits_out_its_back_off_before_it_is_sent_again()
    {
        await app.DeliverEverything();
        var (_, ids) = await NewCompletedCourse();
        app.Lrs.Behaviour = LrsBehaviour.Failing;
        await app.Deliver();
        var failed = (await Events(ids)).Where(e => e.DeliveryAttempts == 1).Select(e => e.Id).ToList();
        var forwardedBefore = app.Lrs.Forwarded.Count;

        app.Lrs.Behaviour = LrsBehaviour.Working;
        await app.DeliverAll();
        var waiting = await Events(failed);
        var sentWhileWaiting = app.Lrs.Forwarded.Skip(forwardedBefore).SelectMany(f => f.Ids).ToList();
        app.Clock.Advance(StatementDelivery.PauseAfter(1));
        await app.DeliverAll();

        Assert.Equal(4, failed.Count);
        Assert.All(waiting, e => Assert.Null(e.DeliveredAt));
        Assert.All(waiting, e => Assert.Equal(e.LastAttemptAt + TimeSpan.FromMinutes(1), e.NextAttemptAt));
        Assert.All(await Events(ids), e => Assert.NotNull(e.DeliveredAt));
        Assert.DoesNotContain(sentWhileWaiting, failed.Contains);
    }

    [Fact]
    public async Task A_conflict_for_an_id_the_LRS_already_holds_counts_as_delivered()
    {
        await app.DeliverEverything();
        var (_, ids) = await NewCompletedCourse();
        // An earlier form of the statement, from before a profile change, is already in the LRS under the same id.
        var earlier = new Statement(Agent.WithAccount("https://www.exempelkommun.se/", "tidigare"), Verbs.Experienced, new Activity("https://nanolearning.se/xapi/gammal"))
        {
            Id = ids[0],
        };
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client().SaveStatementAsync(earlier)).StatusCode);

        await app.DeliverEverything();

        Assert.All(await Events(ids), e => Assert.True(e.DeliveredAt is not null, e.LastDeliveryError));
        Assert.Contains(app.Lrs.Forwarded, f => f.Method == "PUT" && f.Ids.SequenceEqual([ids[0]]) && f.Status == 409);
        Assert.Equal("tidigare", (await app.Client().RetrieveStatementAsync(ids[0])).Content!.Actor.Account!.Name);
    }

    [Fact]
    public async Task Admins_see_the_backlog_the_oldest_waiting_event_and_the_last_error()
    {
        await app.DeliverEverything();
        var (_, ids) = await NewCompletedCourse();
        app.Lrs.Behaviour = LrsBehaviour.Failing;
        await app.Deliver();
        var oldest = (await Events(ids)).Min(e => e.OccurredAt);

        var visitor = app.NewKestrelVisitor();
        await visitor.LogInAs("admin");
        var page = Visitor.Text(await visitor.Open("/admin/xapi"));

        Assert.Contains($"Väntar på leverans {ids.Count} händelser", page);
        Assert.Contains($"Äldsta som väntar {Format.Date(oldest)} kl. {Format.Time(oldest)}", page);
        Assert.Contains("500 Internal Server Error: The LRS database is offline.", page);
        Assert.Contains($"LRS:en på {app.Lrs.BaseUrl}/xapi/", page);
        Assert.DoesNotContain(XapiLrsFixture.LrsPassword, page);

        app.Lrs.Behaviour = LrsBehaviour.Working;
        app.PassTheBackOff();
        await app.DeliverAll();
        // Two hours on, the admin's session has ended (Sessions:IdleTimeout): they sign in again.
        visitor = app.NewKestrelVisitor();
        await visitor.LogInAs("admin");
        var after = Visitor.Text(await visitor.Open("/admin/xapi"));
        Assert.Contains("Väntar på leverans 0 händelser", after);
        Assert.Contains("Ingen – allt är levererat", after);
    }

    [Fact]
    public async Task While_the_LRS_is_down_one_pause_holds_back_all_of_it_and_the_admin_sees_until_when()
    {
        await app.DeliverEverything();
        var (_, ids) = await NewCompletedCourse();
        app.Lrs.Behaviour = LrsBehaviour.Down;
        Assert.Equal(0, await app.Deliver());
        var requests = app.Lrs.Requests;

        // The next run, within the pause, tries no fresh batch: the other events wait without an attempt of their own.
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, await app.Deliver());
        Assert.Equal(requests, app.Lrs.Requests);
        var events = await Events(ids);
        Assert.Equal(4, events.Count(e => e.DeliveryAttempts == 1));
        Assert.Equal(ids.Count - 4, events.Count(e => e.DeliveryAttempts == 0));
        var outage = await app.Query(db => db.DeliveryProblems.SingleAsync(p => p.Channel == DeliveryProblem.Lrs));
        Assert.True(outage.PausedUntil > app.UtcNow);

        var visitor = app.NewKestrelVisitor();
        await visitor.LogInAs("admin");
        var page = Visitor.Text(await visitor.Open("/admin/xapi"));
        Assert.Contains("LRS:en tar inte emot uttalanden", page);
        Assert.Contains($"Leveransen är pausad till {Format.Date(outage.PausedUntil!.Value)} kl. {Format.Time(outage.PausedUntil!.Value)}", page);
        Assert.Contains("The LRS could not be reached", page);

        app.Lrs.Behaviour = LrsBehaviour.Working;
        app.PassTheBackOff();
        await app.DeliverAll();
        Assert.All(await Events(ids), e => Assert.NotNull(e.DeliveredAt));
        Assert.False(await app.Query(db => db.DeliveryProblems.AnyAsync(p => p.Channel == DeliveryProblem.Lrs)));
    }

    [Fact]
    public async Task A_statement_the_LRS_refuses_is_given_up_after_a_bounded_number_of_attempts_and_shown_to_the_admin()
    {
        await app.DeliverEverything();
        var (_, ids) = await NewCompletedCourse();
        var bad = ids[1];
        app.Lrs.Refuses = bad;
        try
        {
            await app.DeliverAll();
            for (var attempt = 1; attempt < StatementDelivery.MaxRefusals; attempt++)
            {
                app.PassTheBackOff();
                await app.DeliverAll();
            }

            var refused = Assert.Single(await Events([bad]));
            Assert.NotNull(refused.GivenUpAt);
            Assert.Equal(StatementDelivery.MaxRefusals, refused.DeliveryAttempts);
            Assert.All((await Events(ids)).Where(e => e.Id != bad), e => Assert.NotNull(e.DeliveredAt));

            // Given up: not sent again, however long it waits.
            var requests = app.Lrs.Requests;
            app.PassTheBackOff();
            await app.DeliverAll();
            Assert.Equal(requests, app.Lrs.Requests);

            var visitor = app.NewKestrelVisitor();
            await visitor.LogInAs("admin");
            var page = await visitor.Open("/admin/xapi");
            Assert.Contains($"LRS:en har nekat 1 uttalanden (HTTP 400) {StatementDelivery.MaxRefusals} gånger var", Visitor.Text(page));
            var row = Assert.Single(page.QuerySelectorAll("tbody tr"), r => r.TextContent.Contains(bad.ToString(), StringComparison.Ordinal));
            Assert.Contains("context.extensions keys must be registered", row.TextContent);

            // The LRS's rule is fixed; the admin sends it again.
            app.Lrs.Refuses = null;
            await visitor.SubmitAndFollow(page, "form[action*='handler=ResendGivenUp']");
            await app.DeliverAll();
            Assert.NotNull(Assert.Single(await Events([bad])).DeliveredAt);
        }
        finally
        {
            app.Lrs.Refuses = null;
        }
    }

    [Fact]
    public async Task Someone_who_is_not_an_admin_cannot_open_the_delivery_page()
    {
        var visitor = app.NewKestrelVisitor();
        await visitor.LogInAs("chef");

        using var response = await visitor.Client.GetAsync("/admin/xapi");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/fel/403", response.Headers.Location!.AbsolutePath);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition(), "Timed out waiting.");
    }
}
