using AngleSharp.Html.Parser;
using Nanolearning.Web.Features.MunicipalityFacts;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>The reminder app with the course whose quiz names the kommun's facts.</summary>
public sealed class KommunFactsMailFixture : ReminderFixture
{
    public KommunFactsMailFixture() => KommunFactsFixture.WriteCourse(CoursesFolder);
}

/// <summary>A repetition question quoted in an e-mail fills in the kommun's facts as the lesson does.</summary>
public sealed class KommunFactsMailTests(KommunFactsMailFixture app) : IClassFixture<KommunFactsMailFixture>
{
    [Fact]
    public async Task A_repetition_question_in_an_e_mail_fills_in_the_facts_with_each_answer_a_single_link()
    {
        await app.Query(db =>
        {
            db.KommunFacts.Add(new KommunFactsRow { Name = "Postby kommun", Phone = "0777-888 99", Email = "stod@postby.se", UpdatedAt = app.UtcNow });
            return db.SaveChangesAsync();
        });
        app.SwedishTime(new DateTime(2027, 3, 18, 10, 0, 0));
        var email = await app.NewLearner();
        var course = app.Catalog.FindLive(KommunFactsFixture.CourseId)!;
        await app.Complete(email, course, Format.StartOfDayUtc(app.Today.AddDays(-42)).AddHours(10));

        await app.Scan();
        await app.Dispatch();

        var message = Assert.Single(await app.PickedUpFor(email));
        var html = new HtmlParser().ParseDocument(message.HtmlBody!);
        var text = Words(html.Body!.TextContent);
        Assert.Contains("Vart ringer en anhörig i Postby kommun?", text);
        Assert.DoesNotContain("kommunen har inte fyllt i det än", text);
        var answers = html.QuerySelectorAll("li a").Select(a => Words(a.TextContent)).ToList();
        Assert.Equal(["Till 0777-888 99", "Till ingen", "Till stod@postby.se"], answers);
        Assert.Empty(html.QuerySelectorAll("a[href^='mailto:']"));
        Assert.Contains("Vart ringer en anhörig i Postby kommun?", Words(message.TextBody!));
        Assert.Contains("- Till stod@postby.se:", message.TextBody!);
    }

    private static string Words(string text) =>
        string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
