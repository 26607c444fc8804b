using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nanolearning.Web.Features.Xapi;
using Nanolearning.Web.Infrastructure;
using Nanolearning.Xapi;

namespace Nanolearning.Web.Tests;

/// <summary>The default configuration: no LRS set up, so the delivery job stores statements in the built-in LRS.</summary>
public sealed class XapiBuiltInDeliveryTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public void Delivery_is_a_recurring_job_every_minute()
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == BackgroundJobs.XapiDelivery);
        Assert.Equal(Cron.Minutely(), job.Cron);
        Assert.Equal(typeof(StatementDelivery), job.Job.Type);
    }

    [Fact]
    public async Task Without_an_LRS_configured_every_event_is_stored_in_the_built_in_LRS_as_its_profile_statement()
    {
        var email = await app.NewLearner();
        var learner = await app.Query(db => db.Learners.SingleAsync(l => l.Email == email));
        var course = app.Catalog.FindLive("anhorigperspektiv-i-handlaggning")!;
        await app.Complete(learner.Id, course, app.UtcNow);

        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<StatementDelivery>().DeliverAsync();
        }

        var events = await app.Query(db => db.LearningEvents.Where(e => e.LearnerId == learner.Id).ToListAsync());
        var enrolment = await app.Query(db => db.Enrolments.SingleAsync(e => e.LearnerId == learner.Id));
        var ids = events.Select(e => e.Id).ToList();
        var stored = await app.Query(db => db.XapiStatements.Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Json));
        var profile = app.Services.GetRequiredService<StatementProfile>();
        Assert.All(events, e => Assert.NotNull(e.DeliveredAt));
        Assert.Equal(events.Count, stored.Count);
        foreach (var e in events)
        {
            var statement = XapiJson.Deserialize<Statement>(stored[e.Id]);
            Assert.Equal(profile.ToStatement(e, learner.PseudonymKey, enrolment.StartedAt, course), statement with { Stored = null, Authority = null, Version = null });
            Assert.Equal("nanolearning", statement.Authority!.Account!.Name);
        }
    }

    [Fact]
    public async Task Without_a_password_set_the_built_in_LRS_refuses_every_client()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/xapi/statements");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("nanolearning:")));
        request.Headers.Add("X-Experience-API-Version", "1.0.3");

        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
