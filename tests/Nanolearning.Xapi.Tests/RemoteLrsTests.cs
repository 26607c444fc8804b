using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Nanolearning.Xapi.Tests;

/// <summary>RemoteLrs against a real HTTP server (<see cref="FakeLrs"/> on Kestrel), one server per test.</summary>
public sealed class RemoteLrsTests : IAsyncLifetime
{
    readonly HttpClient http = new();
    FakeLrs lrs = null!;
    RemoteLrs client = null!;

    public async Task InitializeAsync()
    {
        lrs = await FakeLrs.StartAsync();
        client = lrs.Client(http);
    }

    public async Task DisposeAsync()
    {
        await lrs.DisposeAsync();
        http.Dispose();
    }

    [Fact]
    public async Task A_statement_with_an_id_is_put_with_the_version_header_and_basic_credentials()
    {
        var statement = Examples.PassedCourse();

        var response = await client.SaveStatementAsync(statement);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(response.Success);
        Assert.Equal(statement, response.Content);
        var request = Assert.Single(lrs.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/xapi/statements", request.Path);
        Assert.Equal(statement.Id.ToString(), request.Query["statementId"]);
        Assert.Equal("1.0.3", request.Headers["X-Experience-API-Version"]);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("nanolearning:hemligt-lösen")), request.Headers["Authorization"]);
    }

    [Fact]
    public async Task The_client_sends_no_version_or_stored_and_timestamps_in_utc_with_milliseconds()
    {
        var statement = Examples.PassedCourse() with { Version = "1.0.0", Stored = new DateTimeOffset(2026, 11, 16, 9, 0, 0, TimeSpan.Zero) };

        await client.SaveStatementAsync(statement);

        var body = JsonNode.Parse(Assert.Single(lrs.Requests).Body)!.AsObject();
        Assert.False(body.ContainsKey("version"));
        Assert.False(body.ContainsKey("stored"));
        Assert.Equal("2026-11-23T15:04:05.123Z", (string?)body["timestamp"]);
        Assert.Equal("PT4M30.5S", (string?)body["result"]!["duration"]);
    }

    [Fact]
    public async Task A_statement_without_an_id_is_posted_and_gets_the_id_the_lrs_assigned()
    {
        var statement = Examples.PassedCourse() with { Id = null };

        var response = await client.SaveStatementAsync(statement);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = Assert.IsType<Guid>(response.Content!.Id);
        Assert.Equal("POST", Assert.Single(lrs.Requests).Method);
        var stored = await client.RetrieveStatementAsync(id);
        Assert.Equal(statement with { Id = id }, stored.Content! with { Stored = null, Version = null, Authority = null });
    }

    [Fact]
    public async Task A_batch_is_posted_once_and_every_statement_can_be_read_back()
    {
        var batch = Enumerable.Range(0, 3).Select(_ => Examples.PassedCourse()).Append(Examples.PassedCourse() with { Id = null }).ToList();

        var response = await client.SaveStatementsAsync(batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(batch.Take(3).Select(s => s.Id), response.Content!.Take(3).Select(s => s.Id));
        Assert.NotNull(response.Content![3].Id);
        Assert.Equal(4, JsonNode.Parse(Assert.Single(lrs.Requests).Body)!.AsArray().Count);
        foreach (var saved in response.Content)
        {
            var read = await client.RetrieveStatementAsync(saved.Id!.Value);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("1.0.3", read.Content!.Version);
            Assert.Equal(saved, read.Content with { Stored = null, Version = null, Authority = null });
        }
    }

    [Fact]
    public async Task Putting_an_id_the_lrs_already_has_exposes_409_conflict()
    {
        var statement = Examples.PassedCourse();
        await client.SaveStatementAsync(statement);

        var again = await client.SaveStatementAsync(statement with { Result = null });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.False(again.Success);
        Assert.Null(again.Content);
        Assert.Contains("already exists", again.Error);
    }

    [Fact]
    public async Task A_failing_lrs_exposes_500_and_its_message()
    {
        lrs.FailWith = HttpStatusCode.InternalServerError;

        var saved = await client.SaveStatementsAsync([Examples.PassedCourse()]);
        var about = await client.AboutAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, saved.StatusCode);
        Assert.Null(saved.Content);
        Assert.Equal("500 Internal Server Error: The LRS is having a bad day.", saved.Error);
        Assert.Equal(HttpStatusCode.InternalServerError, about.StatusCode);
    }

    [Fact]
    public async Task Wrong_credentials_expose_401()
    {
        var response = await lrs.Client(http, password: "fel").SaveStatementAsync(Examples.PassedCourse());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_statement_is_404()
    {
        var response = await client.RetrieveStatementAsync(Guid.NewGuid());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Content);
    }

    [Fact]
    public async Task A_query_sends_the_standard_parameters()
    {
        var registration = Guid.NewGuid();

        await client.QueryStatementsAsync(new StatementsQuery
        {
            Agent = Examples.Learner(),
            VerbId = Verbs.Passed.Id,
            ActivityId = Examples.CourseId,
            Registration = registration,
            RelatedActivities = true,
            RelatedAgents = true,
            Since = new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.FromHours(1)),
            Until = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero),
            Limit = 10,
            Format = StatementsQueryFormat.Ids,
            Ascending = true,
        });

        var query = Assert.Single(lrs.Requests).Query;
        Assert.Equal(Examples.Learner(), XapiJson.Deserialize<Agent>(query["agent"]));
        Assert.Equal(Verbs.Passed.Id, query["verb"]);
        Assert.Equal(Examples.CourseId, query["activity"]);
        Assert.Equal(registration.ToString(), query["registration"]);
        Assert.Equal("true", query["related_activities"]);
        Assert.Equal("true", query["related_agents"]);
        Assert.Equal("2026-11-01T00:00:00.000Z", query["since"]);
        Assert.Equal("2026-12-01T00:00:00.000Z", query["until"]);
        Assert.Equal("10", query["limit"]);
        Assert.Equal("ids", query["format"]);
        Assert.Equal("true", query["ascending"]);
    }

    [Fact]
    public async Task A_query_is_followed_page_by_page_through_more()
    {
        var registration = Guid.NewGuid();
        var saved = await client.SaveStatementsAsync([.. Enumerable.Range(0, 5).Select(_ => Examples.PassedCourse(registration: registration))]);
        await client.SaveStatementAsync(Examples.PassedCourse());

        var first = await client.QueryStatementsAsync(new StatementsQuery { Registration = registration, Limit = 2 });
        var second = await client.MoreStatementsAsync(first.Content!);
        var third = await client.MoreStatementsAsync(second.Content!);

        Assert.Equal([2, 2, 1], new[] { first, second, third }.Select(r => r.Content!.Statements.Count));
        Assert.True(first.Content!.HasMore);
        Assert.StartsWith("/more/", first.Content.More);
        Assert.False(third.Content!.HasMore);
        var ids = new[] { first, second, third }.SelectMany(r => r.Content!.Statements).Select(s => s.Id);
        Assert.Equal(saved.Content!.Select(s => s.Id).Order(), ids.Order());
        Assert.All(lrs.Requests.Skip(2), r => Assert.Equal("1.0.3", r.Headers["X-Experience-API-Version"]));
    }

    [Fact]
    public async Task A_voided_statement_is_only_found_as_voided()
    {
        var statement = Examples.PassedCourse();
        await client.SaveStatementAsync(statement);
        var admin = Agent.WithAccount(Examples.Kommun, "admin");
        var now = new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.FromHours(1));

        var voiding = await lrs.Client(http, time: new FakeTimeProvider(now)).VoidStatementAsync(statement.Id!.Value, admin);

        Assert.Equal(HttpStatusCode.NoContent, voiding.StatusCode);
        Assert.Equal(Verbs.Voided, voiding.Content!.Verb);
        Assert.Equal(new StatementRef(statement.Id.Value), voiding.Content.Target);
        Assert.Equal("2026-11-24T08:30:00.000Z", (string?)JsonNode.Parse(lrs.Requests[^1].Body)!["timestamp"]);
        Assert.Equal(HttpStatusCode.NotFound, (await client.RetrieveStatementAsync(statement.Id.Value)).StatusCode);
        var voided = await client.RetrieveVoidedStatementAsync(statement.Id.Value);
        Assert.Equal(HttpStatusCode.OK, voided.StatusCode);
        Assert.Equal(statement.Id, voided.Content!.Id);
    }

    [Fact]
    public async Task About_lists_the_versions_the_lrs_speaks()
    {
        var about = await client.AboutAsync();

        Assert.Equal(HttpStatusCode.OK, about.StatusCode);
        Assert.Contains("1.0.3", about.Content!.Version);
        Assert.Equal("/xapi/about", Assert.Single(lrs.Requests).Path);
    }

    [Fact]
    public async Task An_answer_that_is_not_xapi_json_is_a_failure_with_its_status()
    {
        lrs.AboutBody = "<html>Inloggning</html>";

        var about = await client.AboutAsync();

        Assert.Equal(HttpStatusCode.OK, about.StatusCode);
        Assert.False(about.Success);
        Assert.Null(about.Content);
        Assert.StartsWith("The LRS's answer is not valid xAPI JSON", about.Error);
    }

    [Fact]
    public async Task An_endpoint_without_a_final_slash_still_reaches_the_statements_resource()
    {
        var withoutSlash = new RemoteLrs(http, new Uri(lrs.Endpoint.AbsoluteUri.TrimEnd('/')), FakeLrs.Username, FakeLrs.Password);

        var response = await withoutSlash.SaveStatementAsync(Examples.PassedCourse());

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("/xapi/statements", Assert.Single(lrs.Requests).Path);
    }
}
