using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>The reminder app with one more course, whose title is markup as an author could write it.</summary>
public sealed class ReminderMailFixture : ReminderFixture
{
    public const string MarkupCourse = "skript-och-co";
    public const string MarkupTitle = "Kurs <script>alert(\"x\")</script> & Co";

    public ReminderMailFixture()
    {
        var source = Path.Combine(CoursesFolder, "anhorigperspektiv-introduktion");
        var target = Directory.CreateDirectory(Path.Combine(CoursesFolder, MarkupCourse)).FullName;
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        var manifest = Path.Combine(target, "course.yml");
        var yaml = File.ReadAllText(manifest)
            .Replace("id: anhorigperspektiv-introduktion", $"id: {MarkupCourse}", StringComparison.Ordinal)
            .Replace("title: Anhörigperspektiv – introduktion", $"title: '{MarkupTitle}'", StringComparison.Ordinal);
        File.WriteAllText(manifest, yaml);
    }
}

/// <summary>
/// The HTML part of each kind of reminder e-mail as a mail program shows it, read from the .eml the app wrote:
/// headings, links and the text a reader reads, the same as in the plain-text part, and every name encoded.
/// </summary>
public sealed partial class ReminderMailTests(ReminderMailFixture app) : IClassFixture<ReminderMailFixture>
{
    private const string Intro = "anhorigperspektiv-introduktion";
    private const string Handling = "anhorigperspektiv-i-handlaggning";
    private const string Leading = "leda-med-anhorigperspektiv";
    private const string Site = "http://localhost:5080";

    private static readonly HtmlParser Parser = new();

    private string Title(string courseId) => app.Catalog.FindLive(courseId)!.Title;

    [Fact]
    public async Task A_day_with_several_courses_is_one_mail_with_a_heading_a_sentence_and_a_link_for_each()
    {
        app.SwedishTime(new DateTime(2027, 3, 15, 10, 0, 0));
        var email = await app.NewLearner();
        await app.Assign(email, Intro, app.Today, app.Today.AddDays(30));
        await app.Assign(email, Handling, app.Today.AddDays(-20), app.Today);
        await app.Assign(email, Leading, app.Today.AddDays(-30), app.Today.AddDays(-7));

        await app.Scan();
        await app.Dispatch();

        var message = Assert.Single(await app.PickedUpFor(email));
        var html = Html(message);
        Assert.Equal("sv", html.DocumentElement.GetAttribute("lang"));
        Assert.Equal(message.Subject, html.Title);
        Assert.Equal($"{Title(Leading)} skulle ha varit klar {Format.Date(app.Today.AddDays(-7))} (och 2 till)", message.Subject);
        Assert.Equal("Hej Test!", Assert.Single(html.QuerySelectorAll("h1")).TextContent);

        (string Course, string Line)[] expected =
        [
            (Leading, $"Kursen {Title(Leading)} skulle ha varit klar {Format.Date(app.Today.AddDays(-7))}. Det går fortfarande bra att göra den."),
            (Handling, $"Kursen {Title(Handling)} ska vara klar i dag."),
            (Intro, $"Du har fått kursen {Title(Intro)}. Den tar ungefär {app.Catalog.FindLive(Intro)!.Minutes} minuter och ska vara klar {Format.Date(app.Today.AddDays(30))}."),
        ];
        var headings = html.QuerySelectorAll("h2");
        Assert.Equal(expected.Select(e => Title(e.Course)), headings.Select(h => h.TextContent));
        foreach (var ((course, line), heading) in expected.Zip(headings))
        {
            var sentence = heading.NextElementSibling!;
            Assert.Equal(line, sentence.TextContent);
            var link = Assert.Single(sentence.NextElementSibling!.QuerySelectorAll("a"));
            Assert.Equal(("Börja kursen", $"{Site}/kurs/{course}"), (link.TextContent, link.GetAttribute("href")));
            Assert.Contains($"{line}\nBörja kursen: {Site}/kurs/{course}\n", message.TextBody!.ReplaceLineEndings("\n"));
        }

        Assert.Equal("Hälsningar<br>Nanolearning", html.QuerySelectorAll("p").Last(p => p.TextContent.StartsWith("Hälsningar", StringComparison.Ordinal)).InnerHtml);
        Assert.DoesNotContain(html.QuerySelectorAll("a"), a => a.TextContent.Contains("Avsluta", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_digest_lists_the_overdue_people_and_links_to_the_arshjul_and_to_leaving_the_digest()
    {
        app.SwedishTime(new DateTime(2027, 3, 17, 10, 0, 0));
        var chef = await app.NewLearner("chef");
        var employees = new[] { await app.NewLearner(), await app.NewLearner() };
        var unitId = await Lead(chef, $"Hemtjänsten {Guid.NewGuid():N}", employees);
        foreach (var employee in employees)
        {
            await app.Assign(employee, Intro, app.Today.AddDays(-40), app.Today.AddDays(-2));
        }

        await app.Scan();
        await app.Dispatch();

        var message = Assert.Single(await app.PickedUpFor(chef));
        var html = Html(message);
        Assert.Equal("Veckosammanfattning: 2 medarbetare har kurser kvar", html.Title);
        var heading = Assert.Single(html.QuerySelectorAll("h2"));
        Assert.Equal("Veckosammanfattning", heading.TextContent);
        var intro = heading.NextElementSibling!;
        Assert.Equal("2 av dina medarbetare har kurser som skulle ha varit klara:", intro.TextContent);
        var rows = intro.NextElementSibling!.QuerySelectorAll("li").Select(li => li.TextContent).ToList();
        var unitName = await app.Query(db => db.Units.Where(u => u.Id == unitId).Select(u => u.Name).SingleAsync());
        var names = await app.Query(db => db.Learners.Where(l => employees.Contains(l.Email)).Select(l => l.FirstName + " " + l.LastName).ToListAsync());
        Assert.Equal(
            names.Select(n => $"{n}, {unitName}: {Title(Intro)}, skulle vara klar {Format.Date(app.Today.AddDays(-2))}").Order(),
            rows.Order());
        Assert.All(rows, row => Assert.Contains($"- {row}\n", message.TextBody!.ReplaceLineEndings("\n")));

        var wheel = Assert.Single(html.QuerySelectorAll("a"), a => a.TextContent == "Se årshjulet");
        Assert.Equal($"{Site}/arshjul/{unitId}", wheel.GetAttribute("href"));
        var leave = Assert.Single(html.QuerySelectorAll("a"), a => a.TextContent == "Avsluta veckosammanfattningen");
        Assert.Equal($"<{leave.GetAttribute("href")}>", message.Headers["List-Unsubscribe"]);
        Assert.EndsWith($"Avsluta den här: {leave.GetAttribute("href")}", message.TextBody!.TrimEnd());
    }

    [Fact]
    public async Task A_repetition_question_shows_the_question_and_one_answer_link_per_option()
    {
        app.SwedishTime(new DateTime(2027, 3, 18, 10, 0, 0));
        var email = await app.NewLearner();
        var course = app.Catalog.FindLive(Intro)!;
        await app.Complete(email, course, Format.StartOfDayUtc(app.Today.AddDays(-42)).AddHours(10));

        await app.Scan();
        await app.Dispatch();

        var message = Assert.Single(await app.PickedUpFor(email));
        var question = RepetitionQuestion.Pick(course, Assert.Single(await app.RemindersOf(email)).Id)!;
        var html = Html(message);
        var heading = Assert.Single(html.QuerySelectorAll("h2"));
        Assert.Equal("Repetitionsfråga", heading.TextContent);
        var intro = heading.NextElementSibling!;
        Assert.Equal($"En fråga från kursen {course.Title}, som du gick för några veckor sedan. Svara med ett klick:", intro.TextContent);
        var prompt = intro.NextElementSibling!;
        Assert.Equal(Words(Parser.ParseDocument(question.PromptHtml).Body!), Words(prompt));

        var answers = prompt.NextElementSibling!.QuerySelectorAll("li a").ToList();
        Assert.Equal(
            question.Options.Select(o => Words(Parser.ParseDocument(o.Html).Body!)),
            answers.Select(Words));
        // The same signed links as the plain-text part: both parts are made from one model.
        Assert.Equal(AnswerLinks().Matches(message.TextBody!).Select(m => m.Groups[1].Value), answers.Select(a => a.GetAttribute("href")!));
        Assert.All(answers, a => Assert.StartsWith($"{Site}/repetition?t=", a.GetAttribute("href")));
    }

    [Fact]
    public async Task Names_course_titles_and_unit_names_with_markup_arrive_as_text_not_as_markup()
    {
        app.SwedishTime(new DateTime(2027, 3, 24, 10, 0, 0));
        const string chefName = "<script>alert('chef')</script> & Åsa";
        const string employeeName = "<img src=x onerror=alert(1)>";
        const string unitName = "Hem <b>& vård</b>";
        var chef = await app.NewLearner("chef");
        var employee = await app.NewLearner();
        var unitId = await Lead(chef, unitName + " " + Guid.NewGuid().ToString("N")[..6], [employee]);
        await app.Query(async db =>
        {
            (await db.Learners.SingleAsync(l => l.Email == chef)).FirstName = chefName;
            (await db.Learners.SingleAsync(l => l.Email == employee)).FirstName = employeeName;
            return await db.SaveChangesAsync();
        });
        await app.Assign(chef, ReminderMailFixture.MarkupCourse, app.Today, app.Today.AddDays(30));
        await app.Assign(employee, ReminderMailFixture.MarkupCourse, app.Today.AddDays(-40), app.Today.AddDays(-2));

        await app.Scan();
        await app.Dispatch();

        var message = Assert.Single(await app.PickedUpFor(chef));
        var raw = message.HtmlBody!;
        Assert.DoesNotContain("<script", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", raw, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&#x27;chef&#x27;)&lt;/script&gt; &amp; Åsa", raw);
        Assert.Contains("Kurs &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co", raw);

        var html = Html(message);
        Assert.Empty(html.QuerySelectorAll("script, img, b"));
        Assert.Equal($"Hej {chefName}!", Assert.Single(html.QuerySelectorAll("h1")).TextContent);
        Assert.Equal(ReminderMailFixture.MarkupTitle, html.QuerySelectorAll("h2")[0].TextContent);
        Assert.StartsWith($"Du har fått kursen {ReminderMailFixture.MarkupTitle}", html.Title);
        var row = Assert.Single(html.QuerySelectorAll("li"));
        Assert.StartsWith($"{employeeName} ", row.TextContent);
        Assert.Contains($", {unitName} ", row.TextContent);
        Assert.Contains($": {ReminderMailFixture.MarkupTitle}, skulle vara klar", row.TextContent);
        Assert.Equal($"{Site}/arshjul/{unitId}", Assert.Single(html.QuerySelectorAll("a"), a => a.TextContent == "Se årshjulet").GetAttribute("href"));
    }

    /// <summary>Makes <paramref name="chef"/> the manager of a new unit with <paramref name="employees"/> in it, digest on today's weekday.</summary>
    private async Task<int> Lead(string chef, string unitName, string[] employees)
    {
        var chefId = await app.LearnerId(chef);
        return await app.Query(async db =>
        {
            var root = await db.Units.Where(u => u.ParentId == null).Select(u => u.Id).FirstAsync();
            var unit = new Unit { Name = unitName, Kind = UnitKind.Unit, ParentId = root, ManagerId = chefId };
            db.Units.Add(unit);
            await db.SaveChangesAsync();
            await db.Learners.Where(l => employees.Contains(l.Email)).ExecuteUpdateAsync(s => s.SetProperty(l => l.UnitId, unit.Id));
            (await db.Learners.SingleAsync(l => l.Id == chefId)).DigestDay = app.Today.DayOfWeek;
            await db.SaveChangesAsync();
            return unit.Id;
        });
    }

    private static AngleSharp.Html.Dom.IHtmlDocument Html(MimeMessage message) => Parser.ParseDocument(Assert.IsType<string>(message.HtmlBody));

    /// <summary>An element's text with whitespace collapsed, as a reader sees it.</summary>
    private static string Words(IElement element) =>
        string.Join(' ', element.TextContent.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"(http://localhost:5080/repetition\?t=\S+&svar=\w+)")]
    private static partial Regex AnswerLinks();
}
