using Microsoft.Playwright;
using Nanolearning.Web.Features.Demo;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The pages of issue 16 in a real browser, checked with axe at 360 px and on a desktop, and "Lyssna": hidden
/// without a Swedish voice, and with one (stubbed before the page's script runs) it reads the lesson aloud.
/// </summary>
public sealed class Issue16BrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private const string Intro = DemoSeeder.IntroductionCourse;

    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public async Task The_new_pages_pass_axe_on_a_phone_and_a_desktop(int width)
    {
        var course = app.Catalog.FindLive(Intro)!;
        var lesson = course.Lessons[0];
        var page = await app.NewPage(width);
        var check = new BrowserTests.PageCheck(page, width, javaScript: true);

        await page.GotoAsync("/tillganglighet");
        await check.Page("tillgänglighetsredogörelse utan inloggning", "Tillgänglighetsredogörelse");

        var email = await app.NewLearner();
        await LogIn(page, email);
        await page.GotoAsync($"/kurs/{Intro}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Starta kursen" }).ClickAsync();
        await check.Page("lektion", lesson.Title);
        await page.GetByRole(AriaRole.Link, new() { Name = "Rapportera fel i lektionen" }).ClickAsync();
        await check.Page("rapportera fel", "Rapportera fel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Skicka rapporten" }).ClickAsync();
        await Assertions.Expect(page.Locator("#Text-fel")).ToBeVisibleAsync();
        await check.Page("rapportera fel med fel", "Rapportera fel");
        await page.GetByLabel("Vad är fel eller otydligt?").FillAsync("Ett stavfel i andra stycket.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Skicka rapporten" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Tack!");
        await check.Page("rapport skickad", "Rapportera fel");

        await page.Context.ClearCookiesAsync();
        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anna Ek – Anhörigkonsulent (admin)" }).ClickAsync();
        await page.GotoAsync("/admin/kommunfakta");
        await check.Page("admin: kommunfakta", "Kommunfakta");
        await page.GetByLabel("Anhörigstödets e-postadress").FillAsync("inte en adress");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        await check.Page("admin: kommunfakta med fel", "Kommunfakta");
        await page.GetByLabel("Anhörigstödets e-postadress").FillAsync("anhorigstod@exempelby.se");
        await page.GetByLabel("Kommunens namn").FillAsync("Exempelby kommun");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Sparat.");
        await check.Page("admin: kommunfakta sparad", "Kommunfakta");
        await page.GotoAsync("/admin/kommunfakta/forhandsvisning");
        await check.Page("admin: förhandsvisa lektioner", "Förhandsvisa lektioner");
        await page.GotoAsync($"/admin/kommunfakta/forhandsvisning/{Intro}/{course.FinalQuiz!.Id}");
        await check.Page("admin: förhandsvisning av slutprovet", course.FinalQuiz.Title);
        // The learner's report above is open, so the menu counts it on every admin page.
        await Assertions.Expect(page.Locator("nav a[href='/admin/felrapporter'] .badge")).ToBeVisibleAsync();
        await page.GotoAsync("/admin/felrapporter");
        await check.Page("admin: felrapporter", "Felrapporter");
        await page.GetByRole(AriaRole.Button, new() { Name = "Markera som hanterad" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Rapporten är markerad som hanterad.");
        await check.Page("admin: felrapport hanterad", "Felrapporter");
        await page.GotoAsync("/tillganglighet");
        await check.Page("tillgänglighetsredogörelse med kommunens kontakt", "Tillgänglighetsredogörelse");
        await Assertions.Expect(page.Locator("main a[href='mailto:anhorigstod@exempelby.se']")).ToBeVisibleAsync();

        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }

    [Fact]
    public async Task Lyssna_is_hidden_when_the_browser_has_no_swedish_voice()
    {
        var page = await app.NewPage(360);
        // Headless Chromium may or may not bring voices of its own: make sure it has only an English one.
        await page.AddInitScriptAsync("""
            speechSynthesis.getVoices = () => [{ lang: 'en-US', name: 'English', voiceURI: 'en', default: true, localService: true }];
            """);
        await OpenFirstLesson(page);

        await Assertions.Expect(page.Locator(".lesson h1")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Lyssna" })).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Lyssna_reads_the_lesson_aloud_in_swedish_and_stops_again_from_the_keyboard()
    {
        var course = app.Catalog.FindLive(Intro)!;
        var page = await app.NewPage(360);
        await page.AddInitScriptAsync("""
            window.__spoken = [];
            window.__cancelled = 0;
            speechSynthesis.getVoices = () => [{ lang: 'sv-SE', name: 'Svenska', voiceURI: 'sv', default: true, localService: true }];
            speechSynthesis.speak = u => window.__spoken.push({ text: u.text, lang: u.lang });
            speechSynthesis.cancel = () => { window.__cancelled++; };
            """);
        await OpenFirstLesson(page);

        var button = page.GetByRole(AriaRole.Button, new() { Name = "Lyssna" });
        await Assertions.Expect(button).ToBeVisibleAsync();
        await button.FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("#lyssna-status")).ToHaveTextAsync("Läser upp lektionen.");
        var spoken = await page.EvaluateAsync<SpokenText[]>("window.__spoken");
        var utterance = Assert.Single(spoken);
        Assert.Equal("sv-SE", utterance.Lang);
        Assert.StartsWith(course.Lessons[0].Title, utterance.Text);
        Assert.DoesNotContain("Lyssna", utterance.Text);

        var stop = page.GetByRole(AriaRole.Button, new() { Name = "Sluta läsa upp" });
        await Assertions.Expect(stop).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.Locator("#lyssna-status")).ToHaveTextAsync("Uppläsningen är stoppad.");
        await Assertions.Expect(button).ToBeVisibleAsync();
    }

    private async Task OpenFirstLesson(IPage page)
    {
        await LogIn(page, await app.NewLearner());
        await page.GotoAsync($"/kurs/{Intro}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Starta kursen" }).ClickAsync();
    }

    private static async Task LogIn(IPage page, string email)
    {
        await page.GotoAsync("/logga-in");
        await page.GetByLabel("E-postadress").FillAsync(email);
        await page.GetByLabel("Lösenord").FillAsync(AppFixture.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Mina kurser");
    }

    private sealed class SpokenText
    {
        public string Text { get; set; } = "";

        public string Lang { get; set; } = "";
    }
}
