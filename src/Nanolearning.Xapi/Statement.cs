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

    /// <summary>Files that go with the statement (certificates, signatures): their metadata; the bytes travel in a multipart body or at <c>fileUrl</c>.</summary>
    public ValueList<Attachment>? Attachments { get; init; }
}

/// <summary>
/// One attachment's metadata (xAPI 1.0.3, 2.4.11). The bytes are identified by <see cref="Sha2"/>: sent as a part
/// of a <c>multipart/mixed</c> request with that hash as <c>X-Experience-API-Hash</c>, or found at <see cref="FileUrl"/>.
/// </summary>
public sealed record Attachment
{
    /// <summary>What the attachment is for, an IRI (<c>http://adlnet.gov/expapi/attachments/signature</c> for a JWS).</summary>
    public required string UsageType { get; init; }
    public required LanguageMap Display { get; init; }
    public LanguageMap? Description { get; init; }
    public required string ContentType { get; init; }
    public required long Length { get; init; }

    /// <summary>Hex SHA-2 (usually SHA-256) of the attachment's bytes.</summary>
    public required string Sha2 { get; init; }

    public string? FileUrl { get; init; }
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
[JsonConverter(typeof(StatementRefConverter))]
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

/// <summary>
/// Reads a StatementRef whose <c>objectType</c>, when given, is exactly <c>StatementRef</c> (a context's
/// <c>statement</c> with <c>"objectType": "statementref"</c> is refused, as the spec's case-sensitive values ask).
/// The record's <see cref="StatementRef.ObjectType"/> is computed, so without this any objectType passed unread.
/// </summary>
sealed class StatementRefConverter : JsonConverter<StatementRef>
{
    public override StatementRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("A StatementRef must be an object.");
        Guid? id = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "objectType" when reader.TokenType == JsonTokenType.String && reader.GetString() == "StatementRef":
                    break;
                case "objectType":
                    throw new JsonException("A StatementRef's objectType must be \"StatementRef\".");
                case "id" when reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out var parsed):
                    id = parsed;
                    break;
                case "id":
                    throw new JsonException("A StatementRef's id must be a UUID.");
                default:
                    if (options.UnmappedMemberHandling == JsonUnmappedMemberHandling.Disallow)
                        throw new JsonException($"'{name}' is not a property of a StatementRef.");
                    reader.Skip();
                    break;
            }
        }
        return id is { } value ? new StatementRef(value) : throw new JsonException("A StatementRef needs an id.");
    }

    public override void Write(Utf8JsonWriter writer, StatementRef value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("objectType", "StatementRef");
        writer.WriteString("id", value.Id);
        writer.WriteEndObject();
    }
}
