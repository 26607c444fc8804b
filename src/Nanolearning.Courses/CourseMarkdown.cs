using Ganss.Xss;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Nanolearning.Courses.Facts;

namespace Nanolearning.Courses;

/// <summary>The one Markdown pipeline and HTML sanitizer for course text; both are immutable and shared.</summary>
internal static class CourseMarkdown
{
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder()
        .UsePreciseSourceLocation()
        .UseYamlFrontMatter()
        .UseCustomContainers()
        .UseTaskLists()
        .UsePipeTables()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UseKommunFacts()
        .Build();

    // Lessons compile in parallel: HtmlSanitizer documents Sanitize as thread-safe on a shared instance whose
    // settings no longer change.
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>Removes anything that could run script or break the app's own forms.</summary>
    public static string Sanitize(string html) => Sanitizer.Sanitize(html);

    /// <summary>
    /// A sanitizer that reports what it removes, for telling the author; created per use because its events
    /// make it stateful.
    /// </summary>
    public static HtmlSanitizer CreateReportingSanitizer(Action<string> removed)
    {
        var sanitizer = CreateSanitizer();
        sanitizer.RemovingTag += (_, e) => removed($"<{e.Tag.LocalName}>");
        sanitizer.RemovingAttribute += (_, e) => removed($"attributet {e.Attribute.Name}");
        sanitizer.RemovingStyle += (_, e) => removed($"stilen {e.Style.Name}");
        return sanitizer;
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.UnionWith(["http", "https", "mailto", "tel"]);
        // The slot of a kommun fact ({{kommun.namn}}): the app fills it when it shows the lesson.
        sanitizer.AllowedAttributes.Add("data-fact");
        // Lesson HTML sits inside the app's own forms; nested form controls would break them.
        sanitizer.AllowedTags.ExceptWith(["form", "input", "button", "select", "option", "optgroup", "textarea", "fieldset", "legend", "label"]);
        return sanitizer;
    }
}

/// <summary>Renders parts of a Markdown syntax tree to HTML with one reusable renderer.</summary>
internal sealed class FragmentRenderer
{
    private readonly StringWriter _writer = new();
    private readonly HtmlRenderer _renderer;

    public FragmentRenderer()
    {
        _renderer = new HtmlRenderer(_writer);
        CourseMarkdown.Pipeline.Setup(_renderer);
    }

    /// <summary>HTML for <paramref name="blocks"/>, sanitized where <see cref="SanitizerNeed"/> finds a need.</summary>
    public string SafeBlocks(IEnumerable<Block> blocks)
    {
        var html = Blocks(blocks);
        return SanitizerNeed.Any(blocks) ? CourseMarkdown.Sanitize(html) : html;
    }

    /// <summary>The inline content of a paragraph as HTML, sanitized where <see cref="SanitizerNeed"/> finds a need.</summary>
    public string SafeInline(LeafBlock block)
    {
        var html = Inline(block);
        return SanitizerNeed.Needs(block) ? CourseMarkdown.Sanitize(html) : html;
    }

    /// <summary>Unsanitized HTML: only for <see cref="SafeBlocks"/> and tests.</summary>
    public string Blocks(IEnumerable<Block> blocks)
    {
        _writer.GetStringBuilder().Clear();
        foreach (var block in blocks)
        {
            _renderer.Render(block);
        }

        return Trimmed();
    }

    /// <summary>The inline content of a paragraph, without the paragraph element; unsanitized, like <see cref="Blocks"/>.</summary>
    public string Inline(LeafBlock block)
    {
        _writer.GetStringBuilder().Clear();
        _renderer.WriteLeafInline(block);
        return Trimmed();
    }

    /// <summary>What was written, without surrounding whitespace; copied once instead of ToString().Trim()'s twice.</summary>
    private string Trimmed()
    {
        _writer.Flush();
        var builder = _writer.GetStringBuilder();
        var start = 0;
        var end = builder.Length;
        while (start < end && char.IsWhiteSpace(builder[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(builder[end - 1]))
        {
            end--;
        }

        return builder.ToString(start, end - start);
    }
}
