using Markdig.Extensions.TaskLists;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Nanolearning.Courses;

/// <summary>
/// Decides whether a piece of the syntax tree needs HtmlSanitizer after rendering. Markdig escapes all text and
/// attribute values, so the author's own markup reaches the HTML only as raw HTML, and only a URL's scheme can
/// make an escaped attribute unsafe. Anything else the sanitizer would change is harmless but removed all the
/// same: class attributes and task-list checkboxes. Without any of these, the rendered HTML is already what the
/// sanitizer would return, so sanitizing it (an AngleSharp parse, most of the compile time) is skipped.
/// PropertyTests checks this on random Markdown.
/// </summary>
internal static class SanitizerNeed
{
    private static readonly string[] SafeSchemes = ["http:", "https:", "mailto:", "tel:"];

    public static bool Any(IEnumerable<Block> blocks)
    {
        foreach (var block in blocks)
        {
            if (Needs(block))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Walks with an explicit stack: the tree's depth is checked, but not by this.</summary>
    public static bool Needs(MarkdownObject root)
    {
        var stack = new Stack<MarkdownObject>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node is HtmlBlock or HtmlInline or TaskList || node.TryGetAttributes() is not null)
            {
                return true;
            }

            switch (node)
            {
                case LinkInline link when link.GetDynamicUrl is not null || !IsPlainUrl(link.Url):
                    return true;
                case AutolinkInline { IsEmail: false } autolink when !IsPlainUrl(autolink.Url):
                    return true;
                case ContainerBlock container:
                    foreach (var child in container)
                    {
                        stack.Push(child);
                    }

                    break;
                case LeafBlock { Inline: { } inline }:
                    stack.Push(inline);
                    break;
                case ContainerInline inlineContainer:
                    for (var child = inlineContainer.FirstChild; child is not null; child = child.NextSibling)
                    {
                        stack.Push(child);
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>
    /// A URL the sanitizer keeps as it is: one with an allowed scheme, or one that cannot have a scheme at all.
    /// The sanitizer also reads "&amp;#58;" as a colon, so relative URLs with '&amp;' take the slow path too.
    /// </summary>
    private static bool IsPlainUrl(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return true;
        }

        foreach (var scheme in SafeSchemes)
        {
            if (url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return url.AsSpan().IndexOfAny(':', '&') < 0;
    }
}
