using Nanolearning.Courses.Media;

namespace Nanolearning.Courses.Tests;

/// <summary>
/// What a course's folder may hold for the app to serve: no symbolic links (git keeps them, so they are made here,
/// not kept in the corpus), in media/ only images, audio, video and PDF, and no SVG that could run script.
/// </summary>
public class MediaFolderTests
{
    /// <summary>Diagnostics only these tests exercise (the corpus covers the rest).</summary>
    internal static readonly DiagnosticCode[] CodesCovered = [DiagnosticCode.SymbolicLink];

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    // Without pass_threshold, which a course without a final quiz would get a warning for.
    private static TempCourse CourseWithLesson(string body = "Text.") =>
        new TempCourse("id: testkurs\ntitle: Testkurs\naudiences: [medarbetare]\nsummary: En kurs för test.\nreviewed: 2026-12-02\nreviewed_by: Testredaktionen\n")
            .Write("01-lektion.md", TempCourse.Lesson(body));

    [Theory]
    [InlineData("media/x.html")]
    [InlineData("media/x.js")]
    [InlineData("media/spel/x.htm")]
    [InlineData("media/x.xhtml")]
    [InlineData("media/x.svgz")]
    [InlineData("media/x.css")]
    [InlineData("media/x.json")]
    [InlineData("media/x")]
    public void A_file_of_another_kind_in_media_is_an_error_at_the_file(string path)
    {
        using var course = CourseWithLesson();
        course.Write(path, "<script>alert(1)</script>");

        var result = course.Compile();

        Assert.Null(result.Course);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCode.MediaTypeNotAllowed, error.Code);
        Assert.Equal($"{path}:1:1: error: Filen '{path}' får inte ligga i media/. Där får bara {MediaTypes.Described} ligga.", CorpusTests.Relative(course.Folder, error));
    }

    [Fact]
    public void Images_audio_video_and_pdf_are_listed_for_serving_and_hidden_files_are_left_out()
    {
        using var course = CourseWithLesson("![Familjen](media/bilder/familj.PNG)");
        foreach (var name in new[] { "bilder/familj.PNG", "foto.jpg", "foto.jpeg", "rorlig.gif", "bild.webp", "bild.avif", "ljud.mp3", "ljud.m4a", "ljud.ogg", "ljud.wav", "film.mp4", "film.webm", "broschyr.pdf" })
        {
            course.Write("media/" + name, Png);
        }

        course.Write("media/.DS_Store", "x").Write("media/.utkast/sida.html", "<script></script>");

        var result = course.Compile();

        Assert.Empty(result.Diagnostics);
        Assert.Equal(13, result.Course!.Media.Length);
        Assert.Contains(result.Course.Media, m => m.Path == "media/bilder/familj.PNG" && m.Bytes == Png.Length);
        Assert.DoesNotContain(result.Course.Media, m => m.Path.Contains("/."));
    }

    [Fact]
    public void A_lesson_linking_to_a_file_of_another_kind_in_media_gets_the_error_at_the_link()
    {
        using var course = CourseWithLesson("Spela [spelet](media/spel.html).");
        course.Write("media/spel.html", "<p>Spel</p>");

        var result = course.Compile();

        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCode.MediaTypeNotAllowed && d.File.EndsWith("01-lektion.md") && (d.Line, d.Column) == (6, 7));
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCode.MediaTypeNotAllowed && d.File.EndsWith("spel.html") && (d.Line, d.Column) == (1, 1));
    }

    [Fact]
    public void A_symbolic_link_in_media_is_an_error_and_is_not_listed()
    {
        using var course = CourseWithLesson();
        course.Write("media/bild.png", Png);
        File.CreateSymbolicLink(Path.Combine(course.Folder, "media", "losen.png"), "/etc/passwd");

        var result = course.Compile();

        Assert.Null(result.Course);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCode.SymbolicLink, error.Code);
        Assert.StartsWith("media/losen.png:1:1: error: 'media/losen.png' är en symbolisk länk.", CorpusTests.Relative(course.Folder, error));
    }

    [Fact]
    public void A_linked_media_folder_is_an_error_and_nothing_behind_it_is_read()
    {
        using var course = CourseWithLesson();
        var elsewhere = Path.Combine(course.Root, "annanstans");
        Directory.CreateDirectory(elsewhere);
        File.WriteAllBytes(Path.Combine(elsewhere, "bild.png"), Png);
        File.WriteAllText(Path.Combine(elsewhere, "sida.html"), "<script></script>");
        Directory.CreateSymbolicLink(Path.Combine(course.Folder, "media"), elsewhere);

        var result = course.Compile();

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCode.SymbolicLink, error.Code);
        Assert.Equal("media", Path.GetFileName(error.File));
    }

    [Fact]
    public void A_linked_lesson_or_course_yml_is_an_error_and_is_never_read()
    {
        using var course = CourseWithLesson();
        var secret = Path.Combine(course.Root, "hemlig.txt");
        File.WriteAllText(secret, "---\ntitle: Hemligt lösenord hunter2\nminutes: x\n---\n");
        File.CreateSymbolicLink(Path.Combine(course.Folder, "02-hemlig.md"), secret);
        course.Delete("course.yml");
        File.CreateSymbolicLink(Path.Combine(course.Folder, "course.yml"), secret);

        var result = course.Compile();

        Assert.Null(result.Course);
        Assert.Equal(["02-hemlig.md", "course.yml"], result.Diagnostics.Where(d => d.Code == DiagnosticCode.SymbolicLink).Select(d => Path.GetFileName(d.File)));
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("hunter2") || d.Message.Contains("minutes"));
    }

    [Fact]
    public void A_symbolic_link_anywhere_in_the_course_folder_is_an_error()
    {
        using var course = CourseWithLesson();
        Directory.CreateDirectory(Path.Combine(course.Folder, "underlag"));
        File.CreateSymbolicLink(Path.Combine(course.Folder, "underlag", "anteckning.txt"), "/etc/hostname");

        var error = Assert.Single(course.Compile().Diagnostics);

        Assert.Equal(DiagnosticCode.SymbolicLink, error.Code);
        Assert.Equal("underlag/anteckning.txt", Path.GetRelativePath(course.Folder, error.File));
    }

    public static TheoryData<string, string> UnsafeSvgs() => new()
    {
        { "script", """<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>""" },
        { "script in another namespace", """<svg xmlns="http://www.w3.org/2000/svg"><h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>""" },
        { "event attribute", """<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1" onclick="alert(1)"/></svg>""" },
        { "event attribute in capitals", """<svg xmlns="http://www.w3.org/2000/svg" ONLOAD="alert(1)"/>""" },
        { "foreignObject", """<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>""" },
        { "javascript link", """<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>""" },
        { "xlink to another file", """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="annan.svg#x"/></svg>""" },
        { "embedded svg", """<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/svg+xml;base64,PHN2Zz4="/></svg>""" },
        { "animated href", """<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="href" values="javascript:alert(1)"/></a></svg>""" },
        { "style sheet import", """<svg xmlns="http://www.w3.org/2000/svg"><style><![CDATA[@import "https://example.com/x.css";]]></style></svg>""" },
        { "external url in style", """<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url( 'https://example.com/p.svg#p' )"/></svg>""" },
        { "xml-stylesheet", """<?xml-stylesheet href="https://example.com/x.css"?><svg xmlns="http://www.w3.org/2000/svg"/>""" },
        { "entity", """<!DOCTYPE svg [<!ENTITY x "<script>alert(1)</script>">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>""" },
        { "not xml", """<svg xmlns="http://www.w3.org/2000/svg"><rect>""" },
        { "html, not svg", """<html><body><script>alert(1)</script></body></html>""" },
        { "empty", "" },
    };

    [Theory]
    [MemberData(nameof(UnsafeSvgs))]
    public void An_svg_that_could_run_script_or_load_from_elsewhere_is_an_error(string name, string svg)
    {
        using var course = CourseWithLesson("![En bild](media/bild.svg)");
        course.Write("media/bild.svg", svg);

        var result = course.Compile();

        Assert.Null(result.Course);
        Assert.All(result.Diagnostics, d => Assert.True(d.Code == DiagnosticCode.UnsafeSvg && d.File.EndsWith("bild.svg"), $"{name}: {d}"));
        Assert.NotEmpty(result.Diagnostics);
    }

    [Fact]
    public void An_svg_error_points_at_the_line_and_column_in_the_svg()
    {
        using var course = CourseWithLesson();
        course.Write("media/bild.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <g>\n    <script>alert(1)</script>\n  </g>\n</svg>\n");

        var error = Assert.Single(course.Compile().Diagnostics);

        Assert.Equal("media/bild.svg:3:5: error: SVG-filen innehåller <script>. Skript får inte finnas i kursens bilder; ta bort det.", CorpusTests.Relative(course.Folder, error));
    }

    [Fact]
    public void An_ordinary_drawing_with_a_doctype_editor_metadata_gradients_and_internal_links_compiles()
    {
        using var course = CourseWithLesson("![En ritning](media/ritning.svg)");
        course.Write("media/ritning.svg", File.ReadAllText(Path.Combine(Repository.Corpus, "unsafe-svg", "media", "ritning.svg")));

        var result = course.Compile();

        Assert.Empty(result.Diagnostics);
        Assert.Equal("media/ritning.svg", Assert.Single(result.Course!.Media).Path);
    }

    [Fact]
    public void The_content_type_of_each_allowed_kind_is_fixed_and_other_kinds_have_none()
    {
        Assert.Equal("image/svg+xml", MediaTypes.ContentTypeOf("media/karta.SVG"));
        Assert.Equal("application/pdf", MediaTypes.ContentTypeOf("media/a.pdf"));
        Assert.Equal("image/jpeg", MediaTypes.ContentTypeOf("a.jpeg"));
        Assert.Null(MediaTypes.ContentTypeOf("media/a.html"));
        Assert.Null(MediaTypes.ContentTypeOf("media/a.png.html"));
        Assert.Null(MediaTypes.ContentTypeOf("media/a"));
    }
}
