using System.Net;
using Nanolearning.Web.Features.Demo;

namespace Nanolearning.Web.Tests;

public sealed class MediaTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Intro = DemoSeeder.IntroductionCourse;

    [Fact]
    public async Task A_course_serves_the_media_files_it_lists_and_nothing_else()
    {
        var before = app.Catalog.FindLive(Intro)!.Version;
        var media = Path.Combine(app.CoursesFolder, Intro, "media");
        Directory.CreateDirectory(media);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
        await File.WriteAllBytesAsync(Path.Combine(media, "bild.png"), png);
        await app.WaitForNewVersion(Intro, before);

        var visitor = app.NewVisitor();
        await visitor.LogInAs("medarbetare");
        using var image = await visitor.Client.GetAsync($"/kurs/{Intro}/media/bild.png");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await image.Content.ReadAsByteArrayAsync());

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
}
