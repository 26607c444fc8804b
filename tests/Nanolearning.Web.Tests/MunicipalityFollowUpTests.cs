using System.Net;
using static Nanolearning.Web.Tests.ReportReader;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The anhörigkonsulent's kommun view at /admin/uppfoljning over HTTP, against the hand-computed kommun of
/// <see cref="KommunFixture"/>: unsuppressed figures per förvaltning, enhet and course, the onboarding figure, the
/// trend and the politicians as a group, with CSV and XLSX downloads. Every figure is counted in a comment beside it.
/// </summary>
public sealed class MunicipalityFollowUpTests(KommunFixture app) : IClassFixture<KommunFixture>
{
    private const string Campaign = KommunFixture.Campaign;
    private const string CampaignTitle = "Anhörigperspektiv i handläggningen";
    private const string IntroTitle = "Anhörigperspektiv – introduktion";
    private const string PoliticsTitle = "Anhörigstrategin – för dig som är politiker";

    [Fact]
    public async Task The_onboarding_figure_is_the_headline_with_one_row_per_förvaltning()
    {
        var admin = await Admin();

        var page = await admin.Open("/admin/uppfoljning");

        // New employees whose 30 days have passed: Hugo (in time), Cornelia (in time), Dragan (late); Pontus's are not over.
        Assert.Equal("67\u00a0% av de nyanställda gjorde introduktionen i tid (2 av 3).", Collapse(page.QuerySelector(".headline .figure")!.TextContent));
        Assert.Contains("inom 30 dagar från första dagen", Text(page));
        Assert.Equal(
            [
                ["Barn och utbildning", "1", "1", "100\u00a0%"],
                ["Kultur och fritid", "0", "0", ""],
                ["Vård och omsorg", "2", "1", "50\u00a0%"],
                // The politicians' nämnd is under no förvaltning; they are not employees, so nobody new.
                ["Övriga enheter", "0", "0", ""],
                ["Totalt", "3", "2", "67\u00a0%"],
            ],
            Rows(page, "introduktion"));
    }

    [Fact]
    public async Task Every_course_is_counted_for_the_whole_kommun_without_suppression()
    {
        var admin = await Admin();

        var page = await admin.Open("/admin/uppfoljning");

        // Columns: assigned, started, not started, completed, completed in time, overdue, share.
        // Campaign: 8 assigned; done Elvira, Alfred, Greta, Cornelia, Ingrid (2 June, late) = 5, 4 in time; Dragan
        // started; Beata, Hugo not; overdue Beata, Dragan, Hugo.
        Assert.Equal([CampaignTitle, "8", "1", "2", "5", "4", "3", "63\u00a0%"], Row(page, "kurser", CampaignTitle));
        // Introduction: Hugo, Cornelia, Dragan (late), Pontus (open until 1 July).
        Assert.Equal([IntroTitle, "4", "0", "1", "3", "2", "0", "75\u00a0%"], Row(page, "kurser", IntroTitle));
        // Politicians: Sigrid in time, Torsten late, Ulrika overdue. Three people, shown: an admin sees everything.
        Assert.Equal([PoliticsTitle, "3", "0", "1", "2", "1", "1", "67\u00a0%"], Row(page, "kurser", PoliticsTitle));
        Assert.Empty(page.QuerySelectorAll("td.suppressed"));
    }

    [Fact]
    public async Task A_course_per_förvaltning_links_each_förvaltning_to_its_follow_up()
    {
        var admin = await Admin();

        var page = await admin.Open($"/admin/uppfoljning?kurs={Campaign}");

        Assert.Equal(
            [
                // Greta (done), Hugo (overdue), Ingrid (done, late).
                ["Barn och utbildning", "3", "2", "67\u00a0%", "1"],
                ["Kultur och fritid", "0", "0", "", "0"],
                // Alfred, Cornelia, Elvira done; Beata, Dragan overdue.
                ["Vård och omsorg", "5", "3", "60\u00a0%", "2"],
                ["Övriga enheter", "0", "0", "", "0"],
                ["Totalt", "8", "5", "63\u00a0%", "3"],
            ],
            Rows(page, "forvaltningar"));
        Assert.Equal(
            [$"/uppfoljning/enhet/{app.Schools}", $"/uppfoljning/enhet/{app.Culture}", $"/uppfoljning/enhet/{app.Care}"],
            page.QuerySelectorAll("#forvaltningar tbody a").Select(a => a.GetAttribute("href")));
        Assert.Equal(Campaign, page.QuerySelector("select#kurs option[selected]")!.GetAttribute("value"));
        Assert.Null(page.QuerySelector("#enheter"));
    }

    [Fact]
    public async Task A_förvaltning_drills_down_to_its_units_and_its_trend()
    {
        var admin = await Admin();

        var page = await admin.Open($"/admin/uppfoljning?kurs={Campaign}&forvaltning={app.Care}");

        Assert.Equal(
            [
                // Elvira done (Fredrik has no campaign).
                ["Boende Väst", "1", "1", "100\u00a0%", "0"],
                // Alfred, Cornelia done; Beata, Dragan overdue.
                ["Hemtjänst Öst", "4", "2", "50\u00a0%", "2"],
                ["Totalt", "5", "3", "60\u00a0%", "2"],
            ],
            Rows(page, "enheter"));
        Assert.Equal(
            [$"/uppfoljning/enhet/{app.CareHomeWest}", $"/uppfoljning/enhet/{app.HomeCareEast}"],
            page.QuerySelectorAll("#enheter tbody a").Select(a => a.GetAttribute("href")));
        var trend = Rows(page, "utveckling");
        Assert.Equal(12, trend.Count);
        // No campaign before May; by the end of 31 May Alfred, Cornelia and Elvira of the five; today the same.
        Assert.All(trend.Take(10), month => Assert.Equal(["0", "0", ""], month[1..]));
        Assert.Equal(["maj 2027", "5", "3", "60\u00a0%"], trend[10]);
        Assert.Equal(["juni 2027 (till i dag)", "5", "3", "60\u00a0%"], trend[11]);
        Assert.Contains("Vård och omsorg", page.QuerySelector("#utveckling caption")!.TextContent);
    }

    [Fact]
    public async Task The_kommuns_trend_of_a_course_is_a_line_chart_beside_its_table()
    {
        var admin = await Admin();

        var page = await admin.Open($"/admin/uppfoljning?kurs={Campaign}");

        var trend = Rows(page, "utveckling");
        // By 31 May: Elvira, Alfred, Greta, Cornelia = 4 of 8 (Ingrid on 2 June); today 5 of 8.
        Assert.Equal(["maj 2027", "8", "4", "50\u00a0%"], trend[10]);
        Assert.Equal(["juni 2027 (till i dag)", "8", "5", "63\u00a0%"], trend[11]);
        var chart = page.QuerySelector("svg[role=img][aria-labelledby^='utveckling-diagram']")!;
        Assert.Contains("maj 2027: 50\u00a0%", chart.QuerySelector("desc")!.TextContent);
        Assert.Contains("juli 2026: inga personer", chart.QuerySelector("desc")!.TextContent);
    }

    [Fact]
    public async Task The_politicians_are_one_group_per_course()
    {
        var admin = await Admin();

        var page = await admin.Open("/admin/uppfoljning");

        Assert.Equal([[PoliticsTitle, "3", "2", "67\u00a0%", "1"]], Rows(page, "politiker"));
        Assert.Contains("De 3 förtroendevalda som en grupp.", Text(page));
    }

    [Fact]
    public async Task Each_table_downloads_as_csv_and_xlsx_with_the_pages_figures()
    {
        var admin = await Admin();
        var page = await admin.Open($"/admin/uppfoljning?kurs={Campaign}&forvaltning={app.Care}");
        var links = page.QuerySelectorAll(".export a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Equal(6 * 2, links.Count);

        var csvLink = links.Single(l => l.Contains("tabell=enheter", StringComparison.Ordinal) && l.Contains("format=csv", StringComparison.Ordinal));
        var csv = await Download(admin, csvLink);
        Assert.Equal((HttpStatusCode.OK, "text/csv"), (csv.Status, csv.ContentType));
        Assert.Equal(
            [["Enhet", "Tilldelade", "Klara", "Andel klara", "Försenade"], ["Boende Väst", "1", "1", "100%", "0"], ["Hemtjänst Öst", "4", "2", "50%", "2"], ["Totalt", "5", "3", "60%", "2"]],
            Csv(csv.Content).Take(4));

        var xlsx = await Download(admin, links.Single(l => l.Contains("tabell=introduktion", StringComparison.Ordinal) && l.Contains("format=xlsx", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.OK, xlsx.Status);
        var total = Xlsx(xlsx.Content)[5];
        Assert.Equal(["Totalt", "3", "2"], total[..3]);
        Assert.Equal(0.6667m, Math.Round(decimal.Parse(total[3], System.Globalization.CultureInfo.InvariantCulture), 4));
        foreach (var link in links)
        {
            Assert.Equal(HttpStatusCode.OK, (await Download(admin, link)).Status);
        }
    }

    [Theory]
    [InlineData("/admin/uppfoljning?handler=Export&tabell=kurser&format=pdf", HttpStatusCode.BadRequest, "Tabellen gick inte att ladda ned")]
    [InlineData("/admin/uppfoljning?handler=Export&tabell=kurser", HttpStatusCode.BadRequest, "Tabellen gick inte att ladda ned")]
    [InlineData("/admin/uppfoljning?handler=Export&tabell=finns-inte&format=csv", HttpStatusCode.BadRequest, "Tabellen gick inte att ladda ned")]
    [InlineData("/admin/uppfoljning?handler=Export&tabell=enheter&format=csv", HttpStatusCode.BadRequest, "Tabellen gick inte att ladda ned")]
    [InlineData("/admin/uppfoljning?forvaltning=abc", HttpStatusCode.BadRequest, "Adressen går inte att använda")]
    [InlineData("/admin/uppfoljning?forvaltning=999999", HttpStatusCode.NotFound, "Förvaltningen finns inte")]
    [InlineData("/admin/uppfoljning?kurs=finns-inte", HttpStatusCode.NotFound, "Kursen finns inte i uppföljningen")]
    public async Task Bad_addresses_get_a_plain_swedish_error(string url, HttpStatusCode status, string heading)
    {
        var admin = await Admin();

        var page = await admin.Open(url, status);

        Assert.Equal(heading, page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task A_unit_that_is_not_a_förvaltning_is_not_a_drill_down()
    {
        var admin = await Admin();

        await admin.Open($"/admin/uppfoljning?forvaltning={app.HomeCareEast}", HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(KommunFixture.Chef)]
    [InlineData(KommunFixture.Employee)]
    [InlineData(KommunFixture.Politician)]
    public async Task Only_an_admin_opens_the_kommun_view_and_its_downloads(string email)
    {
        var visitor = app.NewVisitor();
        await visitor.LogIn(email);

        await AssertRefused(visitor, "/admin/uppfoljning");
        await AssertRefused(visitor, $"/admin/uppfoljning?handler=Export&tabell=kurser&format=csv&kurs={Campaign}");
    }

    [Fact]
    public async Task The_admins_menu_leads_to_the_kommun_view_and_the_report()
    {
        var admin = await Admin();

        var page = await admin.Open("/");

        var menu = page.QuerySelectorAll("nav[aria-label=Huvudmeny] a").ToDictionary(a => a.TextContent, a => a.GetAttribute("href"));
        Assert.Equal("/admin/uppfoljning", menu["Kommunens uppföljning"]);
        Assert.Equal("/rapport", menu["Rapport"]);
    }

    private async Task<Visitor> Admin()
    {
        var admin = app.NewVisitor();
        await admin.LogInWithCode(KommunFixture.Admin, app.AdminKey, app.Clock);
        return admin;
    }

    private static string Collapse(string text) =>
        string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
