using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.AnnualWheel;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

public sealed class AptMaterialTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly HtmlParser Parser = new();

    [Fact]
    public async Task A_chef_gets_every_discussion_of_the_APTs_course_with_the_date_and_unit()
    {
        var apt = await DemoApt();
        var chef = app.NewVisitor();
        await chef.LogInAs("chef");

        var page = await chef.Open($"/arshjul/apt/{apt.Id}");

        var course = app.Catalog.FindLive(DemoSeeder.IntroductionCourse)!;
        Assert.NotEmpty(course.Discussions);
        Assert.Equal(course.Title, page.QuerySelector("h1")!.TextContent);
        Assert.Equal($"APT-material: {course.Title} – Nanolearning", page.Title);
        var today = app.Today;
        var next = new[] { apt.In(today.Year), apt.In(today.Year + 1) }.OfType<Occurrence>().First(o => o.Start >= today);
        Assert.Contains($"Diskussionsmaterial för APT · Hemtjänst Norr · {Format.Date(next.Start)}", Text(page));
        var sections = page.QuerySelectorAll("section.apt-discussion");
        Assert.Equal(course.Discussions.Length, sections.Length);
        foreach (var (discussion, section) in course.Discussions.Zip(sections))
        {
            Assert.Equal(discussion.Title, section.QuerySelector("h2")!.TextContent);
            Assert.Contains(Collapse(Parser.ParseDocument(discussion.Html).Body!.TextContent), Collapse(section.TextContent));
        }
    }

    [Fact]
    public async Task A_chef_may_use_an_APT_their_unit_inherits_from_the_kommun()
    {
        var kommunApt = await AddEntry(await app.Query(db => db.Units.Where(u => u.Kind == UnitKind.Municipality).Select(u => u.Id).SingleAsync()),
            AnnualWheelKind.WorkplaceMeeting, DemoSeeder.ManagerCourse);
        var chef = app.NewVisitor();
        await chef.LogInAs("chef");

        var page = await chef.Open($"/arshjul/apt/{kommunApt}?ar=2026");

        var course = app.Catalog.FindLive(DemoSeeder.ManagerCourse)!;
        Assert.Equal(course.Title, page.QuerySelector("h1")!.TextContent);
        Assert.All(course.Discussions, d => Assert.Contains(d.Title!, Text(page)));
        Assert.Contains("8 september 2026", Text(page));
    }

    [Fact]
    public async Task A_chef_of_another_unit_is_refused_the_APT()
    {
        var apt = await DemoApt();
        var otherChef = await app.Query(db => db.Units
            .Where(u => u.Kind == UnitKind.Unit && u.ManagerId != null && u.Id != apt.UnitId)
            .Select(u => u.Manager!.Email).FirstAsync());
        var visitor = app.NewVisitor();
        await visitor.LogIn(otherChef, DemoSeeder.Password);

        var refused = await visitor.Open($"/arshjul/apt/{apt.Id}", HttpStatusCode.Forbidden);

        Assert.Contains("Du har inte behörighet", Text(refused));
        Assert.DoesNotContain(app.Catalog.FindLive(DemoSeeder.IntroductionCourse)!.Discussions[0].Title!, Text(refused));
    }

    [Fact]
    public async Task An_employee_is_refused_APT_material()
    {
        var apt = await DemoApt();
        var employee = app.NewVisitor();
        await employee.LogInAs("medarbetare");

        await employee.Open($"/arshjul/apt/{apt.Id}", HttpStatusCode.Forbidden);
        await employee.Open($"/arshjul/apt/kurs/{DemoSeeder.IntroductionCourse}", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Unknown_entries_and_entries_without_APT_material_are_not_found()
    {
        var chef = app.NewVisitor();
        await chef.LogInAs("chef");
        var campaign = await app.Query(db => db.AnnualWheelEntries.Where(e => e.Kind == AnnualWheelKind.CourseCampaign && e.Unit!.Kind == UnitKind.Municipality)
            .Select(e => e.Id).FirstAsync());
        var home = (await DemoApt()).UnitId;
        var aptWithoutCourse = await AddEntry(home, AnnualWheelKind.WorkplaceMeeting, courseId: null);
        var aptWithRemovedCourse = await AddEntry(home, AnnualWheelKind.WorkplaceMeeting, courseId: "finns-inte-langre");

        Assert.Contains("APT:n finns inte", Text(await chef.Open("/arshjul/apt/999999", HttpStatusCode.NotFound)));
        Assert.Contains("ingen APT med en kurs", Text(await chef.Open($"/arshjul/apt/{campaign}", HttpStatusCode.NotFound)));
        Assert.Contains("ingen APT med en kurs", Text(await chef.Open($"/arshjul/apt/{aptWithoutCourse}", HttpStatusCode.NotFound)));
        Assert.Contains("inte finns längre", Text(await chef.Open($"/arshjul/apt/{aptWithRemovedCourse}", HttpStatusCode.NotFound)));
        Assert.Contains("inte planerad år 2019", Text(await chef.Open($"/arshjul/apt/{(await DemoApt()).Id}?ar=2019", HttpStatusCode.NotFound)));
    }

    [Fact]
    public async Task A_chef_gets_a_courses_material_without_an_APT()
    {
        var chef = app.NewVisitor();
        await chef.LogInAs("chef");

        var page = await chef.Open($"/arshjul/apt/kurs/{DemoSeeder.CaseOfficerCourse}");

        var course = app.Catalog.FindLive(DemoSeeder.CaseOfficerCourse)!;
        Assert.Equal(course.Title, page.QuerySelector("h1")!.TextContent);
        Assert.Equal($"APT-material: {course.Title} – Nanolearning", page.Title);
        Assert.Equal(course.Discussions.Length, page.QuerySelectorAll("section.apt-discussion").Length);
        Assert.Contains("Kursen finns inte", Text(await chef.Open("/arshjul/apt/kurs/finns-inte", HttpStatusCode.NotFound)));
    }

    private Task<AnnualWheelEntry> DemoApt() =>
        app.Query(db => db.AnnualWheelEntries.AsNoTracking().SingleAsync(e => e.Kind == AnnualWheelKind.WorkplaceMeeting && e.Title == "Anhöriga i vardagen"));

    private Task<int> AddEntry(int unitId, AnnualWheelKind kind, string? courseId) =>
        app.Query(async db =>
        {
            var entry = new AnnualWheelEntry
            {
                UnitId = unitId, Kind = kind, Title = "Test-APT", StartsOn = new(2026, 9, 8), EndsOn = new(2026, 9, 8), RecursYearly = true,
                CourseId = courseId, CreatedAt = app.UtcNow, UpdatedAt = app.UtcNow,
            };
            db.AnnualWheelEntries.Add(entry);
            await db.SaveChangesAsync();
            return entry.Id;
        });

    private static string Collapse(string text) =>
        string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
