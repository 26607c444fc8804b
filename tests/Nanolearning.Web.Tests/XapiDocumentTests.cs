using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Xapi;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The built-in LRS's document resources (state, activity profile, agent profile) and the Activities and Agents
/// resources over real HTTP through Kestrel on 127.0.0.1, driven by <see cref="RemoteLrs"/> and by raw requests for
/// what the client would never send.
/// </summary>
public sealed class XapiDocumentTests(XapiLrsFixture lrs) : IClassFixture<XapiLrsFixture>
{
    private static readonly Agent Anna = Agent.WithAccount("https://www.exempelkommun.se/", "anna-pseudonym");
    private static readonly Agent Bertil = new() { Mbox = "mailto:bertil@exempelkommun.se" };

    private static string NewActivity() => "https://nanolearning.se/xapi/test/" + Guid.NewGuid();

    private static XapiDocument Json(string id, string json, string? etag = null) => new(id, Encoding.UTF8.GetBytes(json), "application/json", etag);

    private static string Text(XapiDocument document) => Encoding.UTF8.GetString(document.Content);

    private static string Query(Agent agent) => Uri.EscapeDataString(XapiJson.Serialize(agent));

    private static string StatePath(string activity, Agent agent, string? stateId = null, Guid? registration = null) =>
        $"activities/state?activityId={Uri.EscapeDataString(activity)}&agent={Query(agent)}"
        + (registration is null ? "" : "&registration=" + registration)
        + (stateId is null ? "" : "&stateId=" + stateId);

    private HttpRequestMessage Document(HttpMethod method, string relative, string? json = null, string? ifMatch = null, string? ifNoneMatch = null)
    {
        var request = lrs.Request(method, relative, json);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return request;
    }

    private async Task<(HttpStatusCode Status, string Body)> Send(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await lrs.Http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    private Task<int> Rows(string activity) => lrs.Query(db => db.XapiDocuments.CountAsync(d => d.ActivityId == activity));

    [Fact]
    public async Task A_state_comes_back_as_stored_with_its_content_type_a_SHA1_ETag_and_Last_Modified()
    {
        var activity = NewActivity();
        var bytes = new byte[] { 0, 1, 2, 250, 255 };
        var client = lrs.Client();

        var saved = await client.SaveStateAsync(activity, Anna, new XapiDocument("bokmarke", bytes, "application/octet-stream"));
        var fetched = await client.RetrieveStateAsync(activity, Anna with { Name = "Anna" }, "bokmarke");

        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        Assert.True(fetched.Success, fetched.Error);
        Assert.Equal(bytes, fetched.Content!.Content);
        Assert.Equal("application/octet-stream", fetched.Content.ContentType);
        Assert.Equal($"\"{Convert.ToHexStringLower(SHA1.HashData(bytes))}\"", fetched.Content.Etag);
        Assert.InRange(fetched.Content.Updated!.Value, lrs.Clock.GetUtcNow().AddMinutes(-1), lrs.Clock.GetUtcNow().AddMinutes(1));
    }

    [Fact]
    public async Task States_are_kept_apart_by_activity_agent_and_registration_and_listed_by_id()
    {
        var activity = NewActivity();
        var registration = Guid.NewGuid();
        var client = lrs.Client();
        await client.SaveStateAsync(activity, Anna, Json("utan-registrering", """{"sida":1}"""));
        await client.SaveStateAsync(activity, Anna, Json("med-registrering", """{"sida":2}"""), registration);
        await client.SaveStateAsync(activity, Bertil, Json("bertils", """{"sida":3}"""));
        await client.SaveStateAsync(NewActivity(), Anna, Json("annan-aktivitet", "{}"));

        Assert.Equal(["med-registrering", "utan-registrering"], (await client.RetrieveStateIdsAsync(activity, Anna)).Content!);
        Assert.Equal(["med-registrering"], (await client.RetrieveStateIdsAsync(activity, Anna, registration)).Content!);
        Assert.Equal(["bertils"], (await client.RetrieveStateIdsAsync(activity, Bertil)).Content!);
        Assert.Equal(HttpStatusCode.NotFound, (await client.RetrieveStateAsync(activity, Anna, "med-registrering")).StatusCode);
        Assert.Equal("""{"sida":2}""", Text((await client.RetrieveStateAsync(activity, Anna, "med-registrering", registration)).Content!));
        Assert.Equal(HttpStatusCode.NotFound, (await client.RetrieveStateAsync(activity, Anna, "med-registrering", Guid.NewGuid())).StatusCode);
    }

    [Fact]
    public async Task State_ids_since_a_time_are_those_changed_after_it()
    {
        var activity = NewActivity();
        var client = lrs.Client();
        await client.SaveStateAsync(activity, Anna, Json("forst", "{}"));
        lrs.Clock.Advance(TimeSpan.FromSeconds(1));
        var between = lrs.Clock.GetUtcNow();
        lrs.Clock.Advance(TimeSpan.FromSeconds(1));
        await client.SaveStateAsync(activity, Anna, Json("sedan", "{}"));

        Assert.Equal(["sedan"], (await client.RetrieveStateIdsAsync(activity, Anna, since: between)).Content!);
        Assert.Empty((await client.RetrieveStateIdsAsync(activity, Anna, since: lrs.Clock.GetUtcNow().AddMinutes(5))).Content!);
        Assert.Empty((await client.RetrieveStateIdsAsync(NewActivity(), Anna)).Content!);
    }

    [Fact]
    public async Task Deleting_one_state_leaves_the_others_and_clearing_takes_the_registrations_or_everything()
    {
        var activity = NewActivity();
        var registration = Guid.NewGuid();
        var client = lrs.Client();
        foreach (var id in new[] { "a", "b" })
        {
            await client.SaveStateAsync(activity, Anna, Json(id, "{}"));
            await client.SaveStateAsync(activity, Anna, Json(id, "{}"), registration);
        }

        await client.SaveStateAsync(activity, Bertil, Json("a", "{}"));

        var deleted = await client.DeleteStateAsync(activity, Anna, "a");
        var deletedMissing = await client.DeleteStateAsync(activity, Anna, "finns-inte");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deletedMissing.StatusCode);
        Assert.Equal(["a", "b"], (await client.RetrieveStateIdsAsync(activity, Anna)).Content!);

        Assert.Equal(HttpStatusCode.NoContent, (await client.ClearStateAsync(activity, Anna, registration)).StatusCode);
        Assert.Equal(["b"], (await client.RetrieveStateIdsAsync(activity, Anna)).Content!);

        await client.SaveStateAsync(activity, Anna, Json("c", "{}"), registration);
        Assert.Equal(HttpStatusCode.NoContent, (await client.ClearStateAsync(activity, Anna)).StatusCode);
        Assert.Empty((await client.RetrieveStateIdsAsync(activity, Anna)).Content!);
        Assert.Equal(["a"], (await client.RetrieveStateIdsAsync(activity, Bertil)).Content!);
    }

    [Fact]
    public async Task A_state_put_without_concurrency_headers_replaces_and_with_a_stale_ETag_is_refused()
    {
        var activity = NewActivity();
        var client = lrs.Client();
        await client.SaveStateAsync(activity, Anna, Json("bokmarke", """{"sida":1}"""));
        var first = (await client.RetrieveStateAsync(activity, Anna, "bokmarke")).Content!;

        var replaced = await client.SaveStateAsync(activity, Anna, Json("bokmarke", """{"sida":2}"""));
        var stale = await client.SaveStateAsync(activity, Anna, Json("bokmarke", """{"sida":3}""", first.Etag));
        var (createOnly, _) = await Send(Document(HttpMethod.Put, StatePath(activity, Anna, "bokmarke"), """{"sida":4}""", ifNoneMatch: "*"));
        var current = (await client.RetrieveStateAsync(activity, Anna, "bokmarke")).Content!;
        var matching = await client.SaveStateAsync(activity, Anna, Json("bokmarke", """{"sida":5}""", current.Etag));
        var staleDelete = await client.DeleteStateAsync(activity, Anna, "bokmarke", etag: first.Etag);

        Assert.Equal(HttpStatusCode.NoContent, replaced.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, createOnly);
        Assert.Equal("""{"sida":2}""", Text(current));
        Assert.Equal(HttpStatusCode.NoContent, matching.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleDelete.StatusCode);
        Assert.Equal("""{"sida":5}""", Text((await client.RetrieveStateAsync(activity, Anna, "bokmarke")).Content!));
    }

    [Fact]
    public async Task Posting_a_JSON_object_merges_its_top_level_properties_into_the_stored_one()
    {
        var activity = NewActivity();
        var path = StatePath(activity, Anna, "variabler");
        await lrs.Client().SaveStateAsync(activity, Anna, Json("variabler", """{"x":"foo","y":"bar","n":{"a":1}}"""));
        var before = (await lrs.Client().RetrieveStateAsync(activity, Anna, "variabler")).Content!;

        var (status, _) = await Send(Document(HttpMethod.Post, path, """{"x":"bash","z":"faz","n":{"b":2}}"""));
        var after = (await lrs.Client().RetrieveStateAsync(activity, Anna, "variabler")).Content!;

        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"x":"bash","y":"bar","n":{"b":2},"z":"faz"}"""), JsonNode.Parse(after.Content)));
        Assert.NotEqual(before.Etag, after.Etag);
    }

    [Fact]
    public async Task Posting_to_a_missing_document_stores_it()
    {
        var activity = NewActivity();

        var (status, _) = await Send(Document(HttpMethod.Post, StatePath(activity, Anna, "ny"), """{"x":1}"""));

        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal("""{"x":1}""", Text((await lrs.Client().RetrieveStateAsync(activity, Anna, "ny")).Content!));
    }

    [Fact]
    public async Task A_post_that_cannot_merge_is_refused_with_400_and_changes_nothing()
    {
        var activity = NewActivity();
        var client = lrs.Client();
        await client.SaveStateAsync(activity, Anna, Json("json", """{"x":1}"""));
        await client.SaveStateAsync(activity, Anna, new XapiDocument("text", Encoding.UTF8.GetBytes("hej"), "text/plain"));

        var textOntoJson = Document(HttpMethod.Post, StatePath(activity, Anna, "json"));
        textOntoJson.Content = new StringContent("x=2", Encoding.UTF8, "text/plain");
        var (textStatus, textBody) = await Send(textOntoJson);
        var (arrayStatus, _) = await Send(Document(HttpMethod.Post, StatePath(activity, Anna, "json"), "[1,2]"));
        var (jsonOntoTextStatus, jsonOntoTextBody) = await Send(Document(HttpMethod.Post, StatePath(activity, Anna, "text"), """{"x":2}"""));

        Assert.Equal(HttpStatusCode.BadRequest, textStatus);
        Assert.Contains("JSON object", textBody);
        Assert.Equal(HttpStatusCode.BadRequest, arrayStatus);
        Assert.Equal(HttpStatusCode.BadRequest, jsonOntoTextStatus);
        Assert.Contains("stored document is not a JSON object", jsonOntoTextBody);
        Assert.Equal("""{"x":1}""", Text((await client.RetrieveStateAsync(activity, Anna, "json")).Content!));
        Assert.Equal("hej", Text((await client.RetrieveStateAsync(activity, Anna, "text")).Content!));
    }

    [Fact]
    public async Task An_activity_profile_put_needs_If_Match_once_it_exists()
    {
        var activity = NewActivity();
        var path = $"activities/profile?activityId={Uri.EscapeDataString(activity)}&profileId=installningar";
        var client = lrs.Client();

        var created = await client.SaveActivityProfileAsync(activity, Json("installningar", """{"v":1}"""));
        var createdAgain = await client.SaveActivityProfileAsync(activity, Json("installningar", """{"v":2}"""));
        var (withoutHeaders, message) = await Send(Document(HttpMethod.Put, path, """{"v":3}"""));
        var current = (await client.RetrieveActivityProfileAsync(activity, "installningar")).Content!;
        var replaced = await client.SaveActivityProfileAsync(activity, Json("installningar", """{"v":4}""", current.Etag));
        var stale = await client.SaveActivityProfileAsync(activity, Json("installningar", """{"v":5}""", current.Etag));

        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, createdAgain.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, withoutHeaders);
        Assert.Contains("If-Match", message);
        Assert.Equal("""{"v":1}""", Text(current));
        Assert.Equal(HttpStatusCode.NoContent, replaced.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("""{"v":4}""", Text((await client.RetrieveActivityProfileAsync(activity, "installningar")).Content!));
    }

    /// <summary>{0} is the profile's ETag (unquoted), {1} the same in upper case, {2} another document's.</summary>
    [Theory]
    [InlineData("If-Match", "\"{0}\"", HttpStatusCode.NoContent)]
    [InlineData("If-Match", "W/\"{0}\"", HttpStatusCode.NoContent)]
    [InlineData("If-Match", "\"{1}\"", HttpStatusCode.NoContent)]
    [InlineData("If-Match", "{0}", HttpStatusCode.NoContent)]
    [InlineData("If-Match", "\"{2}\", \"{0}\"", HttpStatusCode.NoContent)]
    [InlineData("If-Match", "*", HttpStatusCode.NoContent)]
    [InlineData("If-Match", "\"{2}\"", HttpStatusCode.PreconditionFailed)]
    [InlineData("If-Match", "W/\"{2}\"", HttpStatusCode.PreconditionFailed)]
    [InlineData("If-Match", "{2}", HttpStatusCode.PreconditionFailed)]
    [InlineData("If-Match", "inte en etag", HttpStatusCode.PreconditionFailed)]
    [InlineData("If-None-Match", "*", HttpStatusCode.PreconditionFailed)]
    [InlineData("If-None-Match", "\"{0}\"", HttpStatusCode.PreconditionFailed)]
    [InlineData("If-None-Match", "W/\"{1}\"", HttpStatusCode.PreconditionFailed)]
    [InlineData("If-None-Match", "\"{2}\"", HttpStatusCode.NoContent)]
    public async Task A_profile_put_with_a_precondition_replaces_only_when_the_ETags_match_weakly_and_in_any_hex_case(string header, string form, HttpStatusCode expected)
    {
        var activity = NewActivity();
        var client = lrs.Client();
        await client.SaveActivityProfileAsync(activity, Json("installningar", """{"v":1}"""));
        var etag = (await client.RetrieveActivityProfileAsync(activity, "installningar")).Content!.Etag!.Trim('"');
        var value = string.Format(CultureInfo.InvariantCulture, form, etag, etag.ToUpperInvariant(), Convert.ToHexStringLower(SHA1.HashData("{}"u8)));
        var path = $"activities/profile?activityId={Uri.EscapeDataString(activity)}&profileId=installningar";

        var (status, _) = await Send(header == "If-Match"
            ? Document(HttpMethod.Put, path, """{"v":2}""", ifMatch: value)
            : Document(HttpMethod.Put, path, """{"v":2}""", ifNoneMatch: value));

        Assert.Equal(expected, status);
        Assert.Equal(expected == HttpStatusCode.NoContent ? """{"v":2}""" : """{"v":1}""",
            Text((await client.RetrieveActivityProfileAsync(activity, "installningar")).Content!));
    }

    [Fact]
    public async Task Activity_profiles_are_listed_since_a_time_and_deleted_with_their_ETag()
    {
        var activity = NewActivity();
        var client = lrs.Client();
        await client.SaveActivityProfileAsync(activity, Json("a", "{}"));
        lrs.Clock.Advance(TimeSpan.FromSeconds(1));
        var between = lrs.Clock.GetUtcNow();
        lrs.Clock.Advance(TimeSpan.FromSeconds(1));
        await client.SaveActivityProfileAsync(activity, Json("b", "{}"));
        var a = (await client.RetrieveActivityProfileAsync(activity, "a")).Content!;

        Assert.Equal(["a", "b"], (await client.RetrieveActivityProfileIdsAsync(activity)).Content!);
        Assert.Equal(["b"], (await client.RetrieveActivityProfileIdsAsync(activity, between)).Content!);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.DeleteActivityProfileAsync(activity, "a", "\"" + new string('1', 40) + "\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteActivityProfileAsync(activity, "a", a.Etag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.RetrieveActivityProfileAsync(activity, "a")).StatusCode);
        Assert.Equal(["b"], (await client.RetrieveActivityProfileIdsAsync(activity)).Content!);
    }

    [Fact]
    public async Task Agent_profiles_belong_to_the_agent_by_its_identifier_and_need_If_Match_to_replace()
    {
        var agent = Agent.WithAccount("https://www.exempelkommun.se/", "agent-" + Guid.NewGuid());
        var client = lrs.Client();

        var created = await client.SaveAgentProfileAsync(agent with { Name = "Cecilia" }, Json("preferenser", """{"sprak":"sv"}"""));
        var fetched = await client.RetrieveAgentProfileAsync(agent, "preferenser");
        var (withoutHeaders, _) = await Send(Document(HttpMethod.Put, $"agents/profile?agent={Query(agent)}&profileId=preferenser", "{}"));
        var replaced = await client.SaveAgentProfileAsync(agent, Json("preferenser", """{"sprak":"en"}""", fetched.Content!.Etag));
        var (merged, _) = await Send(Document(HttpMethod.Post, $"agents/profile?agent={Query(agent)}&profileId=preferenser", """{"tema":"mork"}"""));

        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
        Assert.Equal("""{"sprak":"sv"}""", Text(fetched.Content));
        Assert.Equal(HttpStatusCode.Conflict, withoutHeaders);
        Assert.Equal(HttpStatusCode.NoContent, replaced.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, merged);
        Assert.Equal("""{"sprak":"en","tema":"mork"}""", Text((await client.RetrieveAgentProfileAsync(agent, "preferenser")).Content!));
        Assert.Equal(["preferenser"], (await client.RetrieveAgentProfileIdsAsync(agent)).Content!);
        Assert.Empty((await client.RetrieveAgentProfileIdsAsync(agent with { Account = new AgentAccount("https://annan.example.se/", agent.Account!.Name) })).Content!);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAgentProfileAsync(agent, "preferenser")).StatusCode);
        Assert.Empty((await client.RetrieveAgentProfileIdsAsync(agent)).Content!);
    }

    [Theory]
    [InlineData("activities/state?activityId=https%3A%2F%2Fexempel.se%2Fa&agent=%7B%22name%22%3A%22Anna%22%7D&stateId=s", "exactly one inverse functional identifier")]
    [InlineData("activities/state?activityId=https%3A%2F%2Fexempel.se%2Fa&agent=%7B%22mbox%22%3A%22mailto%3Aa%40exempel.se%22%2C%22openid%22%3A%22https%3A%2F%2Fexempel.se%2Fanna%22%7D&stateId=s", "exactly one inverse functional identifier")]
    [InlineData("activities/state?activityId=https%3A%2F%2Fexempel.se%2Fa&agent=inte-json&stateId=s", "agent is not an xAPI agent")]
    [InlineData("activities/state?activityId=https%3A%2F%2Fexempel.se%2Fa&agent=%7B%22objectType%22%3A%22Group%22%2C%22mbox%22%3A%22mailto%3Ag%40exempel.se%22%7D&stateId=s", "not a Group")]
    [InlineData("activities/state?activityId=inte-en-iri&agent=%7B%22mbox%22%3A%22mailto%3Aa%40exempel.se%22%7D&stateId=s", "activityId must be an IRI")]
    [InlineData("activities/state?agent=%7B%22mbox%22%3A%22mailto%3Aa%40exempel.se%22%7D&stateId=s", "activityId is required")]
    [InlineData("activities/state?activityId=https%3A%2F%2Fexempel.se%2Fa&stateId=s", "agent is required")]
    [InlineData("activities/state?activityId=https%3A%2F%2Fexempel.se%2Fa&agent=%7B%22mbox%22%3A%22mailto%3Aa%40exempel.se%22%7D", "needs stateId")]
    [InlineData("activities/state?activityId=https%3A%2F%2Fexempel.se%2Fa&agent=%7B%22mbox%22%3A%22mailto%3Aa%40exempel.se%22%7D&stateId=s&registration=nej", "registration must be a UUID")]
    [InlineData("activities/state?activityId=https%3A%2F%2Fexempel.se%2Fa&agent=%7B%22mbox%22%3A%22mailto%3Aa%40exempel.se%22%7D&stateId=s&profileId=p", "'profileId' is not a parameter")]
    [InlineData("activities/state?activityId=https%3A%2F%2Fexempel.se%2Fa&agent=%7B%22mbox%22%3A%22mailto%3Aa%40exempel.se%22%7D&stateId=s&stateId=t", "more than once")]
    [InlineData("activities/profile?activityId=https%3A%2F%2Fexempel.se%2Fa&profileId=p&since=2026-11-23T15:04:05Z", "since only goes with a GET")]
    [InlineData("activities/profile?activityId=https%3A%2F%2Fexempel.se%2Fa&profileId=p&agent=%7B%22mbox%22%3A%22mailto%3Aa%40exempel.se%22%7D", "'agent' is not a parameter")]
    [InlineData("agents/profile?profileId=p", "agent is required")]
    public async Task A_document_write_with_bad_parameters_is_refused_with_400_and_says_why(string relative, string message)
    {
        var (status, body) = await Send(Document(HttpMethod.Put, relative, "{}", ifNoneMatch: "*"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, body);
    }

    [Theory]
    [InlineData("DELETE", "activities/profile?activityId=https%3A%2F%2Fexempel.se%2Fa", "DELETE needs profileId")]
    [InlineData("GET", "activities/state?activityId=https%3A%2F%2Fexempel.se%2Fa&agent=%7B%22mbox%22%3A%22mailto%3Aa%40exempel.se%22%7D&since=2026-11-23T15:04:05", "time zone")]
    [InlineData("GET", "activities?activityId=inte-en-iri", "activityId must be an IRI")]
    [InlineData("GET", "activities?activityId=https%3A%2F%2Fexempel.se%2Fa&format=exact", "'format' is not a parameter")]
    [InlineData("GET", "agents?agent=%7B%22name%22%3A%22Anna%22%7D", "exactly one inverse functional identifier")]
    public async Task A_read_or_delete_with_bad_parameters_is_refused_with_400_and_says_why(string method, string relative, string message)
    {
        var (status, body) = await Send(Document(new HttpMethod(method), relative));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, body);
    }

    [Theory]
    [InlineData("activities/state?activityId=https%3A%2F%2Fexempel.se%2Fa&agent=%7B%22mbox%22%3A%22mailto%3Aa%40exempel.se%22%7D")]
    [InlineData("activities/profile?activityId=https%3A%2F%2Fexempel.se%2Fa")]
    [InlineData("agents/profile?agent=%7B%22mbox%22%3A%22mailto%3Aa%40exempel.se%22%7D")]
    [InlineData("activities?activityId=https%3A%2F%2Fexempel.se%2Fa")]
    [InlineData("agents?agent=%7B%22mbox%22%3A%22mailto%3Aa%40exempel.se%22%7D")]
    public async Task Every_document_resource_needs_the_LRS_credentials_and_the_version_header(string relative)
    {
        var (withoutCredentials, _) = await Send(lrs.Request(HttpMethod.Get, relative, password: null));
        var (wrongPassword, _) = await Send(lrs.Request(HttpMethod.Get, relative, password: "fel lösenord"));
        var (withoutVersion, versionMessage) = await Send(lrs.Request(HttpMethod.Get, relative, version: false));
        var (allRight, _) = await Send(lrs.Request(HttpMethod.Get, relative));

        Assert.Equal(HttpStatusCode.Unauthorized, withoutCredentials);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword);
        Assert.Equal(HttpStatusCode.BadRequest, withoutVersion);
        Assert.Contains("X-Experience-API-Version", versionMessage);
        Assert.Equal(HttpStatusCode.OK, allRight);
    }

    [Fact]
    public async Task A_write_without_credentials_stores_nothing()
    {
        var activity = NewActivity();

        var (status, _) = await Send(lrs.Request(HttpMethod.Put, StatePath(activity, Anna, "s"), "{}", password: null));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(0, await Rows(activity));
    }

    [Fact]
    public async Task A_document_over_a_megabyte_is_refused_with_413()
    {
        var activity = NewActivity();
        var client = lrs.Client();

        var tooLarge = await client.SaveStateAsync(activity, Anna, new XapiDocument("stor", new byte[1024 * 1024 + 1]));
        var justRight = await client.SaveStateAsync(activity, Anna, new XapiDocument("lagom", new byte[1024 * 1024]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, justRight.StatusCode);
        Assert.Equal(["lagom"], (await client.RetrieveStateIdsAsync(activity, Anna)).Content!);
    }

    [Fact]
    public async Task Concurrent_puts_of_the_same_new_state_all_succeed_and_leave_one_document()
    {
        var activity = NewActivity();
        var contents = Enumerable.Range(0, 8).Select(i => $$"""{"skrivare":{{i}}}""").ToList();

        var results = await Task.WhenAll(contents.Select(json => lrs.Client().SaveStateAsync(activity, Anna, Json("delad", json))));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        Assert.Equal(1, await Rows(activity));
        Assert.Contains(Text((await lrs.Client().RetrieveStateAsync(activity, Anna, "delad")).Content!), contents);
    }

    [Fact]
    public async Task Of_concurrent_create_only_puts_of_a_profile_one_wins_and_the_others_get_412()
    {
        var activity = NewActivity();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => lrs.Client().SaveActivityProfileAsync(activity, Json("delad", $$"""{"skrivare":{{i}}}"""))));

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.NoContent);
        Assert.Equal(7, results.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed));
        Assert.Equal(1, await Rows(activity));
    }

    [Fact]
    public async Task Concurrent_merges_into_one_state_keep_every_property()
    {
        var activity = NewActivity();
        var path = StatePath(activity, Anna, "sammanslagen");
        await lrs.Client().SaveStateAsync(activity, Anna, Json("sammanslagen", "{}"));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i => (await Send(Document(HttpMethod.Post, path, $$"""{"p{{i}}":{{i}}}"""))).Status));
        var merged = JsonNode.Parse((await lrs.Client().RetrieveStateAsync(activity, Anna, "sammanslagen")).Content!.Content)!.AsObject();

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NoContent, s));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => "p" + i), merged.Select(p => p.Key).Order());
    }

    [Fact]
    public async Task The_activities_resource_gives_the_definition_from_the_newest_statement_that_has_one()
    {
        var activity = NewActivity();
        var older = new ActivityDefinition { Name = new LanguageMap("sv-SE", "Gammalt namn") };
        var newer = new ActivityDefinition { Name = new LanguageMap("sv-SE", "Stöd till anhöriga"), Type = "http://adlnet.gov/expapi/activities/course" };
        Statement About(ActivityDefinition? definition) => new(Anna, Verbs.Experienced, new Activity(activity, definition)) { Id = Guid.NewGuid() };
        foreach (var statement in new[] { About(older), About(newer), About(null) })
        {
            await lrs.Client().SaveStatementAsync(statement);
        }

        var known = await lrs.Client().RetrieveActivityAsync(activity);
        var unknownId = NewActivity();
        var unknown = await lrs.Client().RetrieveActivityAsync(unknownId);

        Assert.True(known.Success, known.Error);
        Assert.Equal(new Activity(activity, newer), known.Content);
        Assert.Equal(new Activity(unknownId), unknown.Content);
    }

    [Fact]
    public async Task The_agents_resource_answers_a_Person_with_the_agents_identifier()
    {
        var person = await lrs.Client().RetrievePersonAsync(Anna with { Name = "Anna" });
        var (_, body) = await Send(lrs.Request(HttpMethod.Get, "agents?agent=" + Query(Bertil)));

        Assert.True(person.Success, person.Error);
        Assert.Equal([Anna.Account!], person.Content!.Account!);
        Assert.Equal(["Anna"], person.Content.Name!);
        Assert.Null(person.Content.Mbox);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Person", json.GetProperty("objectType").GetString());
        Assert.Equal("mailto:bertil@exempelkommun.se", json.GetProperty("mbox")[0].GetString());
    }
}
