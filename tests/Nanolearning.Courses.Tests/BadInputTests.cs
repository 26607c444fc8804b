using System.Text;

namespace Nanolearning.Courses.Tests;

/// <summary>
/// Inputs too large or too hostile to keep in the corpus folder are generated here. Each must produce a clear
/// diagnostic, never an exception, a stack overflow or a hang.
/// </summary>
public class BadInputTests
{
    /// <summary>Diagnostics only these tests exercise (the corpus covers the rest).</summary>
    internal static readonly DiagnosticCode[] CodesCovered = [DiagnosticCode.FileTooLarge];

    [Fact]
    public void A_10_MB_lesson_is_reported_as_too_large_without_being_parsed()
    {
        using var course = new TempCourse();
        course.Write("01-stor.md", TempCourse.Lesson(new string('a', 10 * 1024 * 1024)));

        var result = course.Compile();

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCode.FileTooLarge);
        Assert.Equal("01-stor.md", Path.GetFileName(diagnostic.File));
        Assert.Contains("högst 256 kB", diagnostic.Message);
        Assert.Null(result.Course);
    }

    [Fact]
    public void A_10_MB_course_yml_is_reported_as_too_large()
    {
        using var course = new TempCourse(TempCourse.DefaultCourseYml + "\n#" + new string('x', 10 * 1024 * 1024));
        course.Write("01-lektion.md", TempCourse.Lesson("Text."));

        var result = course.Compile();

        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCode.FileTooLarge && d.File.EndsWith("course.yml"));
    }

    public static TheoryData<string, string> DeeplyNested() => new()
    {
        { "10 000 nested lists", string.Concat(Enumerable.Repeat("- ", 10_000)) + "x" },
        { "10 000 nested quotes", string.Concat(Enumerable.Repeat("> ", 10_000)) + "x" },
        // 10 000 indented levels are ~100 MB of text: the size limit stops them before parsing.
        { "10 000 indented lists", string.Join("\n", Enumerable.Range(0, 10_000).Select(i => new string(' ', i * 2) + "- x")) },
        { "400 indented lists", string.Join("\n", Enumerable.Range(0, 400).Select(i => new string(' ', i * 2) + "- x")) },
        { "10 000 nested emphasis", new string('*', 10_000) + "x" + new string('*', 10_000) },
        { "10 000 nested containers", string.Concat(Enumerable.Repeat("::: diskussion\n", 10_000)) + "x" },
    };

    [Theory]
    [MemberData(nameof(DeeplyNested))]
    public void Deeply_nested_markdown_gives_a_diagnostic_not_a_crash(string name, string body)
    {
        using var course = new TempCourse();
        course.Write("01-djup.md", TempCourse.Lesson(body));

        var result = course.Compile();

        Assert.Null(result.Course);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.True(diagnostic.Code is DiagnosticCode.NestingTooDeep or DiagnosticCode.FileTooLarge, $"{name}: {diagnostic}");
    }

    [Fact]
    public void Ten_thousand_nested_links_parse_flat_as_commonmark_says_and_only_the_broken_link_is_an_error()
    {
        using var course = new TempCourse();
        course.Write("01-lankar.md", TempCourse.Lesson(new string('[', 10_000) + "x" + string.Concat(Enumerable.Repeat("](y)", 10_000))));

        var errors = course.Compile().Diagnostics.Where(d => d.Severity == Severity.Error);

        Assert.Equal(DiagnosticCode.BrokenLink, Assert.Single(errors).Code);
    }

    [Fact]
    public void Ten_thousand_unclosed_html_tags_compile_to_safe_html_with_a_warning_free_result()
    {
        using var course = new TempCourse();
        course.Write("01-spans.md", TempCourse.Lesson(string.Concat(Enumerable.Repeat("<span>", 10_000)) + "x <script>alert(1)</script>"));

        var result = PropertyTests.CompileLessonEvenWithErrors(course, "01-spans.md");

        Assert.NotNull(result);
        Assert.Empty(HtmlSafety.Fragments(result.Lesson).SelectMany(HtmlSafety.Problems));
    }

    [Fact]
    public void Random_binary_junk_is_reported_and_never_throws()
    {
        var random = new Random(20261123);
        for (var i = 0; i < 50; i++)
        {
            var junk = new byte[random.Next(1, 20_000)];
            random.NextBytes(junk);
            using var course = new TempCourse();
            course.Write("01-skrap.md", junk).Write("media/bild.png", junk);

            var result = course.Compile();

            Assert.True(result.HasErrors);
            Assert.Contains(result.Diagnostics, d => d.File.EndsWith("01-skrap.md"));
        }
    }

    [Fact]
    public void Binary_junk_as_course_yml_is_reported_at_the_first_bad_byte()
    {
        using var course = new TempCourse();
        course.Write("course.yml", [(byte)'i', (byte)'d', (byte)':', 0xFF, 0x00, 0x13]).Write("01-lektion.md", TempCourse.Lesson("Text."));

        var result = course.Compile();

        var diagnostic = Assert.Single(result.Diagnostics, d => d.File.EndsWith("course.yml"));
        Assert.Equal(DiagnosticCode.FileIsBinary, diagnostic.Code);
        Assert.Equal((1, 5), (diagnostic.Line, diagnostic.Column));
    }

    [Fact]
    public void A_yaml_bomb_in_front_matter_is_refused_before_it_expands()
    {
        var bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'j'; level++)
        {
            var previous = (char)(level - 1);
            bomb.Append($"{level}: &{level} [{string.Join(",", Enumerable.Repeat("*" + previous, 9))}]\n");
        }

        using var course = new TempCourse();
        course.Write("01-bomb.md", TempCourse.Lesson("Text.", extraFrontMatter: bomb.ToString()));

        var result = course.Compile();

        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCode.YamlTooComplex && d.Line == 4);
    }

    [Fact]
    public void A_lesson_in_latin1_is_reported_at_the_first_byte_that_is_not_utf8()
    {
        using var course = new TempCourse();
        course.Write("01-latin1.md", Encoding.Latin1.GetBytes(TempCourse.Lesson("Anhöriga finns.")));

        var diagnostic = Assert.Single(course.Compile().Diagnostics);

        Assert.Equal(DiagnosticCode.FileNotUtf8, diagnostic.Code);
        Assert.Equal((6, 4), (diagnostic.Line, diagnostic.Column)); // the ö in "Anhöriga"
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_accepted()
    {
        using var course = new TempCourse();
        course.Write("01-bom.md", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(TempCourse.Lesson("Text med BOM."))]);

        var result = course.Compile();

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
    }
}
