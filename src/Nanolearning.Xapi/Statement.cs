using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nanolearning.Xapi;

/// <summary>
/// What <see cref="Statement"/> and <see cref="SubStatement"/> share (TinCan.NET's name): actor, verb, object and
/// optionally result, context and timestamp. Records with value equality, so an LRS can tell an identical re-sent
/// statement from a conflicting one.
/// </summary>
public abstract record StatementBase
{
    public required Agent Actor { get; init; }
    public required Verb Verb { get; init; }

    /// <summary>The statement's <c>object</c>: an <see cref="Activity"/>, agent, group, statement reference or sub-statement.</summary>
    [JsonPropertyName("object")]
    public required IStatementTarget Target { get; init; }

    public Result? Result { get; init; }
    public Context? Context { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>An xAPI statement: the shared parts, and the id, stored, authority and version a sub-statement has not.</summary>
public sealed record Statement : StatementBase
{
    /// <summary>Set by the sender for idempotent delivery (Nanolearning sets it when writing to the outbox).</summary>
    [JsonPropertyOrder(-1)]
    public Guid? Id { get; init; }

    /// <summary>Set by the LRS when it stores the statement.</summary>
    public DateTimeOffset? Stored { get; init; }

    public Agent? Authority { get; init; }

    /// <summary>Set by the LRS; <see cref="RemoteLrs"/> never sends it (TinCan.NET did, and strict LRSs reject it).</summary>
    public string? Version { get; init; }

    public Statement() { }

    [SetsRequiredMembers]
    public Statement(Agent actor, Verb verb, IStatementTarget target) => (Actor, Verb, Target) = (actor, verb, target);
}

/// <summary>What a statement can be about.</summary>
[JsonConverter(typeof(StatementTargetConverter))]
public interface IStatementTarget
{
    string ObjectType { get; }
}

/// <summary>A reference to another statement by id (the object of a voiding statement).</summary>
public sealed record StatementRef(Guid Id) : IStatementTarget
{
    [JsonPropertyOrder(-1)]
    public string ObjectType => "StatementRef";
}

/// <summary>A statement inside a statement's object: no id, stored, authority or version, and no sub-statement of its own.</summary>
public sealed record SubStatement : StatementBase, IStatementTarget
{
    [JsonPropertyOrder(-1)]
    public string ObjectType => "SubStatement";
}

sealed class StatementTargetConverter : JsonConverter<IStatementTarget>
{
    public override IStatementTarget Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new JsonException("A statement's object must be a JSON object.");
        // Without objectType the object is an Activity (xAPI 1.0.3, 2.4.4).
        var objectType = root.TryGetProperty("objectType", out var type) ? type.GetString() : "Activity";
        return objectType switch
        {
            "Activity" => (IStatementTarget?)root.Deserialize<Activity>(options),
            "Agent" or "Group" => root.Deserialize<Agent>(options),
            "StatementRef" => root.Deserialize<StatementRef>(options),
            "SubStatement" => root.Deserialize<SubStatement>(options),
            _ => null,
        } ?? throw new JsonException($"'{objectType}' is not an objectType a statement's object can have.");
    }

    public override void Write(Utf8JsonWriter writer, IStatementTarget value, JsonSerializerOptions options)
    {
        switch (value)
        {
            // As Agent, so that the objectType discriminator is written for agents and groups alike.
            case Agent agent: JsonSerializer.Serialize(writer, agent, options); break;
            default: JsonSerializer.Serialize(writer, value, value.GetType(), options); break;
        }
    }
}
