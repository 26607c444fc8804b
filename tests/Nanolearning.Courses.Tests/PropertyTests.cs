using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Nanolearning.Courses.Tests;

/// <summary>Random Markdown built from the pieces that matter: course blocks, lists, links and hostile HTML.</summary>
public sealed record MarkdownText(string Text)
{
    public override string ToString() => Text;
}

public static class MarkdownGenerators
{
    internal static readonly string[] Pieces =
    [
        "\n", "\n\n", "  ", "text ", "Anhöriga ", "å ä ö ", "# ", "## ", "- ", "- [ ] ", "- [x] ", "1. ", "> ", "    ", "```\n", "`",
        "*", "**", "_", "~~", "[", "]", "(", ")", "![", "](", "<", ">", "&", "\"", "'", "|", "---\n", ":::", "::: quiz\n",
        "::: reflektion\n", "::: diskussion Case\n", ":::\n", "::::", "{", "}", "\\", "\t", "\r\n", "\u0000", "\uFEFF",
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=\"javascript:alert(1)\">x</a>", "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))", "[x](&#106;avascript:alert(1))", "![x](data:text/html;base64,PHNjcmlwdD4=)", "<svg onload=alert(1)>",
        "<iframe src=//evil>", "<style>*{}</style>", "<form action=//evil><input></form>", "<div style=\"background:url(javascript:x)\">",
        "<a href=\"  javascript:alert(1)\">", "<https://example.org>", "<javascript:alert(1)>", "[a]: javascript:alert(1)\n[a]\n",
        "<!-- kommentar -->", "<details open ontoggle=alert(1)>", "<math><mi xlink:href=\"javascript:alert(1)\">",
        "media/bild.png", "02-annan.md", "../../etc/passwd",
    ];

    public static Arbitrary<MarkdownText> Markdown() =>
        Gen.Elements(Pieces).ListOf().Select(pieces => new MarkdownText(string.Concat(pieces))).ToArbitrary();
}

[Properties(Arbitrary = [typeof(MarkdownGenerators)], MaxTest = 400)]
public class PropertyTests
{
    [Property]
    public bool Random_markdown_never_throws_and_never_yields_html_that_can_run_script(MarkdownText body)
    {
        using var course = new TempCourse();
        course.Write("01-slump.md", TempCourse.Lesson(body.Text));

        var result = CompileLessonEvenWithErrors(course);

        var problems = result is null
            ? []
            : HtmlSafety.Fragments(result.Lesson).Concat(result.Discussions.Select(d => d.Html)).SelectMany(HtmlSafety.Problems).ToList();
        Assert.Empty(problems);
        return true;
    }

    /// <summary>This seed once gave a link diagnostic one line past the end of the file.</summary>
    [Property(Replay = "12848920894541339927,17342869885775141365,92")]
    public bool Every_diagnostic_points_inside_the_file_for_a_seed_that_once_failed(MarkdownText body) =>
        Every_diagnostic_points_inside_the_file(body);

    [Property]
    public bool Every_diagnostic_points_inside_the_file(MarkdownText body)
    {
        using var course = new TempCourse();
        var text = TempCourse.Lesson(body.Text);
        course.Write("01-slump.md", text);
        var lines = text.Split('\n').Length;

        foreach (var diagnostic in course.Compile().Diagnostics.Where(d => d.File.EndsWith(".md", StringComparison.Ordinal)))
        {
            Assert.True(diagnostic.Line >= 1 && diagnostic.Line <= lines, $"{diagnostic} (the file has {lines} lines)");
            Assert.True(diagnostic.Column >= 1);
        }

        return true;
    }

    /// <summary>The public API withholds a course with errors; these properties are about the HTML regardless.</summary>
    internal static LessonResult? CompileLessonEvenWithErrors(TempCourse course, string fileName = "01-slump.md")
    {
        var path = Path.Combine(course.Folder, fileName);
        var file = new LessonFile(path, path, fileName, 1, fileName[3..^3]);
        return new LessonCompiler(CompilerOptions.Default).Compile(file, course.Folder, new Dictionary<string, string>(), new DiagnosticBag());
    }
}
