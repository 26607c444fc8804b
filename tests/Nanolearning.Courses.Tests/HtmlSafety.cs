using AngleSharp.Html.Parser;

namespace Nanolearning.Courses.Tests;

/// <summary>Inspects HTML as a browser would parse it, for anything that could run script.</summary>
internal static class HtmlSafety
{
    private static readonly string[] DangerousTags = ["script", "style", "iframe", "object", "embed", "form", "input", "button", "base", "meta", "link"];
    private static readonly string[] UrlAttributes = ["href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "background"];
    private static readonly string[] SafeSchemes = ["http", "https", "mailto", "tel"];

    /// <summary>Every problem found; empty when the HTML is safe.</summary>
    public static IEnumerable<string> Problems(string html)
    {
        var document = new HtmlParser().ParseDocument("<body>" + html + "</body>");
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            var tag = element.LocalName;
            if (DangerousTags.Contains(tag))
            {
                yield return $"<{tag}>";
            }

            foreach (var attribute in element.Attributes)
            {
                if (attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase))
                {
                    yield return $"{tag} {attribute.Name}=";
                }

                if (UrlAttributes.Contains(attribute.Name.ToLowerInvariant()) && !IsSafeUrl(attribute.Value))
                {
                    yield return $"{tag} {attribute.Name}=\"{attribute.Value}\"";
                }
            }
        }
    }

    /// <summary>All HTML a compiled lesson carries: its parts, questions and explanations.</summary>
    public static IEnumerable<string> Fragments(Lesson lesson) => lesson.Parts.SelectMany(part => part switch
    {
        HtmlPart html => [html.Html],
        QuestionPart { Question: var q } => [q.PromptHtml, q.ExplanationHtml ?? "", .. q.Options.Select(o => o.Html)],
        _ => Array.Empty<string>(),
    });

    private static bool IsSafeUrl(string url)
    {
        var compact = string.Concat(url.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)));
        var colon = compact.IndexOf(':');
        var slash = compact.IndexOfAny(['/', '?', '#']);
        var hasScheme = colon > 0 && (slash < 0 || colon < slash);
        return !hasScheme || SafeSchemes.Contains(compact[..colon], StringComparer.OrdinalIgnoreCase);
    }
}
