using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Demo;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>
/// Two app instances on one database, each with a course folder of its own (as when each deployment carries its own
/// copy): the database decides which version is live, so an edit published by one is served by both, and the one
/// whose folder still holds the older version does not publish it back. On SQLite the two share one database file.
/// </summary>
public sealed class CourseSyncTests : IDisposable
{
    private const string Intro = DemoSeeder.IntroductionCourse;
    private const string Sentence = "Den här meningen skrev författaren på den första servern.";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly AppFixture _first;
    private readonly AppFixture _second;

    public CourseSyncTests()
    {
        _first = new AppFixture();
        _ = _first.Services;
        SecondFolder = Path.Combine(_first.Root, "courses-second");
        foreach (var file in Directory.EnumerateFiles(_first.CoursesFolder, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(SecondFolder, Path.GetRelativePath(_first.CoursesFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        _second = _first.Restart(new Dictionary<string, string>
        {
            ["Nanolearning:CoursesPath"] = SecondFolder,
            ["Nanolearning:CourseSyncInterval"] = "00:00:05",
        });
        _ = _second.Services;
    }

    private string SecondFolder { get; }

    public void Dispose()
    {
        _second.Dispose();
        _first.Dispose();
    }

    [Fact]
    public async Task A_course_edited_in_one_instances_folder_goes_live_on_the_other_whose_folder_is_unchanged()
    {
        var before = _first.Catalog.FindLive(Intro)!.Version;
        Assert.Equal(before, _second.Catalog.FindLive(Intro)!.Version);

        await File.AppendAllTextAsync(LessonFile(_first.CoursesFolder), $"\n{Sentence}\n");
        var after = await _first.WaitForNewVersion(Intro, before);
        await UntilLive(_second, after);

        var learner = _second.NewVisitor();
        await learner.LogIn(await _second.NewLearner());
        var lesson = await learner.StartCourse(Intro);
        Assert.Contains(Sentence, Text(lesson));
        Assert.DoesNotContain(Sentence, await File.ReadAllTextAsync(LessonFile(SecondFolder)));
        Assert.True(_second.Errors.All is [], _second.Errors.Latest);
    }

    [Fact]
    public async Task An_instance_whose_folder_holds_the_older_version_does_not_publish_it_back()
    {
        var before = _first.Catalog.FindLive(Intro)!.Version;
        var lessonFile = LessonFile(_first.CoursesFolder);
        var original = await File.ReadAllTextAsync(lessonFile);
        await File.AppendAllTextAsync(lessonFile, $"\n{Sentence}\n");
        var after = await _first.WaitForNewVersion(Intro, before);
        await UntilLive(_second, after);
        var published = await Publications();

        // The second instance compiles its folder again (an edit to another course, or an admin's "Kontrollera
        // kurserna nu"): its folder still compiles to the older version, which is no news, and syncs go on on both.
        await File.AppendAllTextAsync(LessonFile(SecondFolder, DemoSeeder.PoliticianCourse), "\nEn annan kurs ändras.\n");
        await _second.Catalog.ReloadAsync();
        await _first.Catalog.ReloadAsync();
        for (var round = 0; round < 3; round++)
        {
            await _second.Catalog.SyncAsync();
            await _first.Catalog.SyncAsync();
        }

        Assert.Equal(after, _second.Catalog.FindLive(Intro)!.Version);
        Assert.Equal(after, _first.Catalog.FindLive(Intro)!.Version);
        Assert.Equal(published, await Publications());

        // Edited back on the first instance: the older version is the newest publication again, everywhere.
        await File.WriteAllTextAsync(lessonFile, original);
        Assert.Equal(before, await _first.WaitForNewVersion(Intro, after));
        await UntilLive(_second, before);
        var learner = _second.NewVisitor();
        await learner.LogIn(await _second.NewLearner());
        Assert.DoesNotContain(Sentence, Text(await learner.StartCourse(Intro)));
    }

    [Fact]
    public async Task An_edit_published_on_a_server_whose_clock_is_behind_still_becomes_the_newest()
    {
        var before = _first.Catalog.FindLive(Intro)!.Version;
        _first.Clock.Advance(TimeSpan.FromHours(1));
        await File.AppendAllTextAsync(LessonFile(_first.CoursesFolder), $"\n{Sentence}\n");
        var onFirst = await _first.WaitForNewVersion(Intro, before);
        await UntilLive(_second, onFirst);

        // The second server's clock is an hour behind the publication it now serves.
        await File.AppendAllTextAsync(LessonFile(SecondFolder), "\nDen här meningen skrev författaren på den andra servern.\n");
        var onSecond = await _second.WaitForNewVersion(Intro, onFirst);
        await UntilLive(_first, onSecond);

        await _second.Catalog.SyncAsync();
        Assert.Equal(onSecond, _second.Catalog.FindLive(Intro)!.Version);
        var learner = _first.NewVisitor();
        await learner.LogIn(await _first.NewLearner());
        Assert.Contains("skrev författaren på den andra servern", Text(await learner.StartCourse(Intro)));
    }

    /// <summary>When each stored version of the introduction course was last published.</summary>
    private Task<List<string>> Publications() =>
        _first.Query(async db => (await db.CourseVersions.AsNoTracking().Where(v => v.CourseId == Intro).ToListAsync())
            .OrderBy(v => v.Version, StringComparer.Ordinal).Select(v => $"{v.Version} {v.PublishedAt:O}").ToList());

    private static string LessonFile(string coursesFolder, string course = Intro) =>
        Directory.GetFiles(Path.Combine(coursesFolder, course), "01-*.md").Single();

    /// <summary>Moves the app's clock on one sync interval at a time until <paramref name="version"/> is live there.</summary>
    private static async Task UntilLive(AppFixture app, string version)
    {
        for (var i = 0; i < 200 && app.Catalog.FindLive(Intro)?.Version != version; i++)
        {
            app.Clock.Advance(Interval);
            await Task.Delay(50);
        }

        Assert.Equal(version, app.Catalog.FindLive(Intro)?.Version);
    }
}
