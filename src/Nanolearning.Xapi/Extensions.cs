using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nanolearning.Xapi;

/// <summary>
/// Extension values keyed by IRI (e.g. cmi5's <c>https://w3id.org/xapi/cmi5/context/extensions/sessionid</c>).
/// Values are any JSON, kept as <see cref="JsonElement"/> and compared by content.
/// </summary>
[JsonConverter(typeof(ExtensionsConverter))]
public sealed class Extensions : IReadOnlyDictionary<string, JsonElement>, IEquatable<Extensions>
{
    readonly Dictionary<string, JsonElement> values;

    public Extensions(IEnumerable<KeyValuePair<string, JsonElement>> values) =>
        this.values = values.ToDictionary(v => v.Key, v => v.Value.Clone());

    public static Extensions Empty { get; } = new([]);

    /// <summary>A copy with one more (or a replaced) value, serialized with the xAPI options.</summary>
    public Extensions With<T>(string iri, T value) =>
        new(values.Where(v => v.Key != iri).Append(new(iri, JsonSerializer.SerializeToElement(value, XapiJson.Options))));

    public JsonElement this[string key] => values[key];
    public IEnumerable<string> Keys => values.Keys;
    public IEnumerable<JsonElement> Values => values.Values;
    public int Count => values.Count;
    public bool ContainsKey(string key) => values.ContainsKey(key);
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out JsonElement value) => values.TryGetValue(key, out value);
    public IEnumerator<KeyValuePair<string, JsonElement>> GetEnumerator() => values.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(Extensions? other) =>
        other is not null && other.Count == Count
        && values.All(v => other.values.TryGetValue(v.Key, out var value) && JsonElement.DeepEquals(value, v.Value));

    public override bool Equals(object? obj) => Equals(obj as Extensions);

    // Keys only: equal JSON can be written differently (1.0 and 1), and equal keys are enough for a hash.
    public override int GetHashCode() => values.Keys.Aggregate(Count, (hash, key) => hash ^ key.GetHashCode());

    public override string ToString() => string.Join(", ", values.Select(v => $"{v.Key}: {v.Value.GetRawText()}"));
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
