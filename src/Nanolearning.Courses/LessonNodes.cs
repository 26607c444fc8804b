using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Nanolearning.Courses;

/// <summary>
/// What the checks after parsing need from a lesson's syntax tree, found in one walk instead of one per check:
/// a node nested too deep, the links, the raw HTML and the references to the kommun's facts.
/// </summary>
internal sealed class LessonNodes
{
    private LessonNodes()
    {
    }

    /// <summary>Every <see cref="LinkInline"/> (links and images) and <see cref="AutolinkInline"/>.</summary>
    public List<Inline> Links { get; } = [];

    /// <summary>Every <c>{{name}}</c> reference to one of the kommun's facts.</summary>
    public List<Facts.FactInline> Facts { get; } = [];

    /// <summary>Every <see cref="HtmlBlock"/> and <see cref="HtmlInline"/>.</summary>
    public List<MarkdownObject> RawHtml { get; } = [];

    /// <summary>The first node found deeper than allowed; when set, the walk stopped and the lists are incomplete.</summary>
    public MarkdownObject? TooDeep { get; private set; }

    /// <summary>
    /// Walks with an explicit stack and stops at the first node deeper than <paramref name="maxDepth"/>, so absurd
    /// nesting is caught before anything recursive (rendering, sanitizing, statistics) touches the tree.
    /// </summary>
    public static LessonNodes Collect(MarkdownDocument document, int maxDepth)
    {
        var nodes = new LessonNodes();
        var stack = new Stack<(MarkdownObject Node, int Depth)>();
        stack.Push((document, 0));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            if (depth > maxDepth)
            {
                nodes.TooDeep = node;
                return nodes;
            }

            switch (node)
            {
                case ContainerBlock container:
                    foreach (var child in container)
                    {
                        stack.Push((child, depth + 1));
                    }

                    break;
                case HtmlBlock:
                    nodes.RawHtml.Add(node);
                    break;
                case LeafBlock { Inline: { } inline }:
                    stack.Push((inline, depth + 1));
                    break;
                case AutolinkInline autolink:
                    nodes.Links.Add(autolink);
                    break;
                case HtmlInline:
                    nodes.RawHtml.Add(node);
                    break;
                case Facts.FactInline fact:
                    nodes.Facts.Add(fact);
                    break;
                case ContainerInline inlineContainer:
                    if (inlineContainer is LinkInline link)
                    {
                        nodes.Links.Add(link);
                    }

                    for (var child = inlineContainer.FirstChild; child is not null; child = child.NextSibling)
                    {
                        stack.Push((child, depth + 1));
                    }

                    break;
            }
        }

        return nodes;
    }
}
