using System.Text.Json.Serialization;

namespace Nanolearning.Xapi;

/// <summary>
/// Who did something. Identified by exactly one inverse functional identifier: <see cref="Account"/> (what
/// Nanolearning sends: a pseudonymous key, never an e-mail), <see cref="Mbox"/>, <see cref="MboxSha1Sum"/> or
/// <see cref="OpenId"/>.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "objectType")]
[JsonDerivedType(typeof(Agent), "Agent")]
[JsonDerivedType(typeof(Group), "Group")]
public record Agent : IStatementTarget
{
    [JsonIgnore]
    public virtual string ObjectType => "Agent";

    public string? Name { get; init; }

    /// <summary>A <c>mailto:</c> IRI.</summary>
    public string? Mbox { get; init; }

    /// <summary>Hex SHA-1 of the <c>mailto:</c> IRI.</summary>
    [JsonPropertyName("mbox_sha1sum")]
    public string? MboxSha1Sum { get; init; }

    [JsonPropertyName("openid")]
    public string? OpenId { get; init; }

    public AgentAccount? Account { get; init; }

    /// <summary>Agent for an account on a system (the kommun's home page and the employee's pseudonymous key).</summary>
    public static Agent WithAccount(string homePage, string name) => new() { Account = new AgentAccount(homePage, name) };
}

/// <summary>An account on a system, identified by the system's home page and the name (key) on it.</summary>
public sealed record AgentAccount(string HomePage, string Name);

/// <summary>
/// A group of agents: identified (with one inverse functional identifier, members optional) or anonymous
/// (no identifier, members required).
/// </summary>
public sealed record Group : Agent
{
    [JsonIgnore]
    public override string ObjectType => "Group";

    public ValueList<Agent>? Member { get; init; }
}
