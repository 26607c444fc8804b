using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Nanolearning.Courses;
using Nanolearning.Web.Features.AnnualWheel;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The learner's journey in a real browser on a phone and a desktop, with and without JavaScript, and every page
/// checked with axe for WCAG 2.1 A and AA.
/// </summary>
public sealed class BrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private const string Intro = DemoSeeder.IntroductionCourse;

    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    [Theory]
    [InlineData(360, true)]
    [InlineData(1280, true)]
    [InlineData(360, false)]
    public async Task A_learner_takes_a_whole_course_in_the_browser(int width, bool javaScript)
    {
        var course = app.Catalog.FindLive(Intro)!;
        var page = await app.NewPage(width, javaScript);
        var check = new PageCheck(page, width, javaScript);

        await page.GotoAsync("/");
        await check.Page("inloggning", "Logga in");
        var email = await app.NewLearner();
        await app.Assign(email, Intro);
        await page.GetByLabel("E-postadress").FillAsync(email);
        await page.GetByLabel("Lösenord").FillAsync(AppFixture.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in", Exact = true }).ClickAsync();
        await check.Page("Mina kurser", "Mina kurser");

        await page.GetByRole(AriaRole.Link, new() { Name = "Börja med " + course.Title }).ClickAsync();
        await check.Page("kursens startsida", course.Title);
        await page.GetByRole(AriaRole.Button, new() { Name = "Starta kursen" }).ClickAsync();

        foreach (var lesson in course.Lessons.Where(l => !l.IsFinalQuiz))
        {
            await check.Page("lektion " + lesson.Number, lesson.Title);
            foreach (var question in lesson.Questions)
            {
                var form = page.Locator($"#fraga-{question.Id}");
                await Answer(form, question);
                await form.GetByRole(AriaRole.Button, new() { Name = "Svara" }).ClickAsync();
                await Assertions.Expect(page.Locator($"#fraga-{question.Id} .feedback")).ToBeVisibleAsync();
            }

            await check.Page($"lektion {lesson.Number} med återkoppling", lesson.Title);
            await page.GetByRole(AriaRole.Button, new() { Name = "Nästa lektion" }).ClickAsync();
        }

        var quiz = course.FinalQuiz!;
        await check.Page("slutprov", quiz.Title);
        foreach (var question in quiz.Questions)
        {
            await Answer(page.Locator($"#slutprov fieldset:has(#fraga-{question.Id}-text)"), question);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Lämna in provet" }).ClickAsync();
        await Assertions.Expect(page.Locator("#resultat")).ToContainTextAsync("Godkänt!");
        await check.Page("provresultat", quiz.Title);
        await page.GetByRole(AriaRole.Button, new() { Name = "Klar med kursen" }).ClickAsync();
        await check.Page("klar", "Bra jobbat – du är klar!");

        await page.GetByRole(AriaRole.Link, new() { Name = "Visa och skriv ut intyget" }).ClickAsync();
        await Assertions.Expect(page.Locator(".certificate")).ToContainTextAsync(course.Title);
        await check.Page("intyg", "Intyg");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.Locator("header.top")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(".certificate")).ToBeVisibleAsync();
        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }

    [Fact]
    public async Task A_refresher_passes_axe_at_360_px()
    {
        var course = app.Catalog.FindLive(Intro)!;
        var email = await app.NewLearner();
        await app.Complete(email, course, app.UtcNow.AddYears(-1));
        var today = app.Today;
        await app.Assign(email, Intro, today, today.AddDays(30));
        var page = await app.NewPage(360);
        var check = new PageCheck(page, 360, javaScript: true);

        await page.GotoAsync("/logga-in");
        await page.GetByLabel("E-postadress").FillAsync(email);
        await page.GetByLabel("Lösenord").FillAsync(AppFixture.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in", Exact = true }).ClickAsync();
        await check.Page("Mina kurser med repetition", "Mina kurser");
        await page.GetByRole(AriaRole.Link, new() { Name = "Börja med " + course.Title }).ClickAsync();
        await check.Page("kursens startsida med repetition", course.Title);
        await page.GetByRole(AriaRole.Button, new() { Name = "Starta repetitionen" }).ClickAsync();
        await check.Page("repetitionsprov", course.FinalQuiz!.Title);
        await page.GotoAsync($"/kurs/{Intro}/{course.Lessons[0].Id}");
        await check.Page("oförändrad lektion", course.Lessons[0].Title);
        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }

    [Fact]
    public async Task Admin_error_and_refusal_pages_pass_axe_at_360_px()
    {
        var page = await app.NewPage(360);
        var check = new PageCheck(page, 360, javaScript: true);
        await page.GotoAsync("/logga-in");
        await page.GetByLabel("E-postadress").FillAsync("ingen@exempel.se");
        await page.GetByLabel("Lösenord").FillAsync("fel lösenord, helt fel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#fel")).ToBeVisibleAsync();
        await check.Page("inloggning med fel", "Logga in");

        await page.GetByRole(AriaRole.Button, new() { Name = "Anna Ek – Anhörigkonsulent (admin)" }).ClickAsync();
        await page.GotoAsync("/admin/kurser");
        await check.Page("admin: kurser", "Kurser");
        await page.GotoAsync("/kurs/finns-inte");
        await check.Page("okänd kurs", "Kursen finns inte");
        await page.GotoAsync("/kurs/anhorigstrategin-for-politiker");
        await check.Page("kurs för annan målgrupp", "Kursen är inte öppen för dig");
        await page.GotoAsync("/okand/sida");
        await check.Page("okänd sida", "Sidan finns inte");
        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }

    [Fact]
    public async Task Apt_material_and_the_calendar_page_pass_axe_at_360_px_and_the_material_prints_one_discussion_a_page()
    {
        var course = app.Catalog.FindLive(Intro)!;
        var aptId = await app.Query(db => db.AnnualWheelEntries.Where(e => e.Kind == AnnualWheelKind.WorkplaceMeeting).Select(e => e.Id).FirstAsync());
        var page = await app.NewPage(360);
        var check = new PageCheck(page, 360, javaScript: true);
        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kristina Berg – Chef" }).ClickAsync();
        await check.Page("Mina kurser", "Mina kurser");

        await page.GotoAsync($"/arshjul/apt/{aptId}");
        await check.Page("APT-material", course.Title);
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.Locator("header.top")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(".actions")).ToBeHiddenAsync();
        var breaks = await page.Locator("section.apt-discussion").EvaluateAllAsync<string[]>("s => s.map(e => getComputedStyle(e).breakBefore)");
        Assert.Equal(["auto", .. Enumerable.Repeat("page", course.Discussions.Length - 1)], breaks);
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        await page.GotoAsync("/arshjul/kalender");
        await check.Page("kalender", "Årshjulet i din kalender");
        await page.GetByRole(AriaRole.Button, new() { Name = "Skapa prenumerationslänk" }).ClickAsync();
        await Assertions.Expect(page.Locator("#nya-lankar")).ToBeVisibleAsync();
        await check.Page("kalender med ny länk", "Årshjulet i din kalender");
        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }

    [Fact]
    public async Task Mail_pages_pass_axe_at_360_px()
    {
        var subject = "Påminnelse: Anhörigperspektiv – introduktion ska vara klar om två dagar " + Guid.NewGuid().ToString("N")[..6];
        await app.Services.GetRequiredService<Mailer>().SendAsync(new OutgoingMail(
            "karl-johan.lindqvist-bergstrom@hemtjanst-norr.exempelkommun.se", "Karl-Johan Lindqvist-Bergström", subject,
            "Hej Karl-Johan!\n\nKursen väntar på dig: https://nanolearning.exempelkommun.se/kurs/anhorigperspektiv-introduktion/lektion-1",
            "<p>Hej Karl-Johan!</p>"));

        var page = await app.NewPage(360);
        var check = new PageCheck(page, 360, javaScript: true);
        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anna Ek – Anhörigkonsulent (admin)" }).ClickAsync();
        await page.GotoAsync("/admin/e-post");
        await check.Page("admin: e-post", "E-post");
        await page.GetByRole(AriaRole.Link, new() { Name = subject }).ClickAsync();
        await check.Page("admin: ett e-postmeddelande", subject);
        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }

    [Fact]
    public async Task Reminder_pages_pass_axe_at_360_px()
    {
        var course = app.Catalog.FindLive(Intro)!;
        var email = await app.NewLearner();
        var learnerId = await app.LearnerId(email);
        var today = app.Today;
        await app.Assign(email, Intro, today, today.AddDays(10));
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReminderScan>().RunAsync();
        }

        var links = app.Services.GetRequiredService<ReminderLinks>();
        var question = course.Lessons.SelectMany(l => l.Questions).First(q => q.Kind == QuestionKind.SingleChoice);
        var asked = new RepetitionQuestion(learnerId, Intro, question.Id);

        var page = await app.NewPage(360);
        var check = new PageCheck(page, 360, javaScript: true);
        await page.GotoAsync("/logga-in");
        await page.GetByLabel("E-postadress").FillAsync(email);
        await page.GetByLabel("Lösenord").FillAsync(AppFixture.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".notices .notice")).ToContainTextAsync("Du har fått kursen");
        await check.Page("Mina kurser med påminnelse", "Mina kurser");
        await page.GotoAsync(links.Repetition(asked));
        await check.Page("repetitionsfråga", "Repetitionsfråga");
        await page.GotoAsync(links.Repetition(asked, question.Options.First(o => !o.IsCorrect).Id));
        await check.Page("repetitionsfråga besvarad", "Repetitionsfråga");
        await page.GotoAsync("/konto/sammanfattning");
        await check.Page("veckosammanfattning", "Veckosammanfattning");
        await page.GotoAsync(new Uri(links.Unsubscribe(learnerId)).PathAndQuery);
        await check.Page("avsluta veckosammanfattning", "Veckosammanfattningen");

        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anna Ek – Anhörigkonsulent (admin)" }).ClickAsync();
        await page.GotoAsync("/admin/paminnelser");
        await check.Page("admin: påminnelser", "Påminnelser");

        // A server refusing everything, and a mail it refused: the banner, the list and the bulk confirmation.
        await app.Query(async db =>
        {
            db.DeliveryProblems.Add(new DeliveryProblem
            {
                Channel = DeliveryProblem.Smtp, Since = app.UtcNow, LastAt = app.UtcNow, Failures = 3, Refusing = true,
                PausedUntil = app.UtcNow.AddMinutes(10), Code = 554, Reason = "5.7.1 Relay access denied",
            });
            db.ReminderMails.Add(new ReminderMail
            {
                LearnerId = learnerId, Day = today, State = ReminderMailState.Failed, Attempts = 1, NextAttemptAt = app.UtcNow,
                LastError = "E-mail could not be delivered to 127.0.0.1:25: the server refused with 550 5.1.1 Recipient address rejected.", LastErrorCode = 550,
            });
            return await db.SaveChangesAsync();
        });
        try
        {
            await page.GotoAsync("/admin/paminnelser");
            await check.Page("admin: påminnelser, servern nekar", "Påminnelser");
            await page.GotoAsync("/admin/paminnelser?bekrafta=true");
            await check.Page("admin: påminnelser, skicka alla igen", "Påminnelser");
        }
        finally
        {
            await app.Query(db => db.DeliveryProblems.ExecuteDeleteAsync());
        }

        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }

    [Fact]
    public async Task Import_pages_pass_axe_at_360_px()
    {
        var page = await app.NewPage(360);
        var check = new PageCheck(page, 360, javaScript: true);
        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anna Ek – Anhörigkonsulent (admin)" }).ClickAsync();
        await page.GotoAsync("/admin/import");
        await check.Page("admin: personalimport", "Importera personal");

        var bad = StaffFile.Header + "\r\n1;Åsa;Öberg;inte-en-adress;;;2000;Hemtjänst Norr;1100;;i morgon\r\n";
        await page.GetByLabel("Fil från personalsystemet (CSV)").SetInputFilesAsync(new FilePayload { Name = "fel.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(bad) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Förhandsgranska" }).ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToContainTextAsync("Rad 2, kolumn 4 (E-post)");
        await check.Page("förhandsgranskning med fel", "Förhandsgranska importen");

        var file = await StaffFile.Current(app);
        var mover = file.Lines.First(l => l.UnitCode != "2000" && l.Role != "Chef");
        file[mover.EmployeeNumber] = mover with { UnitCode = "2000", UnitName = "Hemtjänst Norr", ParentCode = "1100", ManagerNumber = "" };
        file.With(StaffFile.NewEmployee("70500", "Saga", "Lindqvist-Bergström") with { JobTitle = "Undersköterska; natt" })
            .With(StaffFile.NewEmployee("70501") with { UnitCode = "9500", UnitName = "Hemtjänst Väster med ett långt namn", ParentCode = "1100" });
        await page.GotoAsync("/admin/import");
        await page.GetByLabel("Fil från personalsystemet (CSV)").SetInputFilesAsync(new FilePayload { Name = "personal.csv", MimeType = "text/csv", Buffer = file.Bytes(System.Text.Encoding.UTF8) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Förhandsgranska" }).ClickAsync();
        await Assertions.Expect(page.Locator("#flyttar")).ToBeVisibleAsync();
        await check.Page("förhandsgranskning", "Förhandsgranska importen");
        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }

    private static async Task Answer(ILocator scope, Question question)
    {
        if (question.Kind == QuestionKind.Reflection)
        {
            await scope.Locator("textarea").FillAsync("Jag vill fråga anhöriga oftare hur de har det.");
            return;
        }

        foreach (var option in question.Options.Where(o => o.IsCorrect))
        {
            await scope.Locator($"input[value='{option.Id}']").CheckAsync();
        }
    }

    /// <summary>Collects, for every page visited, axe's WCAG 2.1 A/AA violations and any sideways scrolling at the width.</summary>
    /// <remarks>
    /// Each check first waits for the page's own heading rather than a load state: right after a click, a load-state
    /// wait can match the page being left, or, as seen on CI, hang while the next document commits.
    /// </remarks>
    internal sealed class PageCheck(IPage page, int width, bool javaScript)
    {
        public List<string> Problems { get; } = [];

        public async Task Page(string name, string heading)
        {
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(heading);
            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "sv");
            var title = await page.TitleAsync();
            if (!Visitor.NamesAPage(title))
            {
                Problems.Add($"{name} ({page.Url}): the title \"{title}\" names no page");
            }

            if (!javaScript)
            {
                return;
            }

            // The heading is on the new document, so this waits for that one. Not WaitForFunctionAsync: when its first
            // check fails it polls through eval, which the app's Content-Security-Policy refuses (seen once, 1280 px).
            await page.WaitForLoadStateAsync(LoadState.Load);

            var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            if (scrollWidth > width)
            {
                var culprits = await page.EvaluateAsync<string[]>(
                    "w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w)" +
                    ".filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > w)).slice(0, 3).map(e => e.outerHTML.slice(0, 120))",
                    width);
                Problems.Add($"{name}: the page is {scrollWidth} px wide at a {width} px viewport: {string.Join(" | ", culprits)}");
            }

            var result = await page.RunAxe(Wcag21AA);
            Problems.AddRange(result.Violations.Select(v =>
                $"{name} ({page.Url}): {v.Id} – {v.Help}: {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        }
    }
}
