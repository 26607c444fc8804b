using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Nanolearning.Xapi;

/// <summary>
/// An answer from an LRS. The HTTP status is always there (TinCan.NET hid it), so a caller can treat 409 Conflict
/// for a statement id it sent before as delivered.
/// </summary>
public record LrsResponse(HttpStatusCode StatusCode, string? Error = null)
{
    /// <summary>A 2xx status and an answer that could be read.</summary>
    public bool Success => (int)StatusCode is >= 200 and < 300 && Error is null;
}

/// <summary>An answer from an LRS with its content (null unless <see cref="LrsResponse.Success"/>).</summary>
public sealed record LrsResponse<T>(HttpStatusCode StatusCode, T? Content, string? Error = null) : LrsResponse(StatusCode, Error);

/// <summary>
/// A client for an LRS over xAPI 1.0.3 with Basic credentials: the Statements and About resources, the document
/// resources (state, activity profile, agent profile) and the Activities and Agents resources. Thread-safe; pass
/// the <see cref="HttpClient"/> from <c>IHttpClientFactory</c> or a long-lived one. Network failures and timeouts
/// throw as <see cref="HttpRequestException"/> / <see cref="TaskCanceledException"/>: there is no status to show.
/// </summary>
public sealed class RemoteLrs
{
    public const string XapiVersion = "1.0.3";
    const string VersionHeader = "X-Experience-API-Version";

    readonly HttpClient http;
    readonly Uri endpoint;
    readonly AuthenticationHeaderValue authorization;
    readonly TimeProvider time;

    /// <summary>
    /// A client for the LRS at <paramref name="endpoint"/>, its xAPI base such as <c>https://lrs.example.se/xapi/</c>
    /// (a missing final slash is added). <paramref name="time"/> stamps voiding statements (the system clock if null).
    /// </summary>
    public RemoteLrs(HttpClient http, Uri endpoint, string username, string password, TimeProvider? time = null)
    {
        this.http = http;
        this.time = time ?? TimeProvider.System;
        this.endpoint = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
    }

    /// <summary>
    /// Stores one statement: PUT with its id (204 expected), or POST when it has none; the returned statement has
    /// the id either way.
    /// </summary>
    public async Task<LrsResponse<Statement>> SaveStatementAsync(Statement statement, CancellationToken cancellationToken = default)
    {
        if (statement.Id is { } id)
        {
            using var request = Request(HttpMethod.Put, "statements?statementId=" + id, ForSending(statement));
            var response = await SendAsync(request, cancellationToken);
            return new(response.StatusCode, response.Success ? statement : null, response.Error);
        }
        var saved = await SaveStatementsAsync([statement], cancellationToken);
        return new(saved.StatusCode, saved.Content?[0], saved.Error);
    }

    /// <summary>Stores a batch with one POST; the returned statements carry the ids the LRS reports.</summary>
    public async Task<LrsResponse<IReadOnlyList<Statement>>> SaveStatementsAsync(IReadOnlyList<Statement> statements, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Post, "statements", statements.Select(ForSending).ToList());
        var response = await SendAsync<List<Guid>>(request, cancellationToken);
        if (response.Content is not { } ids)
            return new(response.StatusCode, null, response.Error);
        if (ids.Count != statements.Count)
            return new(response.StatusCode, null, $"The LRS returned {ids.Count} ids for {statements.Count} statements.");
        return new(response.StatusCode, statements.Select((s, i) => s with { Id = ids[i] }).ToList());
    }

    public Task<LrsResponse<Statement>> RetrieveStatementAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync<Statement>("statements?statementId=" + id, cancellationToken);

    public Task<LrsResponse<Statement>> RetrieveVoidedStatementAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync<Statement>("statements?voidedStatementId=" + id, cancellationToken);

    public Task<LrsResponse<StatementsResult>> QueryStatementsAsync(StatementsQuery query, CancellationToken cancellationToken = default)
    {
        var queryString = query.ToQueryString();
        return GetAsync<StatementsResult>(queryString.Length == 0 ? "statements" : "statements?" + queryString, cancellationToken);
    }

    /// <summary>The next page of a query, from the <see cref="StatementsResult.More"/> IRL the LRS gave.</summary>
    public Task<LrsResponse<StatementsResult>> MoreStatementsAsync(string more, CancellationToken cancellationToken = default) =>
        // "more" is relative to the LRS's server (usually an absolute path like /xapi/statements?more=…).
        GetAsync<StatementsResult>(new Uri(endpoint, more), cancellationToken);

    public Task<LrsResponse<StatementsResult>> MoreStatementsAsync(StatementsResult result, CancellationToken cancellationToken = default) =>
        MoreStatementsAsync(result.More ?? throw new ArgumentException("The result has no more statements.", nameof(result)), cancellationToken);

    /// <summary>Voids a statement by sending a new statement with verb voided and a StatementRef to it.</summary>
    public Task<LrsResponse<Statement>> VoidStatementAsync(Guid id, Agent actor, CancellationToken cancellationToken = default) =>
        SaveStatementAsync(new Statement(actor, Verbs.Voided, new StatementRef(id)) { Id = Guid.NewGuid(), Timestamp = time.GetUtcNow() }, cancellationToken);

    public Task<LrsResponse<About>> AboutAsync(CancellationToken cancellationToken = default) =>
        GetAsync<About>("about", cancellationToken);

    /// <summary>
    /// Stores (PUT) a state document of <paramref name="agent"/> in an activity, replacing one with the same id;
    /// with <see cref="XapiDocument.Etag"/> set, only if the stored one still has that ETag (412 otherwise).
    /// </summary>
    public Task<LrsResponse> SaveStateAsync(string activityId, Agent agent, XapiDocument state, Guid? registration = null, CancellationToken cancellationToken = default) =>
        PutDocumentAsync(StateQuery(activityId, agent, registration, state.Id), state, createOnly: false, cancellationToken);

    /// <summary>A state document; 404 in <see cref="LrsResponse.StatusCode"/> when there is none.</summary>
    public Task<LrsResponse<XapiDocument>> RetrieveStateAsync(string activityId, Agent agent, string stateId, Guid? registration = null, CancellationToken cancellationToken = default) =>
        GetDocumentAsync(StateQuery(activityId, agent, registration, stateId), stateId, cancellationToken);

    /// <summary>The ids of the agent's states in an activity (in all its registrations unless one is given), changed after <paramref name="since"/> if given.</summary>
    public Task<LrsResponse<IReadOnlyList<string>>> RetrieveStateIdsAsync(string activityId, Agent agent, Guid? registration = null, DateTimeOffset? since = null, CancellationToken cancellationToken = default) =>
        GetIdsAsync(StateQuery(activityId, agent, registration, null), since, cancellationToken);

    /// <summary>Deletes one state document; with <paramref name="etag"/>, only if it is still that version.</summary>
    public Task<LrsResponse> DeleteStateAsync(string activityId, Agent agent, string stateId, Guid? registration = null, string? etag = null, CancellationToken cancellationToken = default) =>
        DeleteDocumentAsync(StateQuery(activityId, agent, registration, stateId), etag, cancellationToken);

    /// <summary>Deletes all the agent's states in an activity (only the registration's, if one is given).</summary>
    public Task<LrsResponse> ClearStateAsync(string activityId, Agent agent, Guid? registration = null, CancellationToken cancellationToken = default) =>
        DeleteDocumentAsync(StateQuery(activityId, agent, registration, null), null, cancellationToken);

    /// <summary>
    /// Stores (PUT) an activity profile. Without <see cref="XapiDocument.Etag"/> it only creates (If-None-Match: *,
    /// 412 if the profile exists); with one it replaces that version (If-Match), as xAPI requires of profile PUTs.
    /// </summary>
    public Task<LrsResponse> SaveActivityProfileAsync(string activityId, XapiDocument profile, CancellationToken cancellationToken = default) =>
        PutDocumentAsync(ActivityProfileQuery(activityId, profile.Id), profile, createOnly: true, cancellationToken);

    public Task<LrsResponse<XapiDocument>> RetrieveActivityProfileAsync(string activityId, string profileId, CancellationToken cancellationToken = default) =>
        GetDocumentAsync(ActivityProfileQuery(activityId, profileId), profileId, cancellationToken);

    public Task<LrsResponse<IReadOnlyList<string>>> RetrieveActivityProfileIdsAsync(string activityId, DateTimeOffset? since = null, CancellationToken cancellationToken = default) =>
        GetIdsAsync(ActivityProfileQuery(activityId, null), since, cancellationToken);

    public Task<LrsResponse> DeleteActivityProfileAsync(string activityId, string profileId, string? etag = null, CancellationToken cancellationToken = default) =>
        DeleteDocumentAsync(ActivityProfileQuery(activityId, profileId), etag, cancellationToken);

    /// <summary>Stores (PUT) an agent profile; create-only or If-Match, as <see cref="SaveActivityProfileAsync"/>.</summary>
    public Task<LrsResponse> SaveAgentProfileAsync(Agent agent, XapiDocument profile, CancellationToken cancellationToken = default) =>
        PutDocumentAsync(AgentProfileQuery(agent, profile.Id), profile, createOnly: true, cancellationToken);

    public Task<LrsResponse<XapiDocument>> RetrieveAgentProfileAsync(Agent agent, string profileId, CancellationToken cancellationToken = default) =>
        GetDocumentAsync(AgentProfileQuery(agent, profileId), profileId, cancellationToken);

    public Task<LrsResponse<IReadOnlyList<string>>> RetrieveAgentProfileIdsAsync(Agent agent, DateTimeOffset? since = null, CancellationToken cancellationToken = default) =>
        GetIdsAsync(AgentProfileQuery(agent, null), since, cancellationToken);

    public Task<LrsResponse> DeleteAgentProfileAsync(Agent agent, string profileId, string? etag = null, CancellationToken cancellationToken = default) =>
        DeleteDocumentAsync(AgentProfileQuery(agent, profileId), etag, cancellationToken);

    /// <summary>The activity with its definition as the LRS knows it.</summary>
    public Task<LrsResponse<Activity>> RetrieveActivityAsync(string activityId, CancellationToken cancellationToken = default) =>
        GetAsync<Activity>("activities?activityId=" + Uri.EscapeDataString(activityId), cancellationToken);

    /// <summary>Everything the LRS knows identifies the same person as <paramref name="agent"/>.</summary>
    public Task<LrsResponse<Person>> RetrievePersonAsync(Agent agent, CancellationToken cancellationToken = default) =>
        GetAsync<Person>("agents?agent=" + AgentParameter(agent), cancellationToken);

    static string StateQuery(string activityId, Agent agent, Guid? registration, string? stateId) =>
        "activities/state?activityId=" + Uri.EscapeDataString(activityId) + "&agent=" + AgentParameter(agent)
        + (registration is { } r ? "&registration=" + r : "")
        + (stateId is null ? "" : "&stateId=" + Uri.EscapeDataString(stateId));

    static string ActivityProfileQuery(string activityId, string? profileId) =>
        "activities/profile?activityId=" + Uri.EscapeDataString(activityId)
        + (profileId is null ? "" : "&profileId=" + Uri.EscapeDataString(profileId));

    static string AgentProfileQuery(Agent agent, string? profileId) =>
        "agents/profile?agent=" + AgentParameter(agent)
        + (profileId is null ? "" : "&profileId=" + Uri.EscapeDataString(profileId));

    static string AgentParameter(Agent agent) => Uri.EscapeDataString(JsonSerializer.Serialize(agent, XapiJson.Options));

    async Task<LrsResponse> PutDocumentAsync(string relative, XapiDocument document, bool createOnly, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(endpoint, relative)) { Content = new ByteArrayContent(document.Content) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(document.ContentType);
        if (document.Etag is { } etag)
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        else if (createOnly)
            request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        return await SendAsync(request, cancellationToken);
    }

    async Task<LrsResponse<XapiDocument>> GetDocumentAsync(string relative, string id, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, relative));
        using var response = await SendRawAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            return new(response.StatusCode, null, await ErrorAsync(response, cancellationToken));
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var contentType = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
        return new(response.StatusCode, new XapiDocument(id, content, contentType, response.Headers.ETag?.ToString(), response.Content.Headers.LastModified));
    }

    async Task<LrsResponse<IReadOnlyList<string>>> GetIdsAsync(string relative, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var sinceParameter = since is { } s ? "&since=" + Uri.EscapeDataString(XapiTimestamp.Format(s)) : "";
        var ids = await GetAsync<List<string>>(relative + sinceParameter, cancellationToken);
        return new(ids.StatusCode, ids.Content, ids.Error);
    }

    async Task<LrsResponse> DeleteDocumentAsync(string relative, string? etag, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(endpoint, relative));
        if (etag is not null)
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        return await SendAsync(request, cancellationToken);
    }

    // The LRS sets version and stored; TinCan.NET sent its own version, which strict LRSs reject.
    static Statement ForSending(Statement statement) => statement with { Version = null, Stored = null };

    Task<LrsResponse<T>> GetAsync<T>(string relative, CancellationToken cancellationToken) =>
        GetAsync<T>(new Uri(endpoint, relative), cancellationToken);

    async Task<LrsResponse<T>> GetAsync<T>(Uri uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        return await SendAsync<T>(request, cancellationToken);
    }

    HttpRequestMessage Request<T>(HttpMethod method, string relative, T body) =>
        new(method, new Uri(endpoint, relative))
        {
            // As UTF-8 bytes: a batch of statements as a string is twice the size, on the large-object heap.
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, XapiJson.Options))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } },
            },
        };

    async Task<LrsResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(request, cancellationToken);
        return new(response.StatusCode, response.IsSuccessStatusCode ? null : await ErrorAsync(response, cancellationToken));
    }

    async Task<LrsResponse<T>> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            return new(response.StatusCode, default, await ErrorAsync(response, cancellationToken));
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var content = await JsonSerializer.DeserializeAsync<T>(body, XapiJson.Options, cancellationToken);
            return content is null
                ? new(response.StatusCode, default, "The LRS answered with an empty body.")
                : new(response.StatusCode, content);
        }
        catch (JsonException e)
        {
            return new(response.StatusCode, default, "The LRS's answer is not valid xAPI JSON: " + e.Message);
        }
    }

    Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = authorization;
        request.Headers.Add(VersionHeader, XapiVersion);
        return http.SendAsync(request, cancellationToken);
    }

    static async Task<string> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var reason = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        return string.IsNullOrWhiteSpace(body) ? reason : $"{reason}: {(body.Length > 500 ? body[..500] + "…" : body)}";
    }
}
