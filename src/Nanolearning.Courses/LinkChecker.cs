using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Nanolearning.Courses.Media;

namespace Nanolearning.Courses;

/// <summary>
/// Checks every link and image in a lesson and rewrites links to other lessons (<c>04-sekretess.md</c>) to the
/// lesson's id, which is what the app serves next to the current lesson. Works on the syntax tree, before any
/// HTML exists.
/// </summary>
internal sealed class LinkChecker(string file, string courseFolder, IReadOnlyDictionary<string, string> lessonIdsByFileName, DiagnosticBag diagnostics)
{
    private static readonly string[] SafeSchemes = ["http", "https", "mailto", "tel"];

    /// <summary>Checks <paramref name="links"/>: the <see cref="LinkInline"/>s and <see cref="AutolinkInline"/>s of a lesson.</summary>
    public void Check(List<Inline> links)
    {
        foreach (var inline in links)
        {
            switch (inline)
            {
                case LinkInline link:
                    CheckLink(link);
                    break;
                case AutolinkInline autolink when !IsSafeAbsolute(autolink.Url, out _):
                    Error(DiagnosticCode.UnsafeLink, autolink, $"Länken '{autolink.Url}' är inte tillåten. Använd en adress som börjar med https://.");
                    autolink.Url = "";
                    break;
            }
        }
    }

    private void CheckLink(LinkInline link)
    {
        var url = link.GetDynamicUrl?.Invoke() ?? link.Url ?? "";
        var what = link.IsImage ? "Bilden" : "Länken";

        if (link.IsImage && string.IsNullOrWhiteSpace(AltText(link)))
        {
            Error(DiagnosticCode.ImageWithoutAltText, link,
                $"Bilden '{url}' saknar alternativtext. Beskriv bilden inom hakparenteserna: ![beskrivning]({url}).");
        }

        if (HasScheme(url) || url.StartsWith("//", StringComparison.Ordinal))
        {
            if (!IsSafeAbsolute(url, out var shown))
            {
                Error(DiagnosticCode.UnsafeLink, link, $"{what} '{shown}' är inte tillåten. Använd en adress som börjar med https://, mailto: eller tel:.");
                link.Url = "";
            }

            return;
        }

        var hash = url.IndexOf('#');
        var path = hash >= 0 ? url[..hash] : url;
        var fragment = hash >= 0 ? url[hash..] : "";
        var query = path.IndexOf('?');
        if (query >= 0)
        {
            path = path[..query];
        }

        if (path.Length == 0)
        {
            return; // a link within the page
        }

        path = Uri.UnescapeDataString(path);
        var root = Path.GetFullPath(courseFolder);
        var target = Path.GetFullPath(Path.Combine(root, path));
        if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            Error(DiagnosticCode.LinkOutsideCourse, link, $"{what} '{url}' pekar utanför kursmappen. Lägg filen i kursens mapp media/.");
            return;
        }

        var relative = Path.GetRelativePath(root, target).Replace(Path.DirectorySeparatorChar, '/');
        if (!link.IsImage && lessonIdsByFileName.TryGetValue(relative, out var lessonId))
        {
            link.Url = lessonId + fragment;
            return;
        }

        if (relative.StartsWith(MediaFolder.Name + "/", StringComparison.Ordinal) && MediaTypes.ContentTypeOf(relative) is null)
        {
            Error(DiagnosticCode.MediaTypeNotAllowed, link,
                $"{what} '{url}' pekar på en fil som inte får ligga i media/. Där får bara {MediaTypes.Described} ligga.");
            return;
        }

        if (!File.Exists(target))
        {
            if (link.IsImage)
            {
                Error(DiagnosticCode.BrokenImage, link, $"Bilden '{url}' finns inte i kursmappen.");
            }
            else
            {
                Error(DiagnosticCode.BrokenLink, link, $"Länken '{url}' pekar på en fil som inte finns i kursen.");
            }
        }
    }

    private static string AltText(LinkInline image) =>
        string.Concat(image.Descendants<LiteralInline>().Select(l => l.Content.ToString()));

    private static bool HasScheme(string url)
    {
        var colon = url.IndexOf(':');
        var end = url.IndexOfAny(['/', '?', '#']);
        return colon > 0 && (end < 0 || colon < end);
    }

    /// <summary>Browsers ignore tabs, newlines and control characters inside a scheme ("java\tscript:"), so we do too.</summary>
    private static bool IsSafeAbsolute(string url, out string shown)
    {
        var compact = string.Concat(url.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)));
        shown = compact.Length > 40 ? compact[..40] + "…" : compact;
        var colon = compact.IndexOf(':');
        if (colon <= 0)
        {
            return false; // "//host/…": the scheme must be written out
        }

        var scheme = compact[..colon];
        return SafeSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase);
    }

    private void Error(DiagnosticCode code, Inline inline, string message) =>
        diagnostics.Error(code, file, inline.Line + 1, inline.Column + 1, message);
}
