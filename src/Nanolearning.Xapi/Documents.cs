using System.Text.Json.Serialization;

namespace Nanolearning.Xapi;

/// <summary>
/// A document in an LRS's State, Activity Profile or Agent Profile resource: its id (<c>stateId</c> or
/// <c>profileId</c>), the bytes and their content type. <see cref="Etag"/> is the LRS's ETag as it sent it (quoted);
/// a document saved with one is sent with <c>If-Match</c>, so it replaces only the version it was read as.
/// </summary>
public sealed record XapiDocument(string Id, byte[] Content, string ContentType = "application/octet-stream", string? Etag = null, DateTimeOffset? Updated = null);

/// <summary>
/// What an LRS knows of a person (the Agents resource): every property an array, several identifiers allowed.
/// </summary>
public sealed record Person
{
    [JsonPropertyOrder(-1)]
    public string ObjectType => "Person";

    public ValueList<string>? Name { get; init; }
    public ValueList<string>? Mbox { get; init; }

    [JsonPropertyName("mbox_sha1sum")]
    public ValueList<string>? MboxSha1Sum { get; init; }

    [JsonPropertyName("openid")]
    public ValueList<string>? OpenId { get; init; }

    public ValueList<AgentAccount>? Account { get; init; }

    /// <summary>The Person holding only what <paramref name="agent"/> says: its identifier and name.</summary>
    public static Person Of(Agent agent) => new()
    {
        Name = agent.Name is { } name ? [name] : null,
        Mbox = agent.Mbox is { } mbox ? [mbox] : null,
        MboxSha1Sum = agent.MboxSha1Sum is { } sha1 ? [sha1] : null,
        OpenId = agent.OpenId is { } openId ? [openId] : null,
        Account = agent.Account is { } account ? [account] : null,
    };
}
