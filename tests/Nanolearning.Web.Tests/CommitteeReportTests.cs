using System.Net;
using AngleSharp.Dom;
using static Nanolearning.Web.Tests.ReportReader;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The nämnd report at /rapport over HTTP, against the hand-computed kommun of <see cref="KommunFixture"/> with the
/// default sekretessgräns k = 5: only aggregates, small groups hidden along with what would reveal them, on the page
/// and in its downloads alike, and no learner's name anywhere a politician can reach.
/// </summary>
public sealed class CommitteeReportTests(KommunFixture app) : IClassFixture<KommunFixture>
{
    private const string CampaignTitle = "Anhörigperspektiv i handläggningen";
    private const string IntroTitle = "Anhörigperspektiv – introduktion";
    private const string PoliticsTitle = "Anhörigstrategin – för dig som är politiker";
    private const string Introduction = "introduktion-per-forvaltning";

    [Fact]
    public async Task A_förvaltning_under_k_hides_the_next_smallest_too_so_the_total_reveals_neither()
    {
        var politician = await Politician();

        var page = await politician.Open("/rapport");

        // Employees and the introduction ever done: Barn 3 (Greta, Hugo, Ingrid: all done), Kultur 9 (Jakob, Kerstin,
        // Ludvig, Matilda, Nils done), Vård 6 (Alfred, Cornelia, Dragan done); the kommun 18, 11 done. Barn is under 5;
        // with only it hidden, 18 − 9 − 6 would give Barn's 3 and 11 − 5 − 3 its 3 done. So the smallest shown row,
        // Vård (6), is hidden too: total minus Kultur only gives Barn and Vård together, 9 people.
        // The politicians' nämnd has no employees, so it has no row.
        string[][] expected =
        [
            ["Barn och utbildning", "–", "–", "–"],
            ["Kultur och fritid", "9", "5", "56\u00a0%"],
            ["Vård och omsorg", "–", "–", "–"],
            ["Totalt", "18", "11", "61\u00a0%"],
        ];
        Assert.Equal(expected, Rows(page, Introduction));
        // What a reader can work out from the page alone: the hidden rows together hold the total minus the shown rows.
        var rows = Rows(page, Introduction);
        var shownPeople = rows[..^1].Where(r => r[1] != "–").Sum(r => int.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(rows[..^1].Count(r => r[1] == "–") >= 2 && 18 - shownPeople >= 5, "a hidden row could be worked out from the total");
        Assert.StartsWith("– = Färre än 5 personer", page.QuerySelector($"#{Introduction} .footnote")!.TextContent);
        // Nothing of a hidden row is left anywhere: not in the bar chart, nor as a figure in the page.
        var chart = page.QuerySelector($"svg[aria-labelledby^='{Introduction}-diagram']")!;
        Assert.Contains("Barn och utbildning: dold", chart.QuerySelector("desc")!.TextContent);
        Assert.Contains("Vård och omsorg: dold", chart.QuerySelector("desc")!.TextContent);
        Assert.Contains("Kultur och fritid: 56\u00a0%", chart.QuerySelector("desc")!.TextContent);
        Assert.DoesNotContain("50\u00a0%", chart.OuterHtml);
        Assert.DoesNotContain("100\u00a0%", chart.OuterHtml);

        var csv = Csv((await Download(politician, $"/rapport?handler=Export&tabell={Introduction}&format=csv")).Content);
        Assert.Equal(
            [["Förvaltning", "Anställda", "Klara", "Andel klara"], ["Barn och utbildning", "–", "–", "–"], ["Kultur och fritid", "9", "5", "55,6%"], ["Vård och omsorg", "–", "–", "–"], ["Totalt", "18", "11", "61,1%"]],
            csv.Take(5));
        var xlsx = Xlsx((await Download(politician, $"/rapport?handler=Export&tabell={Introduction}&format=xlsx")).Content);
        Assert.Equal(
            [["Barn och utbildning", "–", "–", "–"], ["Vård och omsorg", "–", "–", "–"], ["Totalt", "18", "11"]],
            [xlsx[1], xlsx[3], xlsx[4][..3]]);
        Assert.Equal(["Kultur och fritid", "9", "5"], xlsx[2][..3]);
    }

    [Fact]
    public async Task A_course_with_fewer_than_k_assigned_is_hidden_on_its_own()
    {
        var politician = await Politician();

        var page = await politician.Open("/rapport");

        // The campaign: 8 assigned, 5 done. The introduction (4 assigned) and the politicians' course (3) are under 5;
        // no total is shown, so no other row needs hiding.
        Assert.Equal([CampaignTitle, "8", "5", "63\u00a0%"], Row(page, "kurser", CampaignTitle));
        Assert.Equal([IntroTitle, "–", "–", "–"], Row(page, "kurser", IntroTitle));
        Assert.Equal([PoliticsTitle, "–", "–", "–"], Row(page, "kurser", PoliticsTitle));
        var csv = Csv((await Download(politician, "/rapport?handler=Export&tabell=kurser&format=csv")).Content);
        Assert.Contains(csv, line => line.SequenceEqual([PoliticsTitle, "–", "–", "–"]));
    }

    [Fact]
    public async Task The_trend_is_the_kommuns_introduction_share_at_each_month_end()
    {
        var politician = await Politician();

        var page = await politician.Open("/rapport");

        // Employed at each month end: 14 who started in 2020 (8 of them done in 2020), then Hugo from January (done
        // 15 January), Cornelia from March (done 20 March), Dragan from April (done 10 May), Pontus from June.
        string[][] months =
        [
            ["juli 2026", "14", "8", "57\u00a0%"], ["augusti 2026", "14", "8", "57\u00a0%"], ["september 2026", "14", "8", "57\u00a0%"],
            ["oktober 2026", "14", "8", "57\u00a0%"], ["november 2026", "14", "8", "57\u00a0%"], ["december 2026", "14", "8", "57\u00a0%"],
            ["januari 2027", "15", "9", "60\u00a0%"], ["februari 2027", "15", "9", "60\u00a0%"], ["mars 2027", "16", "10", "63\u00a0%"],
            ["april 2027", "17", "10", "59\u00a0%"], ["maj 2027", "17", "11", "65\u00a0%"], ["juni 2027 (till i dag)", "18", "11", "61\u00a0%"],
        ];
        Assert.Equal(months, Rows(page, "utveckling"));
        var chart = page.QuerySelector("svg[aria-labelledby^='utveckling-diagram']")!;
        Assert.Contains("april 2027: 59\u00a0%", chart.QuerySelector("desc")!.TextContent);
        Assert.Equal(12, chart.QuerySelectorAll("circle.chart-point").Length);
    }

    [Fact]
    public async Task Each_part_prints_on_a_page_of_its_own_headed_by_the_date_and_k()
    {
        var politician = await Politician();

        var page = await politician.Open("/rapport");

        var sections = page.QuerySelectorAll("main > section.report");
        Assert.Equal(["Introduktion per förvaltning", "Genomförande per kurs", "Utveckling per månad"], sections.Select(s => s.QuerySelector("h2")!.TextContent));
        Assert.All(sections, section => Assert.Equal(
            "Rapport till nämnden, 15 juni 2027. Grupper med färre än 5 personer visas inte (k = 5).",
            section.QuerySelector(".report-stamp")!.TextContent));
        Assert.Contains("Grupper med färre än 5 personer visas inte (k = 5).", page.QuerySelector(".report-meta")!.TextContent);
        Assert.Contains("Skriv ut den med webbläsarens utskrift", Text(page));
        Assert.Empty(page.QuerySelectorAll("script, [onclick]"));

        var css = await politician.Client.GetStringAsync(page.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href"));
        var print = string.Join("\n", css.Split("@media print").Skip(1));
        Assert.Contains(".report { break-after: page;", print);
        Assert.Contains(".report-stamp { display: block;", print);
    }

    [Fact]
    public async Task A_politicians_pages_and_downloads_hold_no_learners_name()
    {
        var politician = await Politician();

        var report = await Body(politician, "/rapport");
        var mine = await Body(politician, "/");
        var downloads = new List<string>();
        foreach (var table in new[] { Introduction, "kurser", "utveckling" })
        {
            downloads.Add(System.Text.Encoding.UTF8.GetString((await Download(politician, $"/rapport?handler=Export&tabell={table}&format=csv")).Content));
            downloads.Add(XlsxText((await Download(politician, $"/rapport?handler=Export&tabell={table}&format=xlsx")).Content));
        }

        // The start page greets the politician by first name ("Hej Sigrid!"), and only her.
        Assert.Contains("Hej Sigrid!", mine);
        foreach (var (first, last) in app.Names)
        {
            foreach (var body in downloads.Append(report))
            {
                Assert.DoesNotContain(first, body, StringComparison.Ordinal);
                Assert.DoesNotContain(last, body, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(last, mine, StringComparison.Ordinal);
            if (first != "Sigrid")
            {
                Assert.DoesNotContain(first, mine, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_politician_finds_the_report_in_the_menu_and_no_link_to_people()
    {
        var politician = await Politician();

        foreach (var url in new[] { "/", "/rapport" })
        {
            var page = await politician.Open(url);
            var links = page.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).ToList();
            Assert.Contains("/rapport", page.QuerySelectorAll("nav[aria-label=Huvudmeny] a").Where(a => a.TextContent == "Rapport").Select(a => a.GetAttribute("href")));
            Assert.DoesNotContain(links, href => href.StartsWith("/uppfoljning", StringComparison.Ordinal) || href.StartsWith("/admin", StringComparison.Ordinal) || href.StartsWith("/arshjul", StringComparison.Ordinal));
        }

        Assert.Empty((await politician.Open("/rapport")).QuerySelectorAll("table.figures tbody a"));
    }

    [Fact]
    public async Task A_politician_is_refused_every_page_about_units_or_people()
    {
        var politician = await Politician();

        await AssertRefused(politician, "/admin/uppfoljning");
        await AssertRefused(politician, $"/admin/uppfoljning?handler=Export&tabell=kurser&format=csv");
        await AssertRefused(politician, "/admin/granskningslogg");
        await AssertRefused(politician, $"/uppfoljning/enhet/{app.HomeCareEast}/forsenade");
        await AssertRefused(politician, $"/uppfoljning/enhet/{app.Care}/forsenade");
        await AssertRefused(politician, $"/uppfoljning/enhet/{app.HomeCareEast}/fragor/{KommunFixture.Intro}");
    }

    [Fact]
    public async Task An_employee_may_not_open_the_report_nor_its_downloads()
    {
        var employee = app.NewVisitor();
        await employee.LogIn(KommunFixture.Employee);

        await AssertRefused(employee, "/rapport");
        await AssertRefused(employee, $"/rapport?handler=Export&tabell={Introduction}&format=csv");
        Assert.DoesNotContain("Rapport", (await employee.Open("/")).QuerySelector("nav")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KommunFixture.Chef)]
    [InlineData(KommunFixture.Admin)]
    public async Task A_chef_and_the_admin_read_the_same_suppressed_report(string email)
    {
        var visitor = app.NewVisitor();
        await (email == KommunFixture.Admin ? visitor.LogInWithCode(email, app.AdminKey, app.Clock) : visitor.LogIn(email));

        var page = await visitor.Open("/rapport");

        Assert.Equal(["Vård och omsorg", "–", "–", "–"], Row(page, Introduction, "Vård och omsorg"));
    }

    [Theory]
    [InlineData("/rapport?handler=Export&tabell=kurser&format=pdf")]
    [InlineData("/rapport?handler=Export&tabell=kurser")]
    [InlineData("/rapport?handler=Export&tabell=personer&format=csv")]
    public async Task A_bad_download_address_is_a_swedish_400(string url)
    {
        var politician = await Politician();

        var page = await politician.Open(url, HttpStatusCode.BadRequest);

        Assert.Equal("Tabellen gick inte att ladda ned", page.QuerySelector("h1")!.TextContent);
    }

    private async Task<Visitor> Politician()
    {
        var politician = app.NewVisitor();
        await politician.LogIn(KommunFixture.Politician);
        return politician;
    }

    private static async Task<string> Body(Visitor visitor, string url)
    {
        using var response = await visitor.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}

/// <summary>The same report with k = 3: what k = 5 hid is shown, and the page says which k it used.</summary>
public sealed class CommitteeReportWithK3Tests(KommunFixtureWithK3 app) : IClassFixture<KommunFixtureWithK3>
{
    [Fact]
    public async Task With_k_3_every_förvaltning_and_course_of_three_or_more_is_shown()
    {
        var politician = app.NewVisitor();
        await politician.LogIn(KommunFixture.Politician);

        var page = await politician.Open("/rapport");

        Assert.Equal(
            [
                ["Barn och utbildning", "3", "3", "100\u00a0%"],
                ["Kultur och fritid", "9", "5", "56\u00a0%"],
                ["Vård och omsorg", "6", "3", "50\u00a0%"],
                ["Totalt", "18", "11", "61\u00a0%"],
            ],
            Rows(page, "introduktion-per-forvaltning"));
        Assert.Equal(["Anhörigstrategin – för dig som är politiker", "3", "2", "67\u00a0%"], Row(page, "kurser", "Anhörigstrategin – för dig som är politiker"));
        Assert.Equal(["Anhörigperspektiv – introduktion", "4", "3", "75\u00a0%"], Row(page, "kurser", "Anhörigperspektiv – introduktion"));
        Assert.Empty(page.QuerySelectorAll("td.suppressed"));
        Assert.All(page.QuerySelectorAll(".report-stamp"), stamp => Assert.EndsWith("Grupper med färre än 3 personer visas inte (k = 3).", stamp.TextContent));
        var csv = Csv((await Download(politician, "/rapport?handler=Export&tabell=introduktion-per-forvaltning&format=csv")).Content);
        Assert.Equal(["Barn och utbildning", "3", "3", "100%"], csv[1]);
    }
}
