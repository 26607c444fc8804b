using System.Text.Encodings.Web;
using System.Text.Json;

namespace Nanolearning.Courses;

/// <summary>The JSON form of a compiled course: what <c>compile</c> writes and what the app can store per version.</summary>
public static class CourseJson
{
    /// <summary>
    /// camelCase, indented and with Swedish letters unescaped, for people to read. The HTML inside is sanitized
    /// already; this JSON is a file, never inlined into a page.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(CompiledCourse course) => JsonSerializer.Serialize(course, Options);

    public static CompiledCourse Deserialize(string json) =>
        JsonSerializer.Deserialize<CompiledCourse>(json, Options) ?? throw new JsonException("Empty course JSON.");
}
