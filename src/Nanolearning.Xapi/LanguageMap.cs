using System.Collections.ObjectModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nanolearning.Xapi;

/// <summary>
/// Texts keyed by RFC 5646 language tag (<c>{"sv-SE": "slutförde"}</c>), immutable and compared by content.
/// </summary>
[JsonConverter(typeof(LanguageMapConverter))]
public sealed class LanguageMap(IEnumerable<KeyValuePair<string, string>> texts)
    : ReadOnlyDictionary<string, string>(new Dictionary<string, string>(texts)), IEquatable<LanguageMap>
{
    public LanguageMap(string language, string text) : this([new(language, text)]) { }

    public bool Equals(LanguageMap? other) =>
        other is not null && other.Count == Count && this.All(t => other.TryGetValue(t.Key, out var text) && text == t.Value);

    public override bool Equals(object? obj) => Equals(obj as LanguageMap);

    // Order-independent, like Equals.
    public override int GetHashCode() => this.Aggregate(Count, (hash, t) => hash ^ HashCode.Combine(t.Key, t.Value));

    public override string ToString() => string.Join(", ", this.Select(t => $"{t.Key}: {t.Value}"));
}

sealed class LanguageMapConverter : JsonConverter<LanguageMap>
{
    public override LanguageMap Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("A language map must be an object.");
        var texts = new Dictionary<string, string>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var language = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
                throw new JsonException($"The text for language '{language}' must be a string.");
            if (!texts.TryAdd(language, reader.GetString()!))
                throw new JsonException($"Language '{language}' appears twice in a language map.");
        }
        return new LanguageMap(texts);
    }

    public override void Write(Utf8JsonWriter writer, LanguageMap value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (language, text) in value)
            writer.WriteString(language, text);
        writer.WriteEndObject();
    }
}
