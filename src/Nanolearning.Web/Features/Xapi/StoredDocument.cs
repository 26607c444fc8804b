using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nanolearning.Web.Features.Xapi;

/// <summary>Which of xAPI's three document resources a document belongs to.</summary>
public enum DocumentKind
{
    /// <summary><c>/activities/state</c>: an agent's scratch data in an activity, optionally per registration.</summary>
    State,

    /// <summary><c>/activities/profile</c>: data about an activity.</summary>
    ActivityProfile,

    /// <summary><c>/agents/profile</c>: data about an agent.</summary>
    AgentProfile,
}

/// <summary>
/// A document in the built-in LRS (xAPI 1.0.3 Part 3 §2.2): bytes with their content type, the ETag clients use for
/// optimistic concurrency and when it was last changed. The address columns hold "" where the resource has no such
/// part (a profile has no registration, an activity profile no agent): NULLs are distinct in a unique index, so NULL
/// there would let the same document be stored twice.
/// </summary>
public sealed class StoredDocument
{
    public long Id { get; set; }

    public DocumentKind Kind { get; set; }

    /// <summary>The activity IRI; "" for an agent profile.</summary>
    public required string ActivityId { get; set; }

    /// <summary>The agent as <see cref="AgentKeys"/> writes it; "" for an activity profile.</summary>
    public required string AgentKey { get; set; }

    /// <summary>The registration UUID (lower case, with hyphens) of a state; "" for none.</summary>
    public required string Registration { get; set; }

    /// <summary>The <c>stateId</c> or <c>profileId</c>.</summary>
    public required string DocumentId { get; set; }

    public required string ContentType { get; set; }

    public required byte[] Content { get; set; }

    /// <summary>Lower-case hex SHA-1 of <see cref="Content"/>, without quotes (the spec's suggestion).</summary>
    public required string Etag { get; set; }

    /// <summary>When the document was last stored or merged (UTC, whole milliseconds); <c>since</c> compares with it.</summary>
    public DateTime Updated { get; set; }

    public bool IsJson => IsJsonContentType(ContentType);

    /// <summary>Replaces the content (PUT, or the first POST).</summary>
    public void Replace(byte[] content, string contentType, DateTime now)
    {
        Content = content;
        ContentType = contentType;
        Etag = EtagOf(content);
        Updated = now;
    }

    /// <summary>
    /// POST onto a stored document: the posted object's top-level properties replace or join the stored ones (§2.2
    /// "JSON Procedure"). False, and nothing changed, unless both are JSON objects sent as application/json.
    /// </summary>
    public bool Merge(byte[] posted, string postedContentType, DateTime now)
    {
        if (!IsJson || !IsJsonContentType(postedContentType) || JsonObjectOf(Content) is not { } stored || JsonObjectOf(posted) is not { } update)
        {
            return false;
        }

        foreach (var (name, value) in update)
        {
            stored[name] = value?.DeepClone();
        }

        Replace(JsonSerializer.SerializeToUtf8Bytes(stored), "application/json", now);
        return true;
    }

    public static string EtagOf(byte[] content) => Convert.ToHexStringLower(SHA1.HashData(content));

    public static bool IsJsonContentType(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && string.Equals(media.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The content as a JSON object, or null if it is not one (an array, a number, not JSON at all).</summary>
    public static JsonObject? JsonObjectOf(byte[] content)
    {
        try
        {
            return JsonNode.Parse(content) as JsonObject;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // ArgumentException / InvalidOperationException: a property named twice, which JsonObject cannot hold.
            return null;
        }
    }
}
