using System.Net;
using System.Text.Json;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Xapi;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The built-in LRS over real HTTP through Kestrel on 127.0.0.1, driven by the library's <see cref="RemoteLrs"/> and
/// by raw requests where the client would never send what is tested.
/// </summary>
public sealed class XapiLrsTests(XapiLrsFixture lrs) : IClassFixture<XapiLrsFixture>
{
    private static readonly Agent Anna = Agent.WithAccount("https://www.exempelkommun.se/", "anna-pseudonym");

    private static Statement NewStatement(Verb? verb = null, string? activity = null, Guid? registration = null, Agent? actor = null) =>
        new(actor ?? Anna, verb ?? Verbs.Experienced, new Activity(activity ?? "https://nanolearning.se/xapi/test/" + Guid.NewGuid()))
        {
            Id = Guid.NewGuid(),
            Timestamp = new DateTimeOffset(2026, 11, 23, 15, 4, 5, 123, TimeSpan.Zero),
            Context = registration is null ? null : new Context { Registration = registration },
        };

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> Send(HttpRequestMessage request)
    {
        using (request)
        {
            var response = await lrs.Http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
        }
    }

    [Fact]
    public async Task A_statement_put_with_its_id_comes_back_with_stored_authority_and_version_set_by_the_LRS()
    {
        var statement = NewStatement();

        var saved = await lrs.Client().SaveStatementAsync(statement);
        var fetched = await lrs.Client().RetrieveStatementAsync(statement.Id!.Value);

        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        Assert.True(fetched.Success, fetched.Error);
        Assert.Equal(statement, fetched.Content! with { Stored = null, Authority = null, Version = null });
        Assert.Equal("1.0.3", fetched.Content!.Version);
        Assert.NotNull(fetched.Content.Stored);
        Assert.Equal(new AgentAccount("https://www.exempelkommun.se/", XapiLrsFixture.Username), fetched.Content.Authority!.Account);
    }

    [Fact]
    public async Task The_same_statement_put_again_is_accepted_and_a_different_one_with_that_id_is_a_conflict()
    {
        var statement = NewStatement();
        var client = lrs.Client();
        await client.SaveStatementAsync(statement);

        var again = await client.SaveStatementAsync(statement);
        var changed = await client.SaveStatementAsync(statement with { Verb = Verbs.Completed });
        var stored = await client.RetrieveStatementAsync(statement.Id!.Value);

        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        Assert.Equal(Verbs.Experienced, stored.Content!.Verb);
    }

    [Fact]
    public async Task A_statement_sent_without_a_timestamp_is_the_same_statement_when_sent_again()
    {
        var statement = NewStatement() with { Timestamp = null };
        var client = lrs.Client();

        Assert.Equal(HttpStatusCode.NoContent, (await client.SaveStatementAsync(statement)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SaveStatementAsync(statement)).StatusCode);
        var stored = await client.RetrieveStatementAsync(statement.Id!.Value);
        Assert.Equal(stored.Content!.Stored, stored.Content.Timestamp);
    }

    [Fact]
    public async Task A_posted_batch_returns_the_ids_in_order_including_those_the_LRS_made()
    {
        var batch = new[] { NewStatement(), NewStatement() with { Id = null }, NewStatement() };

        var saved = await lrs.Client().SaveStatementsAsync(batch);

        Assert.True(saved.Success, saved.Error);
        Assert.Equal(batch[0].Id, saved.Content![0].Id);
        Assert.NotNull(saved.Content[1].Id);
        Assert.Equal(batch[2].Id, saved.Content[2].Id);
        Assert.True((await lrs.Client().RetrieveStatementAsync(saved.Content[1].Id!.Value)).Success);
    }

    [Fact]
    public async Task A_single_statement_posted_without_an_array_gets_an_array_of_its_id()
    {
        var statement = NewStatement();

        var (status, body, _) = await Send(lrs.Request(HttpMethod.Post, "statements", XapiJson.Serialize(statement)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([statement.Id!.Value], JsonSerializer.Deserialize<Guid[]>(body)!);
    }

    [Fact]
    public async Task Statements_in_multipart_mixed_are_read_from_the_first_part_and_multipart_form_data_is_refused()
    {
        var mixed = lrs.Request(HttpMethod.Post, "statements");
        mixed.Content = new MultipartContent("mixed") { new StringContent(XapiJson.Serialize(NewStatement()), System.Text.Encoding.UTF8, "application/json") };
        var form = lrs.Request(HttpMethod.Post, "statements");
        form.Content = new MultipartContent("form-data") { new StringContent(XapiJson.Serialize(NewStatement()), System.Text.Encoding.UTF8, "application/json") };

        var (mixedStatus, mixedBody, _) = await Send(mixed);
        var (formStatus, formBody, _) = await Send(form);

        Assert.True(mixedStatus == HttpStatusCode.OK, mixedBody);
        Assert.Equal(HttpStatusCode.BadRequest, formStatus);
        Assert.Contains("multipart/mixed", formBody);
    }

    [Theory]
    [InlineData("application/json", HttpStatusCode.OK)]
    [InlineData("Application/JSON; charset=utf-8", HttpStatusCode.OK)]
    [InlineData("text/plain", HttpStatusCode.BadRequest)]
    [InlineData("application/jsonx", HttpStatusCode.BadRequest)]
    [InlineData("application/json-patch+json", HttpStatusCode.BadRequest)]
    public async Task Statements_are_read_only_when_sent_as_application_json(string contentType, HttpStatusCode expected)
    {
        var request = lrs.Request(HttpMethod.Post, "statements");
        request.Content = new StringContent(XapiJson.Serialize(NewStatement()));
        request.Content.Headers.Remove("Content-Type");
        Assert.True(request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType));

        var (status, body, _) = await Send(request);

        Assert.Equal(expected, status);
        if (expected == HttpStatusCode.BadRequest)
        {
            Assert.Equal("Send statements as application/json (or multipart/mixed with attachments).", body);
        }
    }

    [Fact]
    public async Task A_batch_with_an_id_twice_is_refused_whole()
    {
        var first = NewStatement();
        var other = NewStatement();

        var saved = await lrs.Client().SaveStatementsAsync([other, first, first with { Verb = Verbs.Completed }]);

        Assert.Equal(HttpStatusCode.BadRequest, saved.StatusCode);
        Assert.Contains("more than one statement", saved.Error);
        Assert.Equal(HttpStatusCode.NotFound, (await lrs.Client().RetrieveStatementAsync(other.Id!.Value)).StatusCode);
    }

    [Fact]
    public async Task A_batch_with_one_conflicting_statement_is_a_conflict_and_stores_none_of_the_others()
    {
        var existing = NewStatement();
        await lrs.Client().SaveStatementAsync(existing);
        var fresh = NewStatement();

        var saved = await lrs.Client().SaveStatementsAsync([fresh, existing with { Verb = Verbs.Passed }]);

        Assert.Equal(HttpStatusCode.Conflict, saved.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lrs.Client().RetrieveStatementAsync(fresh.Id!.Value)).StatusCode);
    }

    [Theory]
    [InlineData("""{"actor":{"mbox":"mailto:a@exempel.se"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced","dispaly":{"sv-SE":"upplevde"}},"object":{"id":"https://exempel.se/a"}}""", "dispaly")]
    [InlineData("""{"actor":{"mbox":"mailto:a@exempel.se","openid":"https://exempel.se/anna"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"https://exempel.se/a"}}""", "exactly one inverse functional identifier")]
    [InlineData("""{"actor":{"mbox":"mailto:a@exempel.se"},"verb":{"id":"experienced"},"object":{"id":"https://exempel.se/a"}}""", "verb.id")]
    [InlineData("""{"actor":{"mbox":"mailto:a@exempel.se"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"https://exempel.se/a"},"result":{"score":{"scaled":1.5}}}""", "scaled")]
    [InlineData("""{"actor":{"mbox":"mailto:a@exempel.se"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"https://exempel.se/a"},"timestamp":"2026-11-23T15:04:05"}""", "time zone")]
    [InlineData("""not json""", "not valid xAPI JSON")]
    [InlineData("""{"actor":{"mbox":"mailto:a@exempel.se"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"https://exempel.se/a"}} {}""", "invalid after a single JSON value")]
    [InlineData("""[null]""", "null in place of a statement")]
    [InlineData("""[]""", "empty")]
    public async Task An_invalid_statement_is_refused_with_400_and_a_message_naming_the_problem(string json, string message)
    {
        var (status, body, _) = await Send(lrs.Request(HttpMethod.Post, "statements", json));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, body);
    }

    [Fact]
    public async Task A_body_that_is_not_UTF_8_is_refused_with_400()
    {
        var json = System.Text.Encoding.UTF8.GetBytes(XapiJson.Serialize(NewStatement(activity: "https://exempel.se/PLACE")));
        var at = json.AsSpan().IndexOf("PLACE"u8);
        json[at] = 0xFF;
        var request = lrs.Request(HttpMethod.Post, "statements");
        request.Content = new ByteArrayContent(json) { Headers = { ContentType = new("application/json") } };

        var (status, body, _) = await Send(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not valid xAPI JSON", body);
    }

    [Fact]
    public async Task A_batch_of_500_long_statements_arriving_in_many_pieces_is_stored_whole()
    {
        var registration = Guid.NewGuid();
        var description = new LanguageMap("sv-SE", string.Concat(Enumerable.Repeat("En lång beskrivning av aktiviteten. ", 50)));
        var batch = Enumerable.Range(0, 500)
            .Select(i => NewStatement(registration: registration) with
            {
                Target = new Activity($"https://nanolearning.se/xapi/test/{i}") { Definition = new ActivityDefinition { Description = description } },
            })
            .ToList();

        var saved = await lrs.Client().SaveStatementsAsync(batch);

        Assert.True(saved.Success, saved.Error);
        var stored = await lrs.Client().QueryStatementsAsync(new StatementsQuery { Registration = registration, Limit = 500, Ascending = true });
        // Stored in the batch's order, so oldest first is the batch itself.
        Assert.Equal(batch.Select(s => s.Id), stored.Content!.Statements.Select(s => s.Id));
        Assert.Equal(description, ((Activity)stored.Content.Statements[^1].Target).Definition!.Description);
    }

    [Fact]
    public async Task A_put_whose_body_names_another_id_is_refused()
    {
        var statement = NewStatement();

        var (status, body, _) = await Send(lrs.Request(HttpMethod.Put, "statements?statementId=" + Guid.NewGuid(), XapiJson.Serialize(statement)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("differs from statementId", body);
    }

    [Fact]
    public async Task Without_the_version_header_a_request_is_refused_and_the_answer_names_the_version()
    {
        var (status, body, response) = await Send(lrs.Request(HttpMethod.Get, "statements", version: false));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("X-Experience-API-Version", body);
        Assert.Equal("1.0.3", response.Headers.GetValues("X-Experience-API-Version").Single());
    }

    [Fact]
    public async Task An_unknown_version_is_refused()
    {
        var request = lrs.Request(HttpMethod.Get, "statements", version: false);
        request.Headers.Add("X-Experience-API-Version", "0.95");

        var (status, _, _) = await Send(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("fel lösenord")]
    public async Task Without_the_LRS_credentials_every_statement_request_is_refused_with_401(string? password)
    {
        var statement = NewStatement();

        var (getStatus, _, getResponse) = await Send(lrs.Request(HttpMethod.Get, "statements", password: password));
        var (putStatus, _, _) = await Send(lrs.Request(HttpMethod.Put, "statements?statementId=" + statement.Id, XapiJson.Serialize(statement), password: password));

        Assert.Equal(HttpStatusCode.Unauthorized, getStatus);
        Assert.Equal(HttpStatusCode.Unauthorized, putStatus);
        Assert.Equal("Basic", getResponse.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.NotFound, (await lrs.Client().RetrieveStatementAsync(statement.Id!.Value)).StatusCode);
    }

    [Fact]
    public async Task A_users_login_is_not_an_LRS_credential()
    {
        var admin = DemoSeeder.Personas.First(p => p.Email.StartsWith("anna.ek", StringComparison.Ordinal)).Email;

        var (status, _, _) = await Send(lrs.Request(HttpMethod.Get, "statements", password: DemoSeeder.Password, username: admin));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task A_learners_login_cookie_alone_does_not_open_the_statements()
    {
        var visitor = lrs.NewKestrelVisitor();
        await visitor.LogIn(await lrs.NewLearner());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/xapi/statements");
        request.Headers.Add("X-Experience-API-Version", "1.0.3");

        using var response = await visitor.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
        // The cookie still works where it belongs.
        await visitor.Open("/");
    }

    [Fact]
    public async Task The_LRS_credentials_sign_nobody_into_the_pages()
    {
        var visitor = lrs.NewKestrelVisitor();
        using var request = lrs.Request(HttpMethod.Get, "/");

        using var response = await visitor.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/logga-in", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task A_wrong_password_is_answered_with_the_Basic_challenge_and_a_plain_message()
    {
        var (status, body, response) = await Send(lrs.Request(HttpMethod.Get, "statements", password: "fel lösenord"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Basic realm=\"Nanolearning xAPI\", charset=\"UTF-8\"", response.Headers.GetValues("WWW-Authenticate").Single());
        Assert.Equal("1.0.3", response.Headers.GetValues("X-Experience-API-Version").Single());
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Credentials for this LRS are required (HTTP Basic).", body);
    }

    [Theory]
    [InlineData("Bearer bGVycy1rbGllbnQ=")]
    [InlineData("Basic")]
    [InlineData("Basic inte base64!")]
    [InlineData("Basic bHJzLWtsaWVudA==")] // "lrs-klient", no colon
    [InlineData("Basic bHJzLWtsaWVudDo=")] // "lrs-klient:", no password
    [InlineData("Basic 4pyTIMOgIGxhIG1vZGU=")] // UTF-8 without a colon
    [InlineData("bHJzLWtsaWVudA==")] // no scheme
    [InlineData("Basic a, Basic b")]
    public async Task A_malformed_Authorization_header_is_answered_with_401_and_the_challenge(string authorization)
    {
        var request = lrs.Request(HttpMethod.Get, "statements", password: null);
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", authorization));

        var (status, body, response) = await Send(request);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Credentials for this LRS are required", body);
    }

    [Fact]
    public async Task Credentials_are_checked_before_the_version_header()
    {
        var (withoutBoth, _, _) = await Send(lrs.Request(HttpMethod.Get, "statements", version: false, password: null));
        var (withoutVersion, body, _) = await Send(lrs.Request(HttpMethod.Get, "statements", version: false));

        Assert.Equal(HttpStatusCode.Unauthorized, withoutBoth);
        Assert.Equal(HttpStatusCode.BadRequest, withoutVersion);
        Assert.Contains("X-Experience-API-Version", body);
    }

    [Fact]
    public async Task About_names_the_version_without_credentials()
    {
        var (status, body, response) = await Send(lrs.Request(HttpMethod.Get, "about", version: false, password: null));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("1.0.3", XapiJson.Deserialize<About>(body).Version);
        Assert.Equal("1.0.3", response.Headers.GetValues("X-Experience-API-Version").Single());
        Assert.Contains("1.0.3", (await lrs.Client().AboutAsync()).Content!.Version);
    }

    [Fact]
    public async Task A_voided_statement_is_found_only_by_voidedStatementId_and_leaves_query_results()
    {
        var registration = Guid.NewGuid();
        var statement = NewStatement(registration: registration);
        var client = lrs.Client();
        await client.SaveStatementAsync(statement);

        var voiding = await client.VoidStatementAsync(statement.Id!.Value, Anna);

        Assert.Equal(HttpStatusCode.NoContent, voiding.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.RetrieveStatementAsync(statement.Id.Value)).StatusCode);
        var voided = await client.RetrieveVoidedStatementAsync(statement.Id.Value);
        Assert.Equal(statement.Id, voided.Content!.Id);
        // The voided statement leaves the results; the voiding statement targets a match, so it is one (Communication 2.1.3).
        var results = (await client.QueryStatementsAsync(new StatementsQuery { Registration = registration })).Content!.Statements;
        Assert.Equal(voiding.Content!.Id, Assert.Single(results).Id);
        Assert.Equal(HttpStatusCode.NotFound, (await client.RetrieveVoidedStatementAsync(voiding.Content!.Id!.Value)).StatusCode);
        Assert.True((await client.RetrieveStatementAsync(voiding.Content.Id!.Value)).Success);
    }

    [Fact]
    public async Task A_statement_that_arrives_after_its_voiding_statement_is_stored_voided()
    {
        var statement = NewStatement();
        var client = lrs.Client();
        await client.VoidStatementAsync(statement.Id!.Value, Anna);

        await client.SaveStatementAsync(statement);

        Assert.Equal(HttpStatusCode.NotFound, (await client.RetrieveStatementAsync(statement.Id.Value)).StatusCode);
        Assert.True((await client.RetrieveVoidedStatementAsync(statement.Id.Value)).Success);
    }

    [Fact]
    public async Task Voiding_a_voiding_statement_is_refused()
    {
        var statement = NewStatement();
        var client = lrs.Client();
        await client.SaveStatementAsync(statement);
        var voiding = await client.VoidStatementAsync(statement.Id!.Value, Anna);

        var again = await client.VoidStatementAsync(voiding.Content!.Id!.Value, Anna);

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("cannot be voided", again.Error);
        Assert.True((await client.RetrieveStatementAsync(voiding.Content.Id!.Value)).Success);
    }

    [Fact]
    public async Task A_query_pages_with_more_links_newest_first_and_ascending_on_request()
    {
        var registration = Guid.NewGuid();
        var statements = Enumerable.Range(0, 7).Select(_ => NewStatement(registration: registration)).ToList();
        foreach (var statement in statements)
        {
            // One at a time, so the stored order is the list's order.
            await lrs.Client().SaveStatementAsync(statement);
        }

        var client = lrs.Client();
        List<Guid?> newestFirst = [];
        var page = await client.QueryStatementsAsync(new StatementsQuery { Registration = registration, Limit = 3 });
        var pages = 1;
        newestFirst.AddRange(page.Content!.Statements.Select(s => s.Id));
        while (page.Content!.HasMore)
        {
            Assert.StartsWith("/xapi/statements?more=", page.Content.More);
            page = await client.MoreStatementsAsync(page.Content);
            newestFirst.AddRange(page.Content!.Statements.Select(s => s.Id));
            pages++;
        }

        var ascending = await client.QueryStatementsAsync(new StatementsQuery { Registration = registration, Ascending = true, Limit = 5 });
        var rest = await client.MoreStatementsAsync(ascending.Content!);

        Assert.Equal(3, pages);
        Assert.Equal(statements.Select(s => s.Id).Reverse(), newestFirst);
        Assert.Equal(statements.Select(s => s.Id), ascending.Content!.Statements.Concat(rest.Content!.Statements).Select(s => s.Id));
        Assert.False(rest.Content.HasMore);
    }

    [Fact]
    public async Task Queries_filter_by_agent_verb_activity_registration_and_related_activities()
    {
        var registration = Guid.NewGuid();
        var course = "https://nanolearning.se/xapi/test/kurs-" + registration;
        var bertil = Agent.WithAccount("https://www.exempelkommun.se/", "bertil-" + registration);
        var lesson = NewStatement(Verbs.Experienced, registration: registration, actor: bertil) with
        {
            Context = new Context { Registration = registration, ContextActivities = new ContextActivities { Parent = [new Activity(course)] } },
        };
        var completed = NewStatement(Verbs.Completed, course, registration, bertil);
        var someoneElse = NewStatement(Verbs.Completed, course, registration);
        await lrs.Client().SaveStatementsAsync([lesson, completed, someoneElse]);

        async Task<IEnumerable<Guid?>> Ids(StatementsQuery query) =>
            (await lrs.Client().QueryStatementsAsync(query with { Registration = registration })).Content!.Statements.Select(s => s.Id).Order();

        Assert.Equal(new[] { lesson.Id, completed.Id }.Order(), await Ids(new StatementsQuery { Agent = bertil with { Name = "Bertil" } }));
        Assert.Equal(new[] { completed.Id, someoneElse.Id }.Order(), await Ids(new StatementsQuery { VerbId = Verbs.Completed.Id }));
        Assert.Equal(new[] { completed.Id, someoneElse.Id }.Order(), await Ids(new StatementsQuery { ActivityId = course }));
        Assert.Equal(new[] { lesson.Id, completed.Id, someoneElse.Id }.Order(), await Ids(new StatementsQuery { ActivityId = course, RelatedActivities = true }));
        Assert.Equal([completed.Id], await Ids(new StatementsQuery { Agent = bertil, VerbId = Verbs.Completed.Id }));
        Assert.Empty(await Ids(new StatementsQuery { Agent = Agent.WithAccount("https://www.exempelkommun.se/", "ingen") }));
    }

    [Fact]
    public async Task Related_agents_finds_the_authority_and_since_and_until_compare_with_stored()
    {
        var registration = Guid.NewGuid();
        var statement = NewStatement(registration: registration);
        var before = lrs.Clock.GetUtcNow().AddSeconds(-5);
        await lrs.Client().SaveStatementAsync(statement);
        var authority = Agent.WithAccount("https://www.exempelkommun.se/", XapiLrsFixture.Username);

        async Task<int> Count(StatementsQuery query) =>
            (await lrs.Client().QueryStatementsAsync(query with { Registration = registration })).Content!.Statements.Count;

        Assert.Equal(0, await Count(new StatementsQuery { Agent = authority }));
        Assert.Equal(1, await Count(new StatementsQuery { Agent = authority, RelatedAgents = true }));
        Assert.Equal(1, await Count(new StatementsQuery { Since = before }));
        Assert.Equal(0, await Count(new StatementsQuery { Until = before }));
        Assert.Equal(0, await Count(new StatementsQuery { Since = lrs.Clock.GetUtcNow().AddMinutes(5) }));
    }

    [Fact]
    public async Task A_query_answers_with_the_consistent_through_header()
    {
        var (status, body, response) = await Send(lrs.Request(HttpMethod.Get, "statements?limit=1"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(XapiTimestamp.TryParse(response.Headers.GetValues("X-Experience-API-Consistent-Through").Single(), out _));
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(body).RootElement.GetProperty("statements").ValueKind);
    }

    [Theory]
    [InlineData("statements?verbs=http://adlnet.gov/expapi/verbs/passed", "'verbs' is not a parameter")]
    [InlineData("statements?statementId=9b0e2f5c-6f4e-4c43-9d68-5f3a1c3b1a01&verb=http://adlnet.gov/expapi/verbs/passed", "goes alone")]
    [InlineData("statements?agent=%7B%22name%22%3A%22Anna%22%7D", "inverse functional identifier")]
    [InlineData("statements?since=2026-11-23T15:04:05", "time zone")]
    [InlineData("statements?limit=-1", "limit")]
    [InlineData("statements?more=inte-en-token", "more link")]
    public async Task A_query_with_bad_parameters_is_refused_with_400_and_says_why(string relative, string message)
    {
        var (status, body, _) = await Send(lrs.Request(HttpMethod.Get, relative));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, body);
    }
}
