using System.Net;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Demo;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

public sealed class CourseRemovalTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_deleted_course_is_no_longer_offered_but_its_learners_finish_it()
    {
        const string course = DemoSeeder.CaseOfficerCourse;
        var started = app.NewVisitor();
        var email = await app.NewLearner(Audience.Employee, Audience.CaseOfficer);
        await started.LogIn(email);
        var lesson = await started.StartCourse(course);
        var title = lesson.QuerySelector("h1")!.TextContent;

        Directory.Delete(Path.Combine(app.CoursesFolder, course), recursive: true);
        for (var i = 0; i < 200 && app.Catalog.FindLive(course) is not null; i++)
        {
            await Task.Delay(50);
        }

        Assert.Null(app.Catalog.FindLive(course));
        var newcomer = app.NewVisitor();
        await newcomer.LogIn(await app.NewLearner(Audience.Employee, Audience.CaseOfficer));
        Assert.DoesNotContain($"/kurs/{course}", (await newcomer.Open("/")).Body!.InnerHtml);
        await newcomer.Open($"/kurs/{course}", HttpStatusCode.NotFound);

        var resumed = await started.Open($"/kurs/{course}");
        Assert.Contains(title, Text(resumed));
    }
}
