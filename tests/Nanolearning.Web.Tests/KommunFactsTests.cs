using System.Net;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses.Facts;
using Nanolearning.Web.Features.MunicipalityFacts;

namespace Nanolearning.Web.Tests;

/// <summary>The app with a small course of its own whose lesson names every kommun fact.</summary>
public sealed class KommunFactsFixture : AppFixture
{
    public const string CourseId = "kommunfakta-test";
    public const string LessonId = "var-finns-stod";

    public KommunFactsFixture() => WriteCourse(CoursesFolder);

    /// <summary>The course whose lesson, quiz and APT discussion name the kommun's facts, for any app fixture.</summary>
    public static void WriteCourse(string coursesFolder)
    {
        var folder = Path.Combine(coursesFolder, CourseId);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "course.yml"), """
            id: kommunfakta-test
            title: Stöd i vår kommun
            audiences: [nyanstalld, medarbetare]
            summary: Var anhöriga får stöd.
            reviewed: 2026-11-01
            reviewed_by: Anhörigstödet
            """);
        File.WriteAllText(Path.Combine(folder, "01-var-finns-stod.md"), """
            ---
            title: Var finns stöd?
            minutes: 2
            ---

            I {{kommun.namn}} kan anhöriga ringa anhörigstödet på {{anhorigstod.telefon}}, skriva till
            {{anhorigstod.epost}} eller läsa på {{anhorigstod.webb}}.

            Det här erbjuder vi: {{anhorigstod.erbjudanden}}

            ::: quiz
            Vart ringer en anhörig i {{kommun.namn}}?

            - [x] Till {{anhorigstod.telefon}}
            - [ ] Till ingen
            - [ ] Till {{anhorigstod.epost}}

            > Anhörigstödet svarar på {{anhorigstod.telefon}}.
            :::

            ::: diskussion Stödet i vår kommun
            Vet alla på enheten att anhörigstödet i {{kommun.namn}} svarar på {{anhorigstod.telefon}}?
            Läs mer på {{anhorigstod.webb}}.
            :::
            """);
    }
}

/// <summary>
/// Kommunfakta: a lesson shows a placeholder until the admin fills a fact in, then the value, encoded; the admin
/// previews a lesson with the facts filled in.
/// </summary>
public sealed class KommunFactsTests(KommunFactsFixture app) : IClassFixture<KommunFactsFixture>
{
    private const string LessonUrl = $"/kurs/{KommunFactsFixture.CourseId}/{KommunFactsFixture.LessonId}";

    [Fact]
    public async Task A_lesson_shows_placeholders_until_the_admin_fills_in_the_facts_and_then_the_values()
    {
        await SaveFacts(); // all empty, whatever another test left
        var learner = app.NewVisitor();
        await learner.LogIn(await app.NewLearner());
        var before = await learner.StartCourse(KommunFactsFixture.CourseId);

        var text = Visitor.Text(before);
        Assert.Contains("[kommunens namn – kommunen har inte fyllt i det än]", text);
        Assert.Contains("ringa anhörigstödet på [anhörigstödets telefonnummer – kommunen har inte fyllt i det än]", text);
        Assert.Contains("Vart ringer en anhörig i [kommunens namn – kommunen har inte fyllt i det än]?", text);
        Assert.Contains("[anhörigstödets erbjudanden i kommunen – kommunen har inte fyllt i det än]", text);

        await SaveFacts(("Name", "Exempelby kommun"), ("Phone", "0123-456 78"), ("Email", "anhorigstod@exempelby.se"),
            ("WebPage", "https://exempelby.se/anhorigstod"), ("Offers", "Samtalsgrupper\r\nAvlösning i hemmet"));

        var after = await learner.Open(LessonUrl);
        text = Visitor.Text(after);
        Assert.DoesNotContain("kommunen har inte fyllt i det än", text);
        Assert.Contains("I Exempelby kommun kan anhöriga ringa anhörigstödet på 0123-456 78", text);
        Assert.Contains("Vart ringer en anhörig i Exempelby kommun?", text);
        Assert.Equal("anhorigstod@exempelby.se", after.QuerySelector("a[href='mailto:anhorigstod@exempelby.se']")?.TextContent);
        Assert.Equal("https://exempelby.se/anhorigstod", after.QuerySelector("a[href='https://exempelby.se/anhorigstod']")?.TextContent);
        Assert.Equal(2, after.QuerySelectorAll("[data-fact='anhorigstod.erbjudanden'] br").Length + 1);
        Assert.Equal("Till 0123-456 78", after.QuerySelector("label[for$='-a']")?.TextContent.Trim());
    }

    [Fact]
    public async Task Facts_changed_in_the_database_by_another_instance_show_once_ten_seconds_have_passed_on_the_apps_clock()
    {
        using var own = new AppFixture();
        async Task<string?> Shown() => await own.In<FactFilling, string?>(async facts => (await facts.LoadAsync()).Value(KommunFacts.MunicipalityName));
        await own.Query(db =>
        {
            db.KommunFacts.Add(new KommunFactsRow { Name = "Förra namnet", UpdatedAt = own.UtcNow });
            return db.SaveChangesAsync();
        });
        Assert.Equal("Förra namnet", await Shown());

        await own.Query(db => db.KommunFacts.ExecuteUpdateAsync(s => s.SetProperty(r => r.Name, "Nya namnet")));
        own.Clock.Advance(FactFilling.Lifetime - TimeSpan.FromSeconds(1));
        Assert.Equal("Förra namnet", await Shown());
        own.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("Nya namnet", await Shown());
    }

    [Fact]
    public async Task Markup_in_a_fact_is_shown_as_text_and_never_becomes_markup()
    {
        await SaveFacts(("Name", "<script>alert(1)</script><b>Fet</b> kommun"), ("Offers", "<img src=x onerror=alert(1)>Grupper"));
        var learner = app.NewVisitor();
        await learner.LogIn(await app.NewLearner());

        var lesson = await learner.StartCourse(KommunFactsFixture.CourseId);

        var article = lesson.QuerySelector("article")!;
        Assert.Empty(article.QuerySelectorAll("script, b, img"));
        Assert.Contains("<script>alert(1)</script><b>Fet</b> kommun", article.TextContent);
        Assert.Contains("<img src=x onerror=alert(1)>Grupper", article.TextContent);
    }

    [Fact]
    public async Task The_form_refuses_an_address_that_is_no_address_in_plain_swedish_and_saves_nothing()
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var form = await admin.Open("/admin/kommunfakta");

        using var response = await admin.Submit(form, "main form", ("Name", "Felby kommun"), ("Phone", "ring oss"),
            ("Email", "inte en adress"), ("WebPage", "javascript:alert(1)"), ("Offers", ""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await Visitor.Parse(response);
        var summary = page.QuerySelector(".error-summary")!.TextContent;
        Assert.Contains("Skriv telefonnumret med siffror", summary);
        Assert.Contains("Skriv en e-postadress, till exempel anhorigstod@kommun.se.", summary);
        Assert.Contains("Skriv hela webbadressen, med https:// först", summary);
        Assert.Equal("true", page.QuerySelector("#Email")!.GetAttribute("aria-invalid"));
        Assert.Null(await app.Query(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(db.KommunFacts, r => r.Name == "Felby kommun")));
    }

    [Fact]
    public async Task The_admin_previews_a_lesson_with_the_facts_filled_in_and_the_right_answer_marked()
    {
        await SaveFacts(("Name", "Förhandsby kommun"), ("Phone", "0987-654 32"));
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");

        var list = await admin.Open("/admin/kommunfakta/forhandsvisning");
        var link = list.QuerySelectorAll("main a").First(a => a.TextContent == "1. Var finns stöd?").GetAttribute("href")!;
        var preview = await admin.Open(link);

        var text = Visitor.Text(preview);
        Assert.Contains("I Förhandsby kommun kan anhöriga ringa anhörigstödet på 0987-654 32", text);
        Assert.Contains("Till 0987-654 32 (rätt svar)", text);
        Assert.Contains("[anhörigstödets webbsida – kommunen har inte fyllt i det än]", text);
        Assert.Empty(preview.QuerySelectorAll("main form"));
    }

    [Fact]
    public async Task The_admin_course_page_shows_when_and_by_whom_each_course_was_reviewed()
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");

        var page = await admin.Open("/admin/kurser");

        var row = page.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(KommunFactsFixture.CourseId));
        Assert.Contains("1 november 2026 av Anhörigstödet", row.TextContent);
        Assert.Contains(page.QuerySelectorAll("tbody tr"), r => r.TextContent.Contains("2 december 2026 av Nanolearnings redaktion"));
    }

    [Fact]
    public async Task The_APT_material_fills_in_the_facts_in_its_discussions_and_keeps_the_placeholder_for_the_rest()
    {
        await SaveFacts(("Name", "Aptby kommun"), ("Phone", "0111-222 33"));
        var chef = app.NewVisitor();
        await chef.LogInAs("chef");

        var page = await chef.Open($"/arshjul/apt/kurs/{KommunFactsFixture.CourseId}");

        var discussion = Words(page.QuerySelector("section.apt-discussion")!);
        Assert.Contains("anhörigstödet i Aptby kommun svarar på 0111-222 33?", discussion);
        Assert.Contains("Läs mer på [anhörigstödets webbsida – kommunen har inte fyllt i det än].", discussion);
        Assert.DoesNotContain("{{", discussion);
    }

    [Fact]
    public async Task A_repetition_question_opened_from_its_e_mail_link_fills_in_the_facts_and_keeps_answers_single_links()
    {
        await SaveFacts(("Name", "Repby kommun"), ("Phone", "0444-555 66"), ("Email", "stod@repby.se"));
        var learnerId = await app.LearnerId(await app.NewLearner());
        var asked = new Nanolearning.Web.Features.Reminders.RepetitionQuestion(learnerId, KommunFactsFixture.CourseId, $"{KommunFactsFixture.LessonId}-1");
        var link = await app.In<Nanolearning.Web.Features.Reminders.ReminderLinks, string>(links => Task.FromResult(links.Repetition(asked)));
        var visitor = app.NewVisitor();

        var page = await visitor.Open(link);

        Assert.Equal("Vart ringer en anhörig i Repby kommun?", Words(page.QuerySelector(".prompt")!));
        var answers = page.QuerySelectorAll("ul.answers li a").ToList();
        Assert.Equal(["Till 0444-555 66", "Till ingen", "Till stod@repby.se"], answers.Select(a => a.TextContent.Trim()));
        // The e-mail address is text inside the answer's link: a mailto: link in it would be a link in a link.
        Assert.Empty(page.QuerySelectorAll("ul.answers a[href^='mailto:']"));

        var answered = await visitor.Open(answers[1].GetAttribute("href")!);

        var feedback = Words(answered.QuerySelector(".feedback")!);
        Assert.Contains("Rätt svar: Till 0444-555 66", feedback);
        Assert.Contains("Anhörigstödet svarar på 0444-555 66.", feedback);
    }

    private static string Words(AngleSharp.Dom.IElement element) =>
        string.Join(' ', element.TextContent.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    private async Task SaveFacts(params (string Name, string Value)[] fields)
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var form = await admin.Open("/admin/kommunfakta");
        string[] all = ["Name", "Phone", "Email", "WebPage", "Offers"];
        var values = all.Select(name => (name, fields.FirstOrDefault(f => f.Name == name).Value ?? "")).ToArray();
        var saved = await admin.SubmitAndFollow(form, "main form", values);
        Assert.Contains("Sparat.", Visitor.Text(saved));
    }
}
