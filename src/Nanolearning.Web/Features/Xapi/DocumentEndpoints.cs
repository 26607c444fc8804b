using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Nanolearning.Web.Infrastructure;
using Nanolearning.Xapi;
using static Nanolearning.Web.Features.Xapi.LrsEndpoints;

namespace Nanolearning.Web.Features.Xapi;

/// <summary>
/// The built-in LRS's document resources (xAPI 1.0.3 Part 3 §2.2–2.7): <c>/xapi/activities/state</c>,
/// <c>/xapi/activities/profile</c> and <c>/xapi/agents/profile</c>, with ETag concurrency (§3.1), and the read-only
/// <c>/xapi/activities</c> and <c>/xapi/agents</c>. Same credentials and version rules as <c>/xapi/statements</c>.
/// </summary>
public static class DocumentEndpoints
{
    /// <summary>The largest document the LRS stores; larger ones are refused with 413.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    /// <summary>A write that lost a race is retried this often (re-reading the document and its preconditions) before 409.</summary>
    private const int WriteAttempts = 10;

    /// <summary>Maps the resources onto <paramref name="lrs"/>, the group that already asks for the LRS's credentials and version.</summary>
    public static void MapXapiDocuments(this RouteGroupBuilder lrs)
    {
        foreach (var kind in Enum.GetValues<DocumentKind>())
        {
            var resource = lrs.MapGroup(DocumentAddress.PathOf(kind));
            resource.MapMethods("", ReadMethods, (HttpContext context, AppDbContext db, CancellationToken cancel) => GetAsync(kind, context, db, cancel));
            resource.MapPut("", (HttpContext context, AppDbContext db, TimeProvider time, CancellationToken cancel) => WriteAsync(kind, merge: false, context, db, time, cancel));
            resource.MapPost("", (HttpContext context, AppDbContext db, TimeProvider time, CancellationToken cancel) => WriteAsync(kind, merge: true, context, db, time, cancel));
            resource.MapDelete("", (HttpContext context, AppDbContext db, CancellationToken cancel) => DeleteAsync(kind, context, db, cancel));
        }

        lrs.MapMethods("/activities", ReadMethods, GetActivityAsync);
        lrs.MapMethods("/agents", ReadMethods, GetPerson);
    }

    private static async Task<IResult> GetAsync(DocumentKind kind, HttpContext context, AppDbContext db, CancellationToken cancel)
    {
        var (address, problem) = DocumentAddress.Read(kind, context.Request);
        if (address is null)
        {
            return Error(StatusCodes.Status400BadRequest, problem!);
        }

        var headers = context.Response.GetTypedHeaders();
        if (address.DocumentId is null)
        {
            var found = await Context(db, address)
                .Where(d => address.Since == null || d.Updated > address.Since)
                .OrderBy(d => d.DocumentId)
                .Select(d => new { d.DocumentId, d.Updated })
                .ToListAsync(cancel);
            // Without a registration, a state id used in several registrations is listed once.
            var ids = JsonSerializer.SerializeToUtf8Bytes(found.Select(d => d.DocumentId).Distinct());
            headers.ETag = Preconditions.Tag(StoredDocument.EtagOf(ids));
            if (found.Count > 0)
            {
                headers.LastModified = Utc(found.Max(d => d.Updated));
            }

            return Results.Bytes(ids, "application/json");
        }

        if (await Single(db, address).AsNoTracking().FirstOrDefaultAsync(cancel) is not { } document)
        {
            return Error(StatusCodes.Status404NotFound, $"No document '{address.DocumentId}' here.");
        }

        headers.ETag = Preconditions.Tag(document.Etag);
        headers.LastModified = Utc(document.Updated);
        return Results.Bytes(document.Content, document.ContentType);
    }

    /// <summary>PUT stores or replaces; POST merges JSON objects into the stored one (or stores it when there is none).</summary>
    private static async Task<IResult> WriteAsync(DocumentKind kind, bool merge, HttpContext context, AppDbContext db, TimeProvider time, CancellationToken cancel)
    {
        var request = context.Request;
        var (address, problem) = DocumentAddress.Read(kind, request);
        if (address is not null && address.DocumentId is null)
        {
            problem = $"{request.Method} needs {DocumentAddress.IdParameterOf(kind)}.";
        }

        if (problem is not null)
        {
            return Error(StatusCodes.Status400BadRequest, problem);
        }

        var contentType = string.IsNullOrEmpty(request.ContentType) ? "application/octet-stream" : request.ContentType;
        if (contentType.Length > 255)
        {
            return Error(StatusCodes.Status400BadRequest, "The Content-Type header is longer than 255 characters.");
        }

        var content = await BodyAsync(request, cancel);
        if (content is null)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, $"Documents are limited to {MaxDocumentBytes / 1024} KB.");
        }

        if (merge && (!StoredDocument.IsJsonContentType(contentType) || StoredDocument.JsonObjectOf(content) is null))
        {
            return Error(StatusCodes.Status400BadRequest, "POST merges JSON objects: send a JSON object as application/json, or PUT to replace the document.");
        }

        var preconditions = Preconditions.Of(request);
        for (var attempt = 0; attempt < WriteAttempts; attempt++)
        {
            var stored = await Single(db, address!).FirstOrDefaultAsync(cancel);
            if (preconditions.Refusal(stored) is { } refusal)
            {
                return refusal;
            }

            // §3.1: a PUT onto an existing profile must say which version it replaces (409); state is exempt. A PUT of
            // a new profile without either header is a 400 (Communication 2.6/2.7, as ADL's conformance suite reads
            // them): the client must say it means to create (If-None-Match: *).
            if (!merge && kind != DocumentKind.State && !preconditions.Any)
            {
                return stored is not null
                    ? Error(StatusCodes.Status409Conflict,
                        "This document exists. Fetch it, then PUT with If-Match set to its ETag (or If-None-Match: * to create only).")
                    : Error(StatusCodes.Status400BadRequest,
                        "A profile PUT needs If-None-Match: * to create a document, or If-Match with the ETag of the one it replaces.");
            }

            var now = XapiTimestamp.WholeMilliseconds(time.GetUtcNow().UtcDateTime);
            if (stored is null)
            {
                stored = address!.NewDocument();
                stored.Replace(content, contentType, now);
                db.XapiDocuments.Add(stored);
            }
            else if (!merge)
            {
                stored.Replace(content, contentType, now);
            }
            else if (!stored.Merge(content, contentType, now))
            {
                return Error(StatusCodes.Status400BadRequest, "The stored document is not a JSON object (application/json), so a POST cannot merge into it; PUT replaces it.");
            }

            try
            {
                await db.SaveChangesAsync(cancel);
                return Results.NoContent();
            }
            catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || Database.IsUniqueViolation(e))
            {
                // Another request created or changed this document since we read it: read it again, check again.
                db.ChangeTracker.Clear();
            }
        }

        return Error(StatusCodes.Status409Conflict, "Other clients kept changing this document at the same time; fetch it and try again.");
    }

    private static async Task<IResult> DeleteAsync(DocumentKind kind, HttpContext context, AppDbContext db, CancellationToken cancel)
    {
        var (address, problem) = DocumentAddress.Read(kind, context.Request);
        if (address is not null && address.DocumentId is null && kind != DocumentKind.State)
        {
            problem = $"DELETE needs {DocumentAddress.IdParameterOf(kind)}.";
        }

        if (problem is not null)
        {
            return Error(StatusCodes.Status400BadRequest, problem);
        }

        var preconditions = Preconditions.Of(context.Request);
        for (var attempt = 0; attempt < WriteAttempts; attempt++)
        {
            // Without a stateId: every state of the activity and agent (of the registration, if given). Loaded and
            // removed through SaveChanges rather than ExecuteDelete, so the delete waits in SQLite's write queue.
            var documents = await (address!.DocumentId is null ? Context(db, address) : Single(db, address)).ToListAsync(cancel);
            if (address.DocumentId is not null && preconditions.Refusal(documents.FirstOrDefault()) is { } refusal)
            {
                return refusal;
            }

            db.XapiDocuments.RemoveRange(documents);
            try
            {
                await db.SaveChangesAsync(cancel);
                return Results.NoContent();
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
            }
        }

        return Error(StatusCodes.Status409Conflict, "Other clients kept changing these documents at the same time; try again.");
    }

    /// <summary>
    /// The Activity as this LRS knows it (§2.5: "all available information"): the definitions in the newest unvoided
    /// statements about it, merged. Language maps are joined (a statement in English and one in French give both
    /// names; for the same language the newer text wins); any other part is the newest statement's that has it. The
    /// LRS keeps no canonical definitions apart from statements; an activity it has never seen (or never with a
    /// definition) is answered with its id alone, as §2.5 asks.
    /// </summary>
    private static async Task<IResult> GetActivityAsync(HttpContext context, AppDbContext db, CancellationToken cancel)
    {
        var query = context.Request.Query;
        if (query.Keys.FirstOrDefault(k => k != "activityId") is { } unknown)
        {
            return Error(StatusCodes.Status400BadRequest, $"'{unknown}' is not a parameter of GET /activities.");
        }

        if (DocumentAddress.ReadActivityId(query) is { Problem: { } problem })
        {
            return Error(StatusCodes.Status400BadRequest, problem);
        }

        var activityId = query["activityId"].ToString();
        // A bounded look back: the app's own statements about an activity all carry the same definition.
        var recent = await db.XapiStatements.AsNoTracking()
            .Where(s => s.ActivityId == activityId && !s.Voided)
            .OrderByDescending(s => s.Sequence)
            .Select(s => s.Json)
            .Take(ActivityLookBack)
            .ToListAsync(cancel);
        var definitions = recent
            .Select(json => (XapiJson.Deserialize<Statement>(json).Target as Activity)?.Definition)
            .OfType<ActivityDefinition>()
            .ToList();
        return Results.Json(new Activity(activityId, Merge(definitions)), XapiJson.Options);
    }

    /// <summary>How many of the newest statements about an activity make up its definition.</summary>
    private const int ActivityLookBack = 100;

    /// <summary>Definitions, newest first, as one: language maps joined (newest text per language), else the newest part.</summary>
    internal static ActivityDefinition? Merge(IReadOnlyList<ActivityDefinition> newestFirst)
    {
        if (newestFirst.Count == 0)
        {
            return null;
        }

        static LanguageMap? Join(IEnumerable<LanguageMap?> maps)
        {
            var texts = new Dictionary<string, string>();
            foreach (var map in maps.OfType<LanguageMap>())
            {
                foreach (var (language, text) in map)
                {
                    texts.TryAdd(language, text);
                }
            }

            return texts.Count > 0 ? new LanguageMap(texts) : null;
        }

        T? Newest<T>(Func<ActivityDefinition, T?> part) where T : class => newestFirst.Select(part).FirstOrDefault(p => p is not null);
        return newestFirst[0] with
        {
            Name = Join(newestFirst.Select(d => d.Name)),
            Description = Join(newestFirst.Select(d => d.Description)),
            Type = Newest(d => d.Type),
            MoreInfo = Newest(d => d.MoreInfo),
            InteractionType = newestFirst.Select(d => d.InteractionType).FirstOrDefault(t => t is not null),
            CorrectResponsesPattern = Newest(d => d.CorrectResponsesPattern),
            Choices = Newest(d => d.Choices),
            Scale = Newest(d => d.Scale),
            Source = Newest(d => d.Source),
            Target = Newest(d => d.Target),
            Steps = Newest(d => d.Steps),
            Extensions = Newest(d => d.Extensions),
        };
    }

    /// <summary>
    /// The Person for an agent (§2.4). Agents here are known only by the one identifier statements carry, so the
    /// Person holds what the request gave: its identifier and name.
    /// </summary>
    private static IResult GetPerson(HttpContext context)
    {
        var query = context.Request.Query;
        if (query.Keys.FirstOrDefault(k => k != "agent") is { } unknown)
        {
            return Error(StatusCodes.Status400BadRequest, $"'{unknown}' is not a parameter of GET /agents.");
        }

        var (agent, problem) = DocumentAddress.ReadAgentParameter(query);
        if (agent is null)
        {
            return Error(StatusCodes.Status400BadRequest, problem!);
        }

        return Results.Json(Person.Of(agent), XapiJson.Options);
    }

    private static IQueryable<StoredDocument> Context(AppDbContext db, DocumentAddress address) =>
        db.XapiDocuments.Where(d => d.Kind == address.Kind && d.AgentKey == address.AgentKey && d.ActivityId == address.ActivityId
            && (address.Registration == null || d.Registration == address.Registration));

    private static IQueryable<StoredDocument> Single(AppDbContext db, DocumentAddress address) =>
        db.XapiDocuments.Where(d => d.Kind == address.Kind && d.AgentKey == address.AgentKey && d.ActivityId == address.ActivityId
            && d.Registration == (address.Registration ?? "") && d.DocumentId == address.DocumentId);

    /// <summary>The body, or null when it is larger than <see cref="MaxDocumentBytes"/>.</summary>
    private static async Task<byte[]?> BodyAsync(HttpRequest request, CancellationToken cancel)
    {
        if (request.ContentLength > MaxDocumentBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancel)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxDocumentBytes)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A stored time, which is UTC whatever kind the database reader gave it.</summary>
    private static DateTimeOffset Utc(DateTime updated) => new(DateTime.SpecifyKind(updated, DateTimeKind.Utc));

    /// <summary>
    /// If-Match and If-None-Match as RFC 9110 reads them (§3.1): If-Match holds when the document exists and its ETag
    /// is listed (or <c>*</c>); If-None-Match fails when it exists and its ETag is listed (or <c>*</c>). Tags are
    /// compared weakly (a <c>W/</c> tag matches) and ignoring hex case, which §3.1 asks of the SHA-1. A header that
    /// is present counts even when it does not parse: it then matches nothing but the bare tags it lists.
    /// </summary>
    private sealed record Preconditions(IList<EntityTagHeaderValue>? IfMatch, IList<EntityTagHeaderValue>? IfNoneMatch)
    {
        public bool Any => IfMatch is not null || IfNoneMatch is not null;

        /// <summary>The ETag of content with this SHA-1, quoted as HTTP wants it.</summary>
        public static EntityTagHeaderValue Tag(string sha1) => new($"\"{sha1}\"");

        public static Preconditions Of(HttpRequest request) => new(Tags(request.Headers.IfMatch), Tags(request.Headers.IfNoneMatch));

        public IResult? Refusal(StoredDocument? stored)
        {
            if (IfMatch is not null && (stored is null || !Lists(IfMatch, stored.Etag)))
            {
                return Error(StatusCodes.Status412PreconditionFailed, stored is null
                    ? "If-Match: there is no such document."
                    : "If-Match: the document has changed since that ETag; fetch it again.");
            }

            if (IfNoneMatch is not null && stored is not null && Lists(IfNoneMatch, stored.Etag))
            {
                return Error(StatusCodes.Status412PreconditionFailed, "If-None-Match: the document already exists.");
            }

            return null;
        }

        private static bool Lists(IList<EntityTagHeaderValue> tags, string etag)
        {
            var current = Tag(etag);
            return tags.Any(t => t.Equals(EntityTagHeaderValue.Any)
                || new EntityTagHeaderValue(t.Tag.ToString().ToLowerInvariant(), t.IsWeak).Compare(current, useStrongComparison: false));
        }

        /// <summary>
        /// The header's tags; null when it is absent. Parsed strictly, because the lenient list parser (the one behind
        /// <c>GetTypedHeaders().IfMatch</c>) drops what it cannot read, and an If-Match with nothing left would turn
        /// into an unconditional write. Some clients send the bare SHA-1 unquoted, which is no entity tag: such a
        /// header's items are read as the tags they name, without their quotes or <c>W/</c>; what still is no tag
        /// matches nothing.
        /// </summary>
        private static IList<EntityTagHeaderValue>? Tags(StringValues header) =>
            header.Count == 0 ? null
            : EntityTagHeaderValue.TryParseStrictList(header, out var tags) ? tags
            : header.SelectMany(h => (h ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(Bare)
                .OfType<EntityTagHeaderValue>()
                .ToList();

        private static EntityTagHeaderValue? Bare(string item)
        {
            var value = (item.StartsWith("W/", StringComparison.Ordinal) ? item[2..] : item).Trim('"');
            return value == "*" ? EntityTagHeaderValue.Any
                : EntityTagHeaderValue.TryParse($"\"{value}\"", out var tag) ? tag
                : null;
        }
    }
}

/// <summary>Where a document request points: the resource, its activity, agent and registration, and the document id if one.</summary>
public sealed record DocumentAddress(DocumentKind Kind, string ActivityId, string AgentKey, string? Registration, string? DocumentId, DateTime? Since)
{
    /// <summary>The longest activity IRI or document id accepted, as the columns are sized.</summary>
    public const int MaxIdLength = 2048;

    public static string PathOf(DocumentKind kind) => kind switch
    {
        DocumentKind.State => "/activities/state",
        DocumentKind.ActivityProfile => "/activities/profile",
        _ => "/agents/profile",
    };

    public static string IdParameterOf(DocumentKind kind) => kind == DocumentKind.State ? "stateId" : "profileId";

    public StoredDocument NewDocument() => new()
    {
        Kind = Kind,
        ActivityId = ActivityId,
        AgentKey = AgentKey,
        Registration = Registration ?? "",
        DocumentId = DocumentId!,
        ContentType = "",
        Content = [],
        Etag = "",
    };

    /// <summary>Reads and checks the parameters of a request to the <paramref name="kind"/> resource.</summary>
    public static (DocumentAddress? Address, string? Problem) Read(DocumentKind kind, HttpRequest request)
    {
        var query = request.Query;
        var idParameter = IdParameterOf(kind);
        string[] parameters = kind switch
        {
            DocumentKind.State => ["activityId", "agent", "registration", idParameter, "since"],
            DocumentKind.ActivityProfile => ["activityId", idParameter, "since"],
            _ => ["agent", idParameter, "since"],
        };
        var resource = $"{request.Method} {PathOf(kind)}";
        if (query.Keys.FirstOrDefault(k => !parameters.Contains(k)) is { } unknown)
        {
            return (null, $"'{unknown}' is not a parameter of {resource}.");
        }

        if (query.FirstOrDefault(p => p.Value.Count > 1) is { Key: { } twice })
        {
            return (null, $"{twice} is given more than once.");
        }

        var activityId = "";
        if (kind != DocumentKind.AgentProfile)
        {
            if (ReadActivityId(query) is { Problem: { } problem })
            {
                return (null, problem);
            }

            activityId = query["activityId"].ToString();
        }

        var agentKey = "";
        if (kind != DocumentKind.ActivityProfile)
        {
            var (agent, problem) = ReadAgentParameter(query);
            if (agent is null)
            {
                return (null, problem);
            }

            agentKey = AgentKeys.Of(agent)!;
        }

        string? registration = null;
        if (query.TryGetValue("registration", out var registrationText))
        {
            if (!Guid.TryParse(registrationText, out var parsed) || parsed == Guid.Empty)
            {
                return (null, "registration must be a UUID.");
            }

            registration = parsed.ToString("D");
        }

        string? documentId = null;
        if (query.TryGetValue(idParameter, out var idText))
        {
            documentId = idText.ToString();
            if (documentId.Length is 0 or > MaxIdLength)
            {
                return (null, $"{idParameter} must be 1 to {MaxIdLength} characters.");
            }
        }

        var (since, sinceOk) = Timestamp(query, "since");
        if (query.ContainsKey("since") && (documentId is not null || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))))
        {
            return (null, $"since only goes with a GET of the ids, without {idParameter}.");
        }

        if (!sinceOk)
        {
            return (null, "since must be a timestamp with a time zone, like 2026-11-23T15:04:05.123Z.");
        }

        return (new DocumentAddress(kind, activityId, agentKey, registration, documentId, since), null);
    }

    public static (string? ActivityId, string? Problem) ReadActivityId(IQueryCollection query) =>
        query["activityId"].ToString() is var id && id.Length == 0 ? (null, "activityId is required.")
        : id.Length > MaxIdLength ? (null, $"activityId is longer than {MaxIdLength} characters.")
        : !StatementValidator.IsAbsoluteIri(id) ? (null, "activityId must be an IRI with a scheme.")
        : (id, null);

    /// <summary>The <c>agent</c> parameter: an Agent (§2.4, §2.6: not a Group) with exactly one identifier.</summary>
    public static (Agent? Agent, string? Problem) ReadAgentParameter(IQueryCollection query)
    {
        if (!query.TryGetValue("agent", out var json))
        {
            return (null, "agent is required.");
        }

        var (agent, _, problem) = ReadAgent(json.ToString());
        return agent switch
        {
            null => (null, problem),
            Group => (null, "agent must be an Agent, not a Group (use the group's identifier in an Agent)."),
            _ => (agent, null),
        };
    }
}
