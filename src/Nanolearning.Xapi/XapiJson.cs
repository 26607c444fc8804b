using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nanolearning.Xapi;

/// <summary>
/// The JSON options for xAPI: camelCase names, nulls left out, xAPI timestamps and durations, required properties
/// and non-nullable types enforced on read. Malformed values (a bad UUID, a timestamp without a zone, a negative
/// duration) fail as <see cref="JsonException"/> naming the path; <see cref="StatementValidator"/> checks the rest.
/// </summary>
public static class XapiJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions(JsonUnmappedMemberHandling.Skip);

    /// <summary>
    /// For an LRS reading a client's statements: properties the spec does not define are errors (a misspelt
    /// <c>"dispaly"</c>, an <c>id</c> on a sub-statement). Clients read LRS answers leniently with <see cref="Options"/>.
    /// </summary>
    public static JsonSerializerOptions StrictOptions { get; } = CreateOptions(JsonUnmappedMemberHandling.Disallow);

    static JsonSerializerOptions CreateOptions(JsonUnmappedMemberHandling unmapped)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // objectType need not come first in a client's JSON.
            AllowOutOfOrderMetadataProperties = true,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            UnmappedMemberHandling = unmapped,
        };
        options.Converters.Add(new TimestampConverter());
        options.Converters.Add(new DurationConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("Expected a value, found null.");
}
