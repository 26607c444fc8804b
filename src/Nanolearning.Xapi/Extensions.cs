using System.Collections.ObjectModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nanolearning.Xapi;

/// <summary>
/// Extension values keyed by IRI (e.g. cmi5's <c>https://w3id.org/xapi/cmi5/context/extensions/sessionid</c>).
/// Values are any JSON, kept as <see cref="JsonElement"/> and compared by content.
/// </summary>
[JsonConverter(typeof(ExtensionsConverter))]
public sealed class Extensions(IEnumerable<KeyValuePair<string, JsonElement>> values)
    : ReadOnlyDictionary<string, JsonElement>(values.ToDictionary(v => v.Key, v => v.Value.Clone())), IEquatable<Extensions>
{
    public static new Extensions Empty { get; } = new([]);

    /// <summary>A copy with one more (or a replaced) value, serialized with the xAPI options.</summary>
    public Extensions With<T>(string iri, T value) =>
        new(this.Where(v => v.Key != iri).Append(new(iri, JsonSerializer.SerializeToElement(value, XapiJson.Options))));

    public bool Equals(Extensions? other) =>
        other is not null && other.Count == Count
        && this.All(v => other.TryGetValue(v.Key, out var value) && JsonElement.DeepEquals(value, v.Value));

    public override bool Equals(object? obj) => Equals(obj as Extensions);

    // Keys only: equal JSON can be written differently (1.0 and 1), and equal keys are enough for a hash.
    public override int GetHashCode() => Keys.Aggregate(Count, (hash, key) => hash ^ key.GetHashCode());

    public override string ToString() => string.Join(", ", this.Select(v => $"{v.Key}: {v.Value.GetRawText()}"));
}

sealed class ExtensionsConverter : JsonConverter<Extensions>
{
    public override Extensions Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new JsonException("Extensions must be an object keyed by IRI.");
        var values = new Dictionary<string, JsonElement>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (!values.TryAdd(property.Name, property.Value))
                throw new JsonException($"Extension '{property.Name}' appears twice.");
        }
        return new Extensions(values);
    }

    public override void Write(Utf8JsonWriter writer, Extensions value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (iri, element) in value)
        {
            writer.WritePropertyName(iri);
            element.WriteTo(writer);
        }
        writer.WriteEndObject();
    }
}
