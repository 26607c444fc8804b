using System.Collections.Frozen;

namespace Nanolearning.Courses.Media;

/// <summary>
/// The kinds of file a course's <c>media/</c> folder may hold: images, audio, video and PDF, by extension, each with
/// the one content type the app serves it as. Anything else there is a compile error: a browser runs an HTML or
/// JavaScript file from the app's own origin, around the sanitizer that cleans the lessons.
/// </summary>
public static class MediaTypes
{
    /// <summary>Allowed extensions (lower case, with the dot) and their content types.</summary>
    public static FrozenDictionary<string, string> ByExtension { get; } = new Dictionary<string, string>
    {
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
        [".avif"] = "image/avif",
        [".svg"] = "image/svg+xml",
        [".mp3"] = "audio/mpeg",
        [".m4a"] = "audio/mp4",
        [".ogg"] = "audio/ogg",
        [".wav"] = "audio/wav",
        [".mp4"] = "video/mp4",
        [".webm"] = "video/webm",
        [".pdf"] = "application/pdf",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The allowed kinds as an author reads them in a diagnostic.</summary>
    public const string Described = "bilder (png, jpg, gif, webp, avif, svg), ljud (mp3, m4a, ogg, wav), film (mp4, webm) och pdf";

    /// <summary>The content type <paramref name="path"/> is served as, or null when its kind is not allowed.</summary>
    public static string? ContentTypeOf(string path) => ByExtension.GetValueOrDefault(Path.GetExtension(path));

    /// <summary>Whether <paramref name="path"/> names an SVG image, which is XML and must be checked for script.</summary>
    public static bool IsSvg(string path) => Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase);
}
