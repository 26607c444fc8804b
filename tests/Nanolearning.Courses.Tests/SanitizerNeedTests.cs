using AngleSharp.Html.Parser;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Markdig;
using Markdig.Syntax;

namespace Nanolearning.Courses.Tests;

/// <summary>Random Markdown that also reaches the corners of Markdig's own HTML: attributes, odd URLs, entities.</summary>
public static class RenderedMarkdownGenerators
{
    private static readonly string[] Extra =
    [
        "~", "^", "++", "==", "::", "~~", "www.example.org ", "http://example.org/a?b=1&c=2 ", "https://example.org ", "ftp://example.org ",
        "<a@example.org>", "a@example.org ", "<mailto:a@example.org>", "<tel:+46123>", "<HTTPS://EXAMPLE.ORG>", "<data:text/html,x>",
        "[r]: /x \"t\"\n", "[r]: data:x\n", "[r]", "[r][]", "| a | b |\n", "|:-|-:|\n", "| 1 | 2 |\n", "```js\n", "```\n", "~~~ x\" y\n", "3. ",
        "&quot;", "&#0;", "&#58;", "&amp;", "javascript&#58;x", "[x](a?b:c)", "[x](a&#58;b)", "[x](<a b>)", "[x](/a \"t\\\"\")", "[x](#top)",
        "![x](media/bild.png \"t\")", "[x](//evil.example)", "[x](  java\tscript:x)", "  \n", "***\n", "\\<", "\\*", "::: info\n", "> ::: x\n",
    ];

    public static Arbitrary<MarkdownText> Markdown() =>
        Gen.Elements([.. MarkdownGenerators.Pieces, .. Extra]).ListOf().Select(pieces => new MarkdownText(string.Concat(pieces))).ToArbitrary();
}

[Properties(Arbitrary = [typeof(RenderedMarkdownGenerators)], MaxTest = 1000)]
public class SanitizerNeedTests
{
    private static readonly HtmlParser Parser = new();

    /// <summary>
    /// The fast path is safe if HtmlSanitizer would have changed nothing. Checked on every block of random Markdown,
    /// without the link checker, so the fast path does not lean on it.
    /// </summary>
    [Property]
    public bool Html_that_skips_the_sanitizer_is_html_the_sanitizer_would_leave_alone(MarkdownText body)
    {
        var document = Markdown.Parse(body.Text, CourseMarkdown.Pipeline);
        var renderer = new FragmentRenderer();
        foreach (var block in document.Descendants<Block>().Prepend(document))
        {
            if (!SanitizerNeed.Needs(block))
            {
                IEnumerable<Block> blocks = block is MarkdownDocument ? document : new[] { block };
                var html = renderer.Blocks(blocks);
                Assert.Equal(Normalize(CourseMarkdown.Sanitize(html)), Normalize(html));
            }

            if (block is LeafBlock { Inline: not null } leaf && !SanitizerNeed.Needs(leaf))
            {
                var html = renderer.Inline(leaf);
                Assert.Equal(Normalize(CourseMarkdown.Sanitize(html)), Normalize(html));
            }
        }

        return true;
    }

    [Theory]
    [InlineData("<b>fet</b>")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<!-- kommentar -->")]
    [InlineData("- [ ] en ruta")]
    [InlineData("```js\nkod\n```")]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](JaVaScRiPt:alert(1))")]
    [InlineData("[x](  javascript:alert(1))")]
    [InlineData("[x][a]\n\n[a]: javascript:alert(1)")]
    [InlineData("![x](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("<vbscript:x>")]
    [InlineData("[x](a&#58;b)")]
    public void Raw_html_checkboxes_classes_and_urls_with_other_schemes_take_the_sanitizer(string markdown) =>
        Assert.True(SanitizerNeed.Needs(Markdown.Parse(markdown, CourseMarkdown.Pipeline)));

    [Theory]
    [InlineData("Text med **fetstil**, `kod` och &lt;script&gt;.")]
    [InlineData("Se [anhörigstöd](https://www.anhoriga.se \"titel\") och www.anhoriga.se.")]
    [InlineData("Läs [nästa](02-nasta.md#del) och se ![bild](media/bild.png).")]
    [InlineData("Mejla <info@example.org> eller <mailto:info@example.org>.")]
    [InlineData("| a | b |\n|:-|-:|\n| 1 | 2 |")]
    [InlineData("```\nkod utan språk\n```")]
    public void Plain_markdown_skips_the_sanitizer(string markdown) =>
        Assert.False(SanitizerNeed.Needs(Markdown.Parse(markdown, CourseMarkdown.Pipeline)));

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x][a]\n\n[a]: javascript:alert(1)")]
    [InlineData("![x](javascript:alert(1))")]
    [InlineData("<javascript:alert(1)>")]
    public void Unsafe_urls_never_reach_the_compiled_lesson(string markdown)
    {
        using var course = new TempCourse();
        course.Write("01-lank.md", TempCourse.Lesson("Text.\n\n" + markdown + "\n"));

        var lesson = PropertyTests.CompileLessonEvenWithErrors(course, "01-lank.md")!.Lesson;

        var html = string.Concat(HtmlSafety.Fragments(lesson));
        Assert.DoesNotContain("script:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(HtmlSafety.Fragments(lesson).SelectMany(HtmlSafety.Problems));
    }

    /// <summary>
    /// The same DOM written the same way: AngleSharp reserializes both sides (br, quotes in text), and the sanitizer
    /// rewrites style declarations without the final semicolon.
    /// </summary>
    private static string Normalize(string html)
    {
        var document = Parser.ParseDocument("<body>" + html + "</body>");
        foreach (var element in document.Body!.QuerySelectorAll("[style]"))
        {
            element.SetAttribute("style", element.GetAttribute("style")!.Trim().TrimEnd(';'));
        }

        return document.Body.InnerHtml;
    }
}
