using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Infrastructure;
using Nanolearning.Xapi;

namespace Nanolearning.Web.Features.Xapi;

/// <summary>
/// The built-in LRS over HTTP: xAPI 1.0.3's Statements resource at <c>/xapi/statements</c> and the About resource at
/// <c>/xapi/about</c>, behind the LRS's own Basic credentials (<see cref="XapiOptions.Lrs"/>), never a user's login.
/// The rules live in <see cref="StatementStore"/>; this class reads and answers HTTP. The document resources are in
/// <see cref="DocumentEndpoints"/>, behind the same credentials and version rule.
/// </summary>
public static partial class LrsEndpoints
{
    public const string VersionHeader = "X-Experience-API-Version";
    public const string ConsistentThroughHeader = "X-Experience-API-Consistent-Through";

    /// <summary>
    /// Every GET also answers HEAD (Communication 1.1): the same status and headers, no body (Kestrel writes none
    /// for HEAD), so a client can check that a statement or document exists, or read its ETag, cheaply.
    /// </summary>
    public static readonly string[] ReadMethods = [HttpMethods.Get, HttpMethods.Head];

    private static readonly HashSet<string> QueryParameters =
    [
        "agent", "verb", "activity", "registration", "related_activities", "related_agents", "since", "until", "limit",
        "format", "attachments", "ascending", "statementId", "voidedStatementId", "more",
    ];

    public static void MapXapi(this WebApplication app)
    {
        // Limited per credential, and per address without valid credentials (RateLimits), About included.
        var xapi = app.MapGroup("/xapi").RequireRateLimiting(RateLimits.Xapi);
        // The About resource names the versions a client may use, so it asks for neither credentials nor a version.
        xapi.MapMethods("/about", ReadMethods, (HttpContext context) =>
        {
            context.Response.Headers[VersionHeader] = RemoteLrs.XapiVersion;
            return Results.Json(new About([RemoteLrs.XapiVersion, "1.0.2", "1.0.1", "1.0.0"]), XapiJson.Options);
        });

        // Every other resource: the LRS's Basic credentials first (401 from LrsBasicAuthenticationHandler), then the version.
        // Kestrel enforces the body limit while the body is read; RefuseTooLargeBody turns its exception into a 413.
        var limits = app.Services.GetRequiredService<IOptions<XapiOptions>>().Value.Lrs;
        var lrs = xapi.MapGroup("")
            .RequireAuthorization(LrsBasicAuthenticationHandler.PolicyName)
            .WithMetadata(new RequestSizeLimitAttribute(limits.MaxRequestBytes))
            .AddEndpointFilter(RequireVersion)
            .AddEndpointFilter(RefuseTooLargeBody);
        var statements = lrs.MapGroup("/statements");
        statements.MapPut("", PutAsync);
        statements.MapPost("", PostAsync);
        statements.MapMethods("", ReadMethods, GetAsync);

        lrs.MapXapiDocuments();
    }

    /// <summary>The version rule every resource but About shares: a 1.0.x version header (400), and 1.0.3 in every answer.</summary>
    private static async ValueTask<object?> RequireVersion(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        context.Response.Headers[VersionHeader] = RemoteLrs.XapiVersion;
        var version = context.Request.Headers[VersionHeader].ToString();
        if (!SupportedVersion().IsMatch(version))
        {
            return Error(StatusCodes.Status400BadRequest, version.Length == 0
                ? $"The {VersionHeader} header is required (1.0.3)."
                : $"{VersionHeader} '{version}' is not supported; use 1.0.3.");
        }

        return await next(invocation);
    }

    /// <summary>
    /// A body over <see cref="LrsOptions.MaxRequestBytes"/> makes Kestrel throw when it is read; unhandled, that was a
    /// 500 HTML page and an error in the log. It is the client's mistake: 413 with the limit, and nothing logged.
    /// A length given up front is refused before reading; the body is read and thrown away first when it is at most
    /// twice the limit, so that the client, still sending, gets the answer rather than a reset connection.
    /// </summary>
    private static async ValueTask<object?> RefuseTooLargeBody(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var size = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        var limit = size?.MaxRequestBodySize;
        static IResult TooLarge(long? limit) =>
            Error(StatusCodes.Status413PayloadTooLarge, $"The request body is too large: this LRS accepts at most {limit} bytes.");
        if (context.Request.ContentLength is { } length && length > limit)
        {
            if (length <= 2 * limit && size is { IsReadOnly: false })
            {
                size.MaxRequestBodySize = length;
                await UnreadBody.DiscardAsync(context.Request, context.RequestAborted);
            }

            return TooLarge(limit);
        }

        try
        {
            return await next(invocation);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }
    }

    private static async Task<IResult> PutAsync(HttpContext context, StatementStore store, CancellationToken cancel)
    {
        var query = context.Request.Query;
        if (query.Keys.Any(k => k != "statementId"))
        {
            return Error(StatusCodes.Status400BadRequest, "PUT /statements takes only statementId.");
        }

        if (!Guid.TryParse(query["statementId"], out var id))
        {
            return Error(StatusCodes.Status400BadRequest, "PUT /statements needs statementId, a UUID.");
        }

        var (statements, parts, error) = await ReadStatementsAsync(context.Request, batch: false, cancel);
        if (statements is not [var statement])
        {
            return Error(StatusCodes.Status400BadRequest, error!);
        }

        if (statement.Id is { } sentId && sentId != id)
        {
            return Error(StatusCodes.Status400BadRequest, $"The statement's id {sentId} differs from statementId {id}.");
        }

        var outcome = await store.SaveAsync([statement with { Id = id }], parts, store.Authority(Username(context)), cancel);
        return outcome.IsStored ? Results.NoContent() : Error(outcome.StatusCode, outcome.Error!);
    }

    private static async Task<IResult> PostAsync(HttpContext context, StatementStore store, IOptions<XapiOptions> options, CancellationToken cancel)
    {
        if (context.Request.Query.Count > 0)
        {
            return Error(StatusCodes.Status400BadRequest, "POST /statements takes no query parameters.");
        }

        var (statements, parts, error) = await ReadStatementsAsync(context.Request, batch: true, cancel);
        if (statements is null)
        {
            return Error(StatusCodes.Status400BadRequest, error!);
        }

        var max = options.Value.Lrs.MaxStatementsPerBatch;
        if (statements.Count > max)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, $"A batch holds at most {max} statements; this one has {statements.Count}. Send them in smaller batches.");
        }

        var outcome = await store.SaveAsync(statements, parts, store.Authority(Username(context)), cancel);
        return outcome.IsStored ? Results.Json(outcome.Ids) : Error(outcome.StatusCode, outcome.Error!);
    }

    private static async Task<IResult> GetAsync(HttpContext context, StatementStore store, TimeProvider time, CancellationToken cancel)
    {
        var query = context.Request.Query;
        context.Response.Headers[ConsistentThroughHeader] = XapiTimestamp.Format(time.GetUtcNow());
        if (query.Keys.FirstOrDefault(k => !QueryParameters.Contains(k)) is { } unknown)
        {
            return Error(StatusCodes.Status400BadRequest, $"'{unknown}' is not a parameter of GET /statements.");
        }

        if (query.ContainsKey("statementId") || query.ContainsKey("voidedStatementId"))
        {
            var voided = query.ContainsKey("voidedStatementId");
            if (query.Keys.Any(k => k is not ("statementId" or "voidedStatementId" or "format" or "attachments")) || query.ContainsKey("statementId") == voided)
            {
                return Error(StatusCodes.Status400BadRequest, "statementId or voidedStatementId goes alone (with format or attachments at most).");
            }

            if (!Guid.TryParse(query[voided ? "voidedStatementId" : "statementId"], out var id))
            {
                return Error(StatusCodes.Status400BadRequest, "The statement id is not a UUID.");
            }

            if (FormatProblem(query) is { } formatProblem)
            {
                return Error(StatusCodes.Status400BadRequest, formatProblem);
            }

            if (await store.FindAsync(id, voided, cancel) is not { } json)
            {
                return Error(StatusCodes.Status404NotFound, voided ? $"No voided statement {id}." : $"No statement {id} (or it is voided).");
            }

            var formatted = StatementFormats.Apply(json, query["format"].ToString(), StatementFormats.Languages(context.Request));
            return query["attachments"] == "true"
                ? await WithAttachmentsAsync(formatted, [json], store, cancel)
                : Results.Text(formatted, "application/json", Encoding.UTF8);
        }

        StatementFilter? filter;
        string? problem;
        if (query.ContainsKey("more"))
        {
            filter = query.Count == 1 ? Continuation.Read(query["more"].ToString()) : null;
            problem = filter is null ? "The more link is not one this LRS gave out." : null;
        }
        else
        {
            (filter, problem) = ReadFilter(query);
        }

        if (filter is null)
        {
            return Error(StatusCodes.Status400BadRequest, problem!);
        }

        var (page, next) = await store.QueryAsync(filter, cancel);
        var more = next is { } after
            ? $"{context.Request.PathBase}/xapi/statements?more={Continuation.Write(filter with { After = after })}"
            : "";
        var formattedPage = filter.Format is "ids" or "canonical"
            ? [.. page.Select(json => StatementFormats.Apply(json, filter.Format, StatementFormats.Languages(context.Request)))]
            : page;
        if (filter.Attachments)
        {
            using var result = new MemoryStream();
            await WriteResultAsync(result, formattedPage, more);
            return await WithAttachmentsAsync(Encoding.UTF8.GetString(result.ToArray()), page, store, cancel);
        }

        return Results.Stream(body => WriteResultAsync(body, formattedPage, more), "application/json; charset=utf-8");
    }

    private static (StatementFilter? Filter, string? Problem) ReadFilter(IQueryCollection query)
    {
        if (FormatProblem(query) is { } formatProblem)
        {
            return (null, formatProblem);
        }

        string? agentKey = null;
        if (query.TryGetValue("agent", out var agentJson))
        {
            (var agent, agentKey, var agentProblem) = ReadAgent(agentJson.ToString());
            if (agent is null)
            {
                return (null, agentProblem);
            }
        }

        if (query.TryGetValue("verb", out var verb) && !StatementValidator.IsAbsoluteIri(verb))
        {
            return (null, "verb must be an IRI.");
        }

        if (query.TryGetValue("activity", out var activity) && !StatementValidator.IsAbsoluteIri(activity))
        {
            return (null, "activity must be an IRI.");
        }

        Guid? registration = null;
        if (query.TryGetValue("registration", out var registrationText))
        {
            if (!Guid.TryParse(registrationText, out var parsed))
            {
                return (null, "registration must be a UUID.");
            }

            registration = parsed;
        }

        var (since, sinceOk) = Timestamp(query, "since");
        var (until, untilOk) = Timestamp(query, "until");
        var limit = 0;
        if (!sinceOk || !untilOk)
        {
            return (null, "since and until must be timestamps with a time zone, like 2026-11-23T15:04:05.123Z.");
        }

        if (query.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, out limit) || limit < 0))
        {
            return (null, "limit must be a whole number, 0 or more.");
        }

        var (relatedActivities, relatedActivitiesOk) = Flag(query, "related_activities");
        var (relatedAgents, relatedAgentsOk) = Flag(query, "related_agents");
        var (ascending, ascendingOk) = Flag(query, "ascending");
        var (attachments, attachmentsOk) = Flag(query, "attachments");
        if (!relatedActivitiesOk || !relatedAgentsOk || !ascendingOk || !attachmentsOk)
        {
            return (null, "related_activities, related_agents, ascending and attachments are true or false.");
        }

        return (new StatementFilter
        {
            AgentKey = agentKey,
            VerbId = verb.Count > 0 ? verb.ToString() : null,
            ActivityId = activity.Count > 0 ? activity.ToString() : null,
            Registration = registration,
            RelatedActivities = relatedActivities,
            RelatedAgents = relatedAgents,
            Since = since,
            Until = until,
            Limit = limit,
            Ascending = ascending,
            Format = query.TryGetValue("format", out var format) ? format.ToString() : "exact",
            Attachments = attachments,
        }, null);
    }

    /// <summary>An <c>agent</c> parameter: xAPI JSON with exactly one inverse functional identifier, and its key.</summary>
    internal static (Agent? Agent, string? Key, string? Problem) ReadAgent(string json)
    {
        if (!StrictJson.TryRead<Agent>(json, out var agent, out var error))
        {
            return (null, null, "agent is not an xAPI agent in JSON: " + error);
        }

        // The validator checks agents as parts of statements: this one is only a frame for the agent.
        var problems = StatementValidator.Validate(new Statement(agent!, Verbs.Experienced, new Activity("urn:x-nanolearning:query")));
        var key = AgentKeys.Of(agent!);
        return problems.Count > 0 || key is null
            ? (null, null, "agent must have exactly one inverse functional identifier.")
            : (agent, key, null);
    }

    /// <summary>
    /// A multipart/mixed answer (attachments=true): the JSON, then the bytes of every attachment of these statements
    /// that the LRS holds (those sent with a <c>fileUrl</c> only have none).
    /// </summary>
    private static async Task<IResult> WithAttachmentsAsync(string json, IReadOnlyList<string> statements, StatementStore store, CancellationToken cancel)
    {
        var hashes = statements
            .SelectMany(s => XapiJson.Deserialize<Statement>(s).Attachments ?? [])
            .Select(a => a.Sha2.ToLowerInvariant())
            .ToHashSet();
        var attachments = hashes.Count > 0 ? await store.AttachmentsAsync(hashes, cancel) : [];
        return new MultipartResult(json, attachments);
    }

    private static string? FormatProblem(IQueryCollection query) =>
        query.TryGetValue("format", out var format) && format.ToString() is not ("exact" or "ids" or "canonical")
            ? "format must be exact, ids or canonical."
            : null;

    internal static (DateTime? Value, bool Ok) Timestamp(IQueryCollection query, string name) =>
        !query.TryGetValue(name, out var text) ? (null, true)
        : XapiTimestamp.TryParse(text, out var value) ? (value.UtcDateTime, true)
        : (null, false);

    private static (bool Value, bool Ok) Flag(IQueryCollection query, string name) =>
        !query.TryGetValue(name, out var text) ? (false, true)
        : text.ToString() switch { "true" => (true, true), "false" => (false, true), _ => (false, false) };

    /// <summary>
    /// The statements in the request's JSON body: one statement, or (for a <paramref name="batch"/>) one or an array.
    /// Read straight from the request pipe's buffers: a batch of 50 is ~125 KB, which as a string went to the
    /// large-object heap and cost a full garbage collection every few batches.
    /// </summary>
    private static async Task<(List<Statement>? Statements, List<StoredAttachment> Parts, string? Error)> ReadStatementsAsync(HttpRequest request, bool batch, CancellationToken cancel)
    {
        var contentType = request.GetTypedHeaders().ContentType;
        if (contentType is not null && contentType.Type.Equals("multipart", StringComparison.OrdinalIgnoreCase))
        {
            var (json, parts, problem) = await StatementAttachments.ReadAsync(request, contentType, cancel);
            if (json is null)
            {
                return (null, [], problem);
            }

            var (fromParts, partsError) = ParseStatements(new ReadOnlySequence<byte>(json), batch);
            return fromParts is null ? (null, [], partsError)
                : StatementAttachments.Check(fromParts, parts) is { } attachmentProblem ? (null, [], attachmentProblem)
                : (fromParts, parts, null);
        }

        if (contentType is null || !contentType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, [], "Send statements as application/json (or multipart/mixed with attachments).");
        }

        var pipe = request.BodyReader;
        var read = await pipe.ReadAsync(cancel);
        while (!read.IsCompleted)
        {
            pipe.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            read = await pipe.ReadAsync(cancel);
        }

        try
        {
            var (statements, error) = ParseStatements(read.Buffer, batch);
            // Attachments without a fileUrl need their bytes, which only a multipart request carries.
            return statements is null ? (null, [], error)
                : StatementAttachments.Check(statements, []) is { } attachmentProblem ? (null, [], attachmentProblem)
                : (statements, [], null);
        }
        finally
        {
            pipe.AdvanceTo(read.Buffer.End);
        }
    }

    private static (List<Statement>? Statements, string? Error) ParseStatements(ReadOnlySequence<byte> body, bool batch)
    {
        var first = new Utf8JsonReader(body);
        var isArray = batch && StrictJson.TryReadToken(ref first, out var token) && token == JsonTokenType.StartArray;
        if (isArray)
        {
            return !StrictJson.TryRead<List<Statement>>(body, out var statements, out var error)
                ? (null, "The statements are not valid xAPI JSON: " + error)
                : statements!.Count == 0 || statements.Contains(null!)
                    ? (null, "The batch is empty or has null in place of a statement.")
                    : (statements, null);
        }

        return StrictJson.TryRead<Statement>(body, out var statement, out var problem)
            ? ([statement!], null)
            : (null, (batch ? "The statements are not valid xAPI JSON: " : "The statement is not valid xAPI JSON: ") + problem);
    }

    /// <summary>
    /// The StatementResult, with the stored JSON of each statement written as it is, straight to the response: a page
    /// of 100 is ~250 KB, which built in memory first (bytes, then a string, then bytes again) went to the
    /// large-object heap three times.
    /// </summary>
    private static async Task WriteResultAsync(Stream body, IReadOnlyList<string> statements, string more)
    {
        await using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteStartArray("statements");
        foreach (var json in statements)
        {
            writer.WriteRawValue(json, skipInputValidation: true);
            // The writer buffers until flushed: in pieces, so its buffer stays small.
            if (writer.BytesPending > 16 * 1024)
            {
                await writer.FlushAsync();
            }
        }

        writer.WriteEndArray();
        writer.WriteString("more", more);
        writer.WriteEndObject();
        await writer.FlushAsync();
    }

    /// <summary>The LRS's Basic user name, as <see cref="LrsBasicAuthenticationHandler"/> authenticated it.</summary>
    private static string Username(HttpContext context) => context.User.Identity!.Name!;

    /// <summary>Errors as the spec's status with a plain message, so the app's Swedish error pages never answer an LRS client.</summary>
    internal static IResult Error(int status, string message) => Results.Text(message, "text/plain", Encoding.UTF8, status);

    [GeneratedRegex(@"^1\.0(\.[0-9]+)?$")]
    private static partial Regex SupportedVersion();

    private sealed record MultipartResult(string Json, IReadOnlyList<StoredAttachment> Attachments) : IResult
    {
        public Task ExecuteAsync(HttpContext context) => StatementAttachments.WriteAsync(context.Response, Json, Attachments);
    }

    /// <summary>
    /// The <c>more</c> token: the query itself and where the page ended, in base64url JSON. It grants nothing: the
    /// client must still present the LRS's credentials, and could ask the same query directly.
    /// </summary>
    private static class Continuation
    {
        public static string Write(StatementFilter filter) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(filter));

        public static StatementFilter? Read(string token)
        {
            try
            {
                return JsonSerializer.Deserialize<StatementFilter>(Base64Url.DecodeFromChars(token)) is { After: not null } filter ? filter : null;
            }
            catch (Exception e) when (e is FormatException or JsonException)
            {
                return null;
            }
        }
    }
}
