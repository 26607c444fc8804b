using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Demo;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>Authors edit courses while people take them: edits go live at once, learners finish the version they started.</summary>
public sealed class CourseEditTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Intro = DemoSeeder.IntroductionCourse;
    private const string Politicians = DemoSeeder.PoliticianCourse;

    [Fact]
    public async Task A_learner_who_started_a_version_finishes_it_after_the_course_is_edited()
    {
        var before = app.Catalog.FindLive(Intro)!;
        var first = before.Lessons[0];
        var startedEarly = app.NewVisitor();
        var earlyEmail = await app.NewLearner();
        await startedEarly.LogIn(earlyEmail);
        await startedEarly.StartCourse(Intro);

        var lessonFile = Directory.GetFiles(Path.Combine(app.CoursesFolder, Intro), "01-*.md").Single();
        await File.AppendAllTextAsync(lessonFile, "\nDen här meningen skrev författaren i dag.\n");
        var after = await app.WaitForNewVersion(Intro, before.Version);

        var early = await startedEarly.Open($"/kurs/{Intro}/{first.Id}");
        Assert.DoesNotContain("skrev författaren i dag", Text(early));
        var overview = await startedEarly.Open($"/kurs/{Intro}");
        Assert.Contains("Kursen har uppdaterats sedan du började", Text(overview));

        var startedLate = app.NewVisitor();
        await startedLate.LogIn(await app.NewLearner());
        var late = await startedLate.StartCourse(Intro);
        Assert.Contains("skrev författaren i dag", Text(late));

        var earlyId = await app.LearnerId(earlyEmail);
        Assert.Equal(before.Version, await app.Query(db => db.Enrolments.Where(e => e.LearnerId == earlyId).Select(e => e.CourseVersion).SingleAsync()));
        Assert.NotEqual(before.Version, after);
    }

    [Fact]
    public async Task A_broken_edit_keeps_the_last_good_version_live_and_shows_admins_the_errors()
    {
        var good = app.Catalog.FindLive(Politicians)!;
        var lessonFile = Directory.GetFiles(Path.Combine(app.CoursesFolder, Politicians), "02-*.md").Single();
        var original = await File.ReadAllTextAsync(lessonFile);
        await File.AppendAllTextAsync(lessonFile, "\n::: quiz\nVilken är rätt?\n\n- [ ] Ingen\n- [ ] Av dem\n:::\n");
        await WaitUntil(() => app.Catalog.Problems.Any(p => p.Diagnostics.Any(d => d.File.EndsWith(Path.GetFileName(lessonFile)))));

        Assert.Equal(good.Version, app.Catalog.FindLive(Politicians)!.Version);
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var page = Text(await admin.Open("/admin/kurser"));
        Assert.Contains($"{Politicians}/{Path.GetFileName(lessonFile)}:", page);
        Assert.Contains("den senaste fungerande versionen gäller fortfarande", page);

        var politician = app.NewVisitor();
        await politician.LogInAs("politiker");
        var lesson = await politician.StartCourse(Politicians);
        Assert.Equal(good.Lessons[0].Title, lesson.QuerySelector("h1")!.TextContent);

        await File.WriteAllTextAsync(lessonFile, original);
        await WaitUntil(() => !app.Catalog.Problems.Any(p => p.Folder == Politicians && p.HasErrors));
        Assert.Equal(good.Version, app.Catalog.FindLive(Politicians)!.Version);
    }

    [Fact]
    public async Task An_edit_to_sources_yml_reaches_the_courses_that_cite_it_and_a_broken_one_keeps_them_at_their_last_good_version()
    {
        var before = app.Catalog.FindLive(Politicians)!;
        var registry = Path.Combine(app.CoursesFolder, "sources.yml");
        var original = await File.ReadAllTextAsync(registry);
        try
        {
            await File.WriteAllTextAsync(registry, original.Replace("title: Implementeringsplan av", "title: Reviderad implementeringsplan av"));
            var after = await app.WaitForNewVersion(Politicians, before.Version);
            Assert.StartsWith("Reviderad implementeringsplan av", app.Catalog.FindLive(Politicians)!.Sources.Single(s => s.Id == "nka-2024-1").Title);

            await File.WriteAllTextAsync(registry, original + "  - id: nka-2024-1\n    title: Samma id igen\n    publisher: Nka\n");
            await WaitUntil(() => app.Catalog.Problems.Any(p => p.Folder == Politicians && p.HasErrors));
            Assert.Equal(after, app.Catalog.FindLive(Politicians)!.Version);
            Assert.Contains(app.Catalog.Problems.Single(p => p.Folder == Politicians).Diagnostics,
                d => d.File == "sources.yml" && d.Code == DiagnosticCode.DuplicateSourceId);
        }
        finally
        {
            await File.WriteAllTextAsync(registry, original);
            await WaitUntil(() => !app.Catalog.Problems.Any(p => p.HasErrors));
        }

        Assert.Equal(before.Version, app.Catalog.FindLive(Politicians)!.Version);
    }

    [Fact]
    public async Task After_a_restart_a_course_broken_on_disk_still_serves_its_last_good_version()
    {
        var good = app.Catalog.FindLive(Politicians)!;
        var folder = Path.Combine(app.CoursesFolder, Politicians);
        var manifest = Path.Combine(folder, "course.yml");
        var original = await File.ReadAllTextAsync(manifest);
        try
        {
            await File.WriteAllTextAsync(manifest, original + "\nokant_falt: ja\n");
            using var restarted = app.Restart();
            Assert.Equal(good.Version, restarted.Catalog.FindLive(Politicians)?.Version);
            Assert.Contains(restarted.Catalog.Problems, p => p.Folder == Politicians && p.HasErrors);
        }
        finally
        {
            await File.WriteAllTextAsync(manifest, original);
            await WaitUntil(() => !app.Catalog.Problems.Any(p => p.Folder == Politicians));
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "The course folder was not reloaded within 10 s.");
    }
}

/// <summary>The app pointed at one course folder: its sources registry is the one beside the folder, watched as well.</summary>
public sealed class SingleCourseFolderTests(SingleCourseFolderTests.Fixture app) : IClassFixture<SingleCourseFolderTests.Fixture>
{
    private const string Politicians = DemoSeeder.PoliticianCourse;

    [Fact]
    public async Task An_edit_to_sources_yml_beside_the_course_folder_reaches_the_course()
    {
        var before = app.Catalog.FindLive(Politicians)!;
        var registry = Path.Combine(app.CoursesFolder, "sources.yml");
        var original = await File.ReadAllTextAsync(registry);

        await File.WriteAllTextAsync(registry, original.Replace("title: Implementeringsplan av", "title: Reviderad implementeringsplan av"));
        await app.WaitForNewVersion(Politicians, before.Version);

        Assert.StartsWith("Reviderad implementeringsplan av", app.Catalog.FindLive(Politicians)!.Sources.Single(s => s.Id == "nka-2024-1").Title);
    }

    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings =>
            new Dictionary<string, string> { ["Nanolearning:CoursesPath"] = Path.Combine(CoursesFolder, Politicians) };
    }
}
