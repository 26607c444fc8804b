using System.Net;
using System.Text;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.FollowUp;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The chef's follow-up pages over real HTTP against a small kommun worked out by hand (<see cref="FollowUpPageFixture"/>):
/// the figures on the unit page, the exports, the audit trail, and that chef Bertil never reaches chef Agnes's people.
/// </summary>
public sealed class FollowUpPageTests(FollowUpPageFixture app) : IClassFixture<FollowUpPageFixture>
{
    private const string Campaign = FollowUpPageFixture.Campaign;
    private const string Leading = FollowUpPageFixture.Leading;

    private string Title(string courseId) => app.Catalog.FindLive(courseId)!.Title;

    [Fact]
    public async Task The_unit_page_shows_the_hand_computed_figures_per_course_month_and_sub_unit()
    {
        var agnes = await app.LogIn(FollowUpPageFixture.AgnesEmail);

        var page = await agnes.Open($"/uppfoljning/enhet/{app.AdministrationA}");

        Assert.Equal("Uppföljning: Förvaltning A", page.QuerySelector("h1")!.TextContent);
        // Agnes herself, Anna, Bo, Cecilia, Eva; Gun has left.
        Assert.Contains("de 5 personer som arbetar i Förvaltning A", Text(page));
        Assert.Equal(
            [
                // Campaign 1–31 May: Anna, Bo, Cecilia, Eva. Started Eva; not started Bo; done Anna (20 May) and
                // Cecilia (00:30 on 1 June, after the window); in time Anna; overdue Bo and Eva; 2 of 4.
                [Title(Campaign), "4", "1", "1", "2", "1", "2", "50 %"],
                // Leading 1–30 June: Anna started, Bo nothing, not yet due.
                [Title(Leading), "2", "1", "1", "0", "0", "0", "0 %"],
            ],
            Rows(page, "#kurser"));
        Assert.Equal(
            [
                // July 2026 to February 2027: last year's campaign, Anna and Gun, both done in May 2026.
                .. Enumerable.Repeat<string[]>(["2", "2", "100 %"], 8),
                // March and April: Gun left 10 March.
                ["1", "1", "100 %"], ["1", "1", "100 %"],
                // 31 May: this year's campaign, only Anna done by then.
                ["4", "1", "25 %"],
                // Today: the campaign (Anna, Cecilia done) and Leading (none done): 2 of 6.
                ["6", "2", "33 %"],
            ],
            Rows(page, "#trend").Select(r => r[1..]));
        Assert.Equal("juli 2026", Rows(page, "#trend")[0][0]);
        Assert.Equal(
            [
                // A1: Anna, Bo, Cecilia with 3 campaigns + 2 Leading, 2 done, Bo overdue.
                ["Enhet A1", "3", "5", "2", "40 %", "1"],
                // A2: Eva (Gun left), started but overdue.
                ["Enhet A2", "1", "1", "0", "0 %", "1"],
                ["Direkt i Förvaltning A", "1", "0", "0", "", "0"],
            ],
            Rows(page, "#underenheter"));
        Assert.Equal($"/uppfoljning/enhet/{app.UnitA1}", page.QuerySelector("#underenheter tbody tr a")!.GetAttribute("href"));
        Assert.Equal($"/uppfoljning/enhet/{app.AdministrationA}/fragor/{Campaign}", page.QuerySelector("#kurser tbody tr a")!.GetAttribute("href"));
        Assert.Contains(page.QuerySelectorAll("a"), a => a.TextContent == "Försenade kurser: 2" && a.GetAttribute("href") == $"/uppfoljning/enhet/{app.AdministrationA}/forsenade");
        Assert.NotNull(page.QuerySelector("svg[role=img] desc"));

        // The sub-unit's own page, with breadcrumbs up to Agnes's top unit.
        var a1 = await agnes.Open($"/uppfoljning/enhet/{app.UnitA1}");
        Assert.Equal(["Uppföljning", "Förvaltning A", "Enhet A1"], a1.QuerySelectorAll(".breadcrumbs li").Select(li => li.TextContent.Trim()));
        Assert.Equal([Title(Campaign), "3", "0", "1", "2", "1", "1", "67 %"], Rows(a1, "#kurser")[0]);
    }

    [Fact]
    public async Task A_csv_export_starts_with_the_bom_and_holds_the_figures_on_the_page()
    {
        var agnes = await app.LogIn(FollowUpPageFixture.AgnesEmail);
        var page = await agnes.Open($"/uppfoljning/enhet/{app.AdministrationA}");
        var csvLink = page.QuerySelector("#kurser a[href*='format=csv']")!.GetAttribute("href")!;

        using var response = await agnes.Client.GetAsync(csvLink);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("Kurs;Tilldelade;Påbörjade;Ej påbörjade;Klara;Klara i tid;Försenade;Andel klara", lines[0]);
        Assert.Equal(
            Rows(page, "#kurser").Select(r => string.Join(';', r.Select(c => c.Replace(" %", "%", StringComparison.Ordinal)))),
            lines[1..3]);

        using var xlsx = await agnes.Client.GetAsync(page.QuerySelector("#underenheter a[href*='format=xlsx']")!.GetAttribute("href"));
        Assert.Equal(TableExport.XlsxContentType, xlsx.Content.Headers.ContentType!.ToString());
        Assert.Equal("PK"u8.ToArray(), (await xlsx.Content.ReadAsByteArrayAsync())[..2]);

        foreach (var bad in new[] { "tabell=kurser&format=pdf", "tabell=hemlig&format=csv", "tabell=kurser" })
        {
            var refused = await agnes.Open($"/uppfoljning/enhet/{app.AdministrationA}?handler=Export&{bad}", HttpStatusCode.BadRequest);
            Assert.Equal("Den filen finns inte", refused.QuerySelector("h1")!.TextContent);
        }
    }

    [Fact]
    public async Task The_people_list_filters_by_course_and_state_and_every_view_and_export_is_audited()
    {
        var agnes = await app.LogIn(FollowUpPageFixture.AgnesEmail);
        var before = await AuditCount(FollowUpPageFixture.AgnesEmail);

        var all = await agnes.Open($"/uppfoljning/enhet/{app.AdministrationA}/personer");
        Assert.Equal(
            [
                ["Anna Ek", "Enhet A1", Title(Campaign), "Klar"], ["Anna Ek", "Enhet A1", Title(Leading), "Påbörjad"],
                ["Bo Falk", "Enhet A1", Title(Campaign), "Försenad"], ["Bo Falk", "Enhet A1", Title(Leading), "Ej påbörjad"],
                ["Cecilia Gran", "Enhet A1", Title(Campaign), "Klar"], ["Eva Ivarsson", "Enhet A2", Title(Campaign), "Försenad"],
            ],
            Rows(all, "#personer").Select(r => r[..4]));
        Assert.DoesNotContain("Gun Karlsson", Text(all));
        Assert.Equal($"/uppfoljning/person/{app.Anna}", all.QuerySelector("#personer tbody a")!.GetAttribute("href"));

        var overdue = await agnes.Open($"/uppfoljning/enhet/{app.AdministrationA}/personer?kurs={Campaign}&status=forsenad");
        Assert.Equal(["Bo Falk", "Eva Ivarsson"], Rows(overdue, "#personer").Select(r => r[0]));
        var csv = overdue.QuerySelector("#personer a[href*='format=csv']")!.GetAttribute("href")!;
        Assert.Contains($"kurs={Campaign}", csv);
        using var export = await agnes.Client.GetAsync(csv);
        var lines = Encoding.UTF8.GetString((await export.Content.ReadAsByteArrayAsync())[3..]).Split("\r\n");
        Assert.Equal(["Bo Falk", "Eva Ivarsson"], lines[1..3].Select(l => l.Split(';')[0]));

        await agnes.Open($"/uppfoljning/enhet/{app.AdministrationA}/personer?status=vet-inte", HttpStatusCode.BadRequest);
        await agnes.Open($"/uppfoljning/enhet/{app.UnitA2}/personer?kurs={Leading}", HttpStatusCode.BadRequest);

        var entries = (await AuditEntries(FollowUpPageFixture.AgnesEmail)).Skip(before).ToList();
        Assert.Equal(
            [
                (AuditAction.ViewedPeople, "Personer i Förvaltning A"),
                (AuditAction.ViewedPeople, $"Personer i Förvaltning A: {Title(Campaign)}, försenad"),
                (AuditAction.ExportedPeople, $"Personer i Förvaltning A: {Title(Campaign)}, försenad (CSV)"),
            ],
            entries.Select(e => (e.Action, e.Subject)));
        Assert.All(entries, e => Assert.Equal(app.AdministrationA, e.UnitId));
    }

    [Fact]
    public async Task The_person_page_shows_every_window_marks_a_leaver_and_is_audited()
    {
        var agnes = await app.LogIn(FollowUpPageFixture.AgnesEmail);

        var anna = await agnes.Open($"/uppfoljning/person/{app.Anna}");

        Assert.Equal("Anna Ek", anna.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal(
            [
                [Title(Leading), "1 juni 2027 – 30 juni 2027", "Påbörjad", "–", "–"],
                [Title(Campaign), "1 maj 2027 – 31 maj 2027", "Klar i tid", "20 maj 2027", "100 %"],
                [Title(Campaign), "1 maj 2026 – 31 maj 2026", "Klar i tid", "10 maj 2026", "100 %"],
            ],
            Rows(anna, "table.person-courses"));
        Assert.Equal(["Uppföljning", "Förvaltning A", "Enhet A1", "Anna Ek"], anna.QuerySelectorAll(".breadcrumbs li").Select(li => li.TextContent.Trim()));

        var gun = await agnes.Open($"/uppfoljning/person/{app.Gun}");
        Assert.Equal("Gun Karlsson Slutat", string.Join(' ', gun.QuerySelector("h1")!.TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        Assert.Contains("Slutade 10 mars 2027.", Text(gun));

        await agnes.Open("/uppfoljning/person/999999", HttpStatusCode.NotFound);
        var entries = await AuditEntries(FollowUpPageFixture.AgnesEmail);
        Assert.Contains(entries, e => e.Action == AuditAction.ViewedPerson && e.LearnerId == app.Anna && e.Subject == "Anna Ek i Enhet A1");
        Assert.Contains(entries, e => e.Action == AuditAction.ViewedPerson && e.LearnerId == app.Gun);
    }

    [Fact]
    public async Task A_chef_never_reaches_another_chefs_people_through_any_page_filter_query_string_or_export()
    {
        var bertil = await app.LogIn(FollowUpPageFixture.BertilEmail);
        var (a, a1, a2, b1) = (app.AdministrationA, app.UnitA1, app.UnitA2, app.UnitB1);

        string[] refused =
        [
            $"/uppfoljning/enhet/{a}", $"/uppfoljning/enhet/{a1}", $"/uppfoljning/enhet/{a2}",
            $"/uppfoljning/enhet/{a1}/personer", $"/uppfoljning/enhet/{a1}/personer?kurs={Campaign}", $"/uppfoljning/enhet/{a}/personer?status=forsenad",
            $"/uppfoljning/enhet/{a1}/forsenade", $"/uppfoljning/enhet/{a}/fragor/{Campaign}",
            $"/uppfoljning/person/{app.Anna}", $"/uppfoljning/person/{app.Eva}", $"/uppfoljning/person/{app.Gun}",
            $"/uppfoljning/enhet/{a}?handler=Export&tabell=kurser&format=csv", $"/uppfoljning/enhet/{a}?handler=Export&tabell=trend&format=xlsx",
            $"/uppfoljning/enhet/{a}?handler=Export&tabell=underenheter&format=csv",
            $"/uppfoljning/enhet/{a1}/personer?handler=Export&format=csv", $"/uppfoljning/enhet/{a1}/personer?handler=Export&format=xlsx&kurs={Campaign}",
            $"/uppfoljning/enhet/{a1}/personer?handler=Export&format=csv&unitId={b1}",
        ];
        foreach (var url in refused)
        {
            using var response = await bertil.Client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{url}: {(int)response.StatusCode}");
            AssertNoOutsider(url, await response.Content.ReadAsStringAsync());
        }

        // His own unit's addresses with another unit's id or course slipped into the query string show only his people.
        string[] own =
        [
            $"/uppfoljning", $"/uppfoljning/enhet/{b1}?unitId={a}", $"/uppfoljning/enhet/{b1}/personer?unitId={a1}",
            $"/uppfoljning/enhet/{b1}/personer?handler=Export&format=csv&unitId={a1}",
            $"/uppfoljning/enhet/{b1}?handler=Export&tabell=underenheter&format=csv&unitId={a}",
            $"/uppfoljning/enhet/{b1}/personer?kurs={Campaign}",
        ];
        foreach (var url in own)
        {
            using var response = await bertil.Client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            var body = await response.Content.ReadAsStringAsync();
            AssertNoOutsider(url, body);
            Assert.DoesNotContain("Förvaltning A", body);
        }

        using (var ownList = await bertil.Client.GetAsync($"/uppfoljning/enhet/{b1}/personer?unitId={a1}"))
        {
            Assert.Contains("Hans Lind", await ownList.Content.ReadAsStringAsync());
        }

        // A course only Agnes's people have is no filter for him: refused, and it says nothing about them.
        using (var leading = await bertil.Client.GetAsync($"/uppfoljning/enhet/{b1}/personer?kurs={Leading}"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, leading.StatusCode);
            AssertNoOutsider("Leading filter", await leading.Content.ReadAsStringAsync());
        }

        var outsideUnits = new[] { a, a1, a2 };
        var outsidePeople = new[] { app.Anna, app.Bo, app.Cecilia, app.Eva, app.Gun };
        Assert.DoesNotContain(await AuditEntries(FollowUpPageFixture.BertilEmail),
            e => e.UnitId is { } unit && outsideUnits.Contains(unit) || e.LearnerId is { } person && outsidePeople.Contains(person));

        await bertil.Open("/uppfoljning/enhet/999999", HttpStatusCode.NotFound);
        await bertil.Open("/uppfoljning/person/999999", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_start_page_lists_the_chefs_top_units_and_gives_the_admin_the_kommun_view()
    {
        var agnes = await app.LogIn(FollowUpPageFixture.AgnesEmail);
        var start = await agnes.Open("/uppfoljning");
        // Förvaltning A: 5 people, 6 courses assigned, 2 done, 2 overdue.
        Assert.Equal([["Förvaltning A", "5", "6", "2", "33 %", "2"]], Rows(start, "#enheter"));
        Assert.Null(start.QuerySelector("a[href='/admin/uppfoljning']"));
        Assert.Contains(start.QuerySelectorAll("nav a"), l => l.TextContent == "Uppföljning");

        var admin = app.NewVisitor();
        await admin.LogInWithCode(FollowUpPageFixture.AdminEmail, app.AdminKey, app.Clock);
        var adminStart = await admin.Open("/uppfoljning");
        Assert.NotNull(adminStart.QuerySelector("a[href='/admin/uppfoljning']"));
        Assert.Equal("Sidkommun", Rows(adminStart, "#enheter").Single()[0]);
        Assert.Contains("Anna Ek", Text(await admin.Open($"/uppfoljning/person/{app.Anna}")));

        var hans = await app.LogIn(FollowUpPageFixture.HansEmail);
        Assert.Equal("Uppföljningen är till för chefer", (await hans.Open("/uppfoljning", HttpStatusCode.Forbidden)).QuerySelector("h1")!.TextContent);
        await hans.Open($"/uppfoljning/person/{app.Hans}", HttpStatusCode.Forbidden);
    }

    private void AssertNoOutsider(string url, string body)
    {
        foreach (var name in FollowUpPageFixture.PeopleOfA)
        {
            Assert.False(body.Contains(name, StringComparison.Ordinal), $"{url} names {name}");
        }
    }

    private static List<string[]> Rows(IDocument page, string table) =>
        [.. page.QuerySelectorAll($"{table} tbody tr").Select(tr => tr.QuerySelectorAll("th, td").Select(c => c.TextContent.Replace('\u00a0', ' ').Trim()).ToArray())];

    private Task<int> AuditCount(string email) => app.Query(async db => (await AuditEntriesOf(db, email)).Count);

    private Task<List<AuditEntry>> AuditEntries(string email) => app.Query(db => AuditEntriesOf(db, email));

    private static async Task<List<AuditEntry>> AuditEntriesOf(AppDbContext db, string email)
    {
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        return await db.AuditEntries.Where(e => e.UserId == userId).OrderBy(e => e.Id).ToListAsync();
    }
}

/// <summary>Chef Kristina follows up her unit down to one person in a real browser on a phone and a desktop, checked with axe.</summary>
public sealed class FollowUpPageBrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public async Task A_chef_goes_from_the_start_page_to_a_person_in_the_browser(int width)
    {
        var norr = await app.UnitId(WheelSetup.KristinasUnit);
        var email = await app.NewLearner();
        var learnerId = await app.LearnerId(email);
        await app.Query(db => db.Learners.Where(l => l.Id == learnerId).ExecuteUpdateAsync(s => s.SetProperty(l => l.UnitId, norr)));
        await app.Assign(email, DemoSeeder.IntroductionCourse, app.Today.AddDays(-40), app.Today.AddDays(-7));
        var name = await app.Query(db => db.Learners.Where(l => l.Id == learnerId).Select(l => l.FirstName + " " + l.LastName).SingleAsync());
        var page = await app.NewPage(width);
        var check = new BrowserTests.PageCheck(page, width, javaScript: true);

        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kristina Berg – Chef" }).ClickAsync();
        await check.Page("Mina kurser", "Mina kurser");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Uppföljning" }).ClickAsync();
        await check.Page("uppföljning", "Uppföljning");
        await page.GetByRole(AriaRole.Link, new() { Name = WheelSetup.KristinasUnit, Exact = true }).ClickAsync();
        await check.Page("uppföljning för en enhet", $"Uppföljning: {WheelSetup.KristinasUnit}");
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Andel klara per månad") })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Personer och deras kurser" }).ClickAsync();
        await check.Page("personer", $"Personer i {WheelSetup.KristinasUnit}");
        await page.GetByLabel("Läge").SelectOptionAsync(new SelectOptionValue { Label = "Försenad" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Visa" }).ClickAsync();
        // The same heading as the page left: wait for the filtered address, or the checks may run on the page being left.
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("status="));
        await check.Page("personer, försenade", $"Personer i {WheelSetup.KristinasUnit}");
        await page.GetByRole(AriaRole.Link, new() { Name = name }).First.ClickAsync();
        await check.Page("en person", name);
        await Assertions.Expect(page.Locator("table.person-courses")).ToContainTextAsync("Försenad");
        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }
}

/// <summary>
/// A kommun of its own (no demo), on 15 June 2027 at noon in Sweden, with two chefs:
/// <code>
/// Sidkommun
/// ├ Förvaltning A (chef Agnes Ahl, placed here) ── Enhet A1: Anna, Bo, Cecilia
/// │                                             └─ Enhet A2: Eva, Gun (left 10 March 2027)
/// └ Förvaltning B ── Enhet B1 (chef Bertil Berg, placed here): Hans, Ida
/// </code>
/// Everyone started in 2020. The campaign 1–31 May 2026 (Anna, Gun: both done in May 2026) and 1–31 May 2027 (Anna,
/// Bo, Cecilia, Eva, Hans); Leading 1–30 June 2027 (Anna, Bo). This year: Anna done 20 May, Cecilia 00:30 on 1 June,
/// Eva started 15 May, Hans done 5 May; Anna started Leading 10 June.
/// </summary>
public sealed class FollowUpPageFixture : AppFixture, IAsyncLifetime
{
    public const string Campaign = DemoSeeder.CaseOfficerCourse;
    public const string Leading = DemoSeeder.ManagerCourse;
    public const string AgnesEmail = "agnes@sidor.exempel.se";
    public const string BertilEmail = "bertil@sidor.exempel.se";
    public const string HansEmail = "hans@sidor.exempel.se";
    public const string AdminEmail = "admin@sidor.exempel.se";

    /// <summary>Everyone in Agnes's units: none may appear in anything Bertil gets.</summary>
    public static readonly string[] PeopleOfA = ["Agnes Ahl", "Anna Ek", "Bo Falk", "Cecilia Gran", "Eva Ivarsson", "Gun Karlsson"];

    public FollowUpPageFixture() => Clock.SetUtcNow(new DateTimeOffset(FollowUpFixture.InSweden(2027, 6, 15, 12, 0)));

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Nanolearning:Demo"] = "false" };

    /// <summary>The admin's authenticator key: admins sign in with password and code (<see cref="Authenticator"/>).</summary>
    public string AdminKey { get; private set; } = "";

    public int AdministrationA { get; private set; }

    public int UnitA1 { get; private set; }

    public int UnitA2 { get; private set; }

    public int UnitB1 { get; private set; }

    public int Anna { get; private set; }

    public int Bo { get; private set; }

    public int Cecilia { get; private set; }

    public int Eva { get; private set; }

    public int Gun { get; private set; }

    public int Hans { get; private set; }

    public async Task<Visitor> LogIn(string email)
    {
        var visitor = NewVisitor();
        await visitor.LogIn(email);
        return visitor;
    }

    public async Task InitializeAsync()
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var kommun = new Unit { Name = "Sidkommun", Kind = UnitKind.Municipality };
        var a = new Unit { Name = "Förvaltning A", Kind = UnitKind.Administration, Parent = kommun };
        var a1 = new Unit { Name = "Enhet A1", Kind = UnitKind.Unit, Parent = a };
        var a2 = new Unit { Name = "Enhet A2", Kind = UnitKind.Unit, Parent = a };
        var b = new Unit { Name = "Förvaltning B", Kind = UnitKind.Administration, Parent = kommun };
        var b1 = new Unit { Name = "Enhet B1", Kind = UnitKind.Unit, Parent = b };
        db.Units.AddRange(kommun, a, a1, a2, b, b1);

        var agnes = Person(a, "Agnes", "Ahl");
        var anna = Person(a1, "Anna", "Ek");
        var bo = Person(a1, "Bo", "Falk");
        var cecilia = Person(a1, "Cecilia", "Gran");
        var eva = Person(a2, "Eva", "Ivarsson");
        var gun = Person(a2, "Gun", "Karlsson");
        gun.IsActive = false;
        gun.LeftOn = new DateOnly(2027, 3, 10);
        var bertil = Person(b1, "Bertil", "Berg");
        var hans = Person(b1, "Hans", "Lind");
        var ida = Person(b1, "Ida", "Moberg");
        db.Learners.AddRange(agnes, anna, bo, cecilia, eva, gun, bertil, hans, ida);
        await db.SaveChangesAsync();
        a.ManagerId = agnes.Id;
        b1.ManagerId = bertil.Id;

        void Assign(Learner learner, string course, DateOnly opensOn, DateOnly dueOn) =>
            db.Assignments.Add(new Assignment { LearnerId = learner.Id, CourseId = course, OpensOn = opensOn, DueOn = dueOn, AssignedAt = UtcNow, Origin = "test" });
        void Complete(Learner learner, string course, DateTime at) => db.Enrolments.Add(Completed(learner.Id, Catalog.FindLive(course)!, at));

        Assign(anna, Campaign, new(2026, 5, 1), new(2026, 5, 31));
        Assign(gun, Campaign, new(2026, 5, 1), new(2026, 5, 31));
        foreach (var learner in new[] { anna, bo, cecilia, eva, hans })
        {
            Assign(learner, Campaign, new(2027, 5, 1), new(2027, 5, 31));
        }

        Assign(anna, Leading, new(2027, 6, 1), new(2027, 6, 30));
        Assign(bo, Leading, new(2027, 6, 1), new(2027, 6, 30));
        Complete(anna, Campaign, FollowUpFixture.InSweden(2026, 5, 10, 10, 0));
        Complete(gun, Campaign, FollowUpFixture.InSweden(2026, 5, 12, 10, 0));
        Complete(hans, Campaign, FollowUpFixture.InSweden(2027, 5, 5, 10, 0));
        db.Enrolments.Add(Enrolment.Start(eva.Id, Catalog.FindLive(Campaign)!, FollowUpFixture.InSweden(2027, 5, 15, 10, 0)));
        Complete(anna, Campaign, FollowUpFixture.InSweden(2027, 5, 20, 10, 0));
        Complete(cecilia, Campaign, FollowUpFixture.InSweden(2027, 6, 1, 0, 30));
        db.Enrolments.Add(Enrolment.Start(anna.Id, Catalog.FindLive(Leading)!, FollowUpFixture.InSweden(2027, 6, 10, 10, 0)));
        await db.SaveChangesAsync();

        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        async Task<AppUser> Login(string email, int? learnerId, string role)
        {
            var user = new AppUser { UserName = email, Email = email, LearnerId = learnerId };
            Assert.True((await users.CreateAsync(user, Password)).Succeeded);
            await users.AddToRoleAsync(user, role);
            return user;
        }

        await Login(AgnesEmail, agnes.Id, Roles.Manager);
        await Login(BertilEmail, bertil.Id, Roles.Manager);
        await Login(HansEmail, hans.Id, Roles.Employee);
        AdminKey = await Authenticator.EnableAsync(users, await Login(AdminEmail, null, Roles.Admin));

        (AdministrationA, UnitA1, UnitA2, UnitB1) = (a.Id, a1.Id, a2.Id, b1.Id);
        (Anna, Bo, Cecilia, Eva, Gun, Hans) = (anna.Id, bo.Id, cecilia.Id, eva.Id, gun.Id, hans.Id);
    }

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();

    private static int _employeeNumber;

    private static Learner Person(Unit unit, string first, string last) => new()
    {
        EmployeeNumber = $"S{Interlocked.Increment(ref _employeeNumber)}",
        FirstName = first,
        LastName = last,
        Email = $"{first.ToLowerInvariant()}@sidor.exempel.se",
        Unit = unit,
        StartDate = new DateOnly(2020, 1, 1),
        Audiences = [Audience.Employee],
    };
}
