using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nanolearning.Xapi;

/// <summary>Where a statement belongs: the enrolment (registration), parent and category activities, language.</summary>
public sealed record Context
{
    /// <summary>One enrolment of one learner in one course; all statements of an attempt share it.</summary>
    public Guid? Registration { get; init; }

    public Agent? Instructor { get; init; }
    [JsonConverter(typeof(GroupAsAgentConverter))]
    public Group? Team { get; init; }
    public ContextActivities? ContextActivities { get; init; }
    public string? Revision { get; init; }
    public string? Platform { get; init; }

    /// <summary>RFC 5646 tag of the language the experience happened in, e.g. <c>sv-SE</c>.</summary>
    public string? Language { get; init; }

    public StatementRef? Statement { get; init; }
    public Extensions? Extensions { get; init; }
}

/// <summary>
/// Activities around the statement's object. Clients may send one activity instead of an array; it is read as an
/// array of one and always written as an array, as the spec asks of an LRS.
/// </summary>
public sealed record ContextActivities
{
    [JsonConverter(typeof(OneOrManyActivitiesConverter))]
    public ValueList<Activity>? Parent { get; init; }

    [JsonConverter(typeof(OneOrManyActivitiesConverter))]
    public ValueList<Activity>? Grouping { get; init; }

    [JsonConverter(typeof(OneOrManyActivitiesConverter))]
    public ValueList<Activity>? Category { get; init; }

    [JsonConverter(typeof(OneOrManyActivitiesConverter))]
    public ValueList<Activity>? Other { get; init; }
}

sealed class OneOrManyActivitiesConverter : JsonConverter<ValueList<Activity>>
{
    public override ValueList<Activity> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.StartObject
            ? [JsonSerializer.Deserialize<Activity>(ref reader, options)!]
            : JsonSerializer.Deserialize<ValueList<Activity>>(ref reader, options)!;

    public override void Write(Utf8JsonWriter writer, ValueList<Activity> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}

/// <summary>
/// Writes and reads a property declared as <see cref="Group"/> through <see cref="Agent"/>, where the objectType
/// discriminator lives; declared as Group, it would be written without <c>"objectType": "Group"</c>.
/// </summary>
sealed class GroupAsAgentConverter : JsonConverter<Group>
{
    public override Group Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<Agent>(ref reader, options) as Group ?? throw new JsonException("A team must have objectType Group.");

    public override void Write(Utf8JsonWriter writer, Group value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize<Agent>(writer, value, options);
}
