using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

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
        if (unmapped == JsonUnmappedMemberHandling.Disallow)
        {
            options.TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { RefuseNull } };
        }

        options.Converters.Add(new TimestampConverter());
        options.Converters.Add(new DurationConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>
    /// xAPI 1.0.3, 2.2: a property set to <c>null</c> is a 400, except inside extensions (whose values are JSON
    /// elements, not properties of these types). Without this, <c>"registration": null</c> read as "no registration".
    /// </summary>
    static void RefuseNull(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || type.Type.Assembly != typeof(XapiJson).Assembly)
            return;
        foreach (var property in type.Properties)
        {
            if (property.Set is not { } set)
                continue;
            var name = property.Name;
            property.Set = (target, value) =>
            {
                if (value is null)
                    throw new JsonException($"'{name}' is null; leave a property out instead of setting it to null.");
                set(target, value);
            };
        }
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("Expected a value, found null.");
}
