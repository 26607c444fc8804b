using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>
/// A small kommun of its own (no demo) for the kommun view and the nämnd report, on 15 June 2027 at noon in Sweden:
/// <code>
/// Provkommun
/// ├ Barn och utbildning ── Skola Syd: Greta, Hugo (started 1 Jan 2027), Ingrid
/// ├ Kultur och fritid ──── Bibliotek: Jakob, Kerstin (admin), Ludvig, Matilda, Nils, Olivia, Rasmus, Sofia,
/// │                                   Pontus (started 1 Jun 2027)
/// ├ Vård och omsorg ────── Hemtjänst Öst: Alfred (its chef), Beata, Cornelia (started 1 Mar 2027), Dragan (1 Apr 2027)
/// │                     └─ Boende Väst: Elvira, Fredrik
/// └ Kommunfullmäktige (nämnd): Sigrid, Torsten, Ulrika (politicians, no employee number)
/// </code>
/// Everyone else started in 2020. The introduction: done in 2020 by Alfred, Greta, Ingrid, Jakob, Kerstin, Ludvig,
/// Matilda, Nils; the newcomers have it assigned from their first day, due 30 days later: Hugo done 15 Jan (in time),
/// Cornelia 20 Mar (in time), Dragan 10 May (late), Pontus nothing yet (window open).
/// The campaign (handläggning) 1–31 May 2027 for Alfred, Beata, Cornelia, Dragan, Elvira, Greta, Hugo, Ingrid:
/// done by Elvira 5 May, Alfred 10 May, Greta 12 May, Cornelia 25 May, Ingrid 2 June (late); Dragan started 20 May.
/// The politicians' course 1 March–30 April 2027: Sigrid done 2 April, Torsten 5 May (late), Ulrika nothing.
/// Logins: Alfred (chef), Beata (medarbetare), Kerstin (admin), Sigrid (politiker).
/// </summary>
public class KommunFixture : AppFixture, IAsyncLifetime
{
    public const string Campaign = DemoSeeder.CaseOfficerCourse;
    public const string Intro = DemoSeeder.IntroductionCourse;
    public const string Politics = DemoSeeder.PoliticianCourse;

    public KommunFixture() => Clock.SetUtcNow(new DateTimeOffset(FollowUpFixture.InSweden(2027, 6, 15, 12, 0)));

    /// <summary>The sekretessgräns the app runs with; null leaves the default (5).</summary>
    protected virtual int? K => null;

    protected override IReadOnlyDictionary<string, string> Settings
    {
        get
        {
            var settings = new Dictionary<string, string>
            {
                ["Nanolearning:Demo"] = "false",
                ["Nanolearning:OnboardingCourseId"] = Intro,
                ["Nanolearning:OnboardingDays"] = "30",
            };
            if (K is { } k)
            {
                settings["Nanolearning:FollowUp:SuppressionThreshold"] = k.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return settings;
        }
    }

    public const string Chef = "alfred@provkommun.exempel.se";
    public const string Employee = "beata@provkommun.exempel.se";
    public const string Admin = "kerstin@provkommun.exempel.se";
    public const string Politician = "sigrid@provkommun.exempel.se";

    /// <summary>Every seeded learner's first and last name: none may appear on a page a politician can reach.</summary>
    public IReadOnlyList<(string First, string Last)> Names { get; private set; } = [];

    /// <summary>The admin's authenticator key: admins sign in with password and code (<see cref="Authenticator"/>).</summary>
    public string AdminKey { get; private set; } = "";

    public int Care { get; private set; }

    public int Schools { get; private set; }

    public int Culture { get; private set; }

    public int HomeCareEast { get; private set; }

    public int CareHomeWest { get; private set; }

    public async Task InitializeAsync()
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var kommun = new Unit { Name = "Provkommun", Kind = UnitKind.Municipality };
        var schools = new Unit { Name = "Barn och utbildning", Kind = UnitKind.Administration, Parent = kommun };
        var school = new Unit { Name = "Skola Syd", Kind = UnitKind.Unit, Parent = schools };
        var culture = new Unit { Name = "Kultur och fritid", Kind = UnitKind.Administration, Parent = kommun };
        var library = new Unit { Name = "Bibliotek", Kind = UnitKind.Unit, Parent = culture };
        var care = new Unit { Name = "Vård och omsorg", Kind = UnitKind.Administration, Parent = kommun };
        var east = new Unit { Name = "Hemtjänst Öst", Kind = UnitKind.Unit, Parent = care };
        var west = new Unit { Name = "Boende Väst", Kind = UnitKind.Unit, Parent = care };
        var council = new Unit { Name = "Kommunfullmäktige", Kind = UnitKind.Committee, Parent = kommun };
        db.Units.AddRange(kommun, schools, school, culture, library, care, east, west, council);

        var longAgo = new DateOnly(2020, 1, 1);
        var alfred = Person(east, "Alfred", "Wallin", longAgo);
        var beata = Person(east, "Beata", "Lundqvist", longAgo);
        var cornelia = Person(east, "Cornelia", "Sandgren", new(2027, 3, 1));
        var dragan = Person(east, "Dragan", "Petrovic", new(2027, 4, 1));
        var elvira = Person(west, "Elvira", "Hedström", longAgo);
        var fredrik = Person(west, "Fredrik", "Åkesson", longAgo);
        var greta = Person(school, "Greta", "Lindholm", longAgo);
        var hugo = Person(school, "Hugo", "Marklund", new(2027, 1, 1));
        var ingrid = Person(school, "Ingrid", "Wikström", longAgo);
        var jakob = Person(library, "Jakob", "Ekdahl", longAgo);
        var kerstin = Person(library, "Kerstin", "Nyberg", longAgo);
        var ludvig = Person(library, "Ludvig", "Sjöberg", longAgo);
        var matilda = Person(library, "Matilda", "Forsberg", longAgo);
        var nils = Person(library, "Nils", "Holmgren", longAgo);
        var olivia = Person(library, "Olivia", "Bergqvist", longAgo);
        var rasmus = Person(library, "Rasmus", "Tegnér", longAgo);
        var sofia = Person(library, "Sofia", "Ullberg", longAgo);
        var pontus = Person(library, "Pontus", "Dahlberg", new(2027, 6, 1));
        var sigrid = Person(council, "Sigrid", "Almqvist", longAgo, politician: true);
        var torsten = Person(council, "Torsten", "Björklund", longAgo, politician: true);
        var ulrika = Person(council, "Ulrika", "Carlström", longAgo, politician: true);
        Learner[] everyone =
        [
            alfred, beata, cornelia, dragan, elvira, fredrik, greta, hugo, ingrid, jakob, kerstin, ludvig, matilda, nils,
            olivia, rasmus, sofia, pontus, sigrid, torsten, ulrika,
        ];
        db.Learners.AddRange(everyone);
        await db.SaveChangesAsync();
        east.ManagerId = alfred.Id;

        void Assign(Learner learner, string course, DateOnly opensOn, DateOnly dueOn) =>
            db.Assignments.Add(new Assignment
            {
                LearnerId = learner.Id, CourseId = course, OpensOn = opensOn, DueOn = dueOn, AssignedAt = UtcNow, Origin = "test",
            });

        foreach (var learner in new[] { hugo, cornelia, dragan, pontus })
        {
            // As the planner's onboarding rule makes them, so an hourly planning run during the tests adds nothing.
            Assign(learner, Intro, learner.StartDate, learner.StartDate.AddDays(30));
        }

        foreach (var learner in new[] { alfred, beata, cornelia, dragan, elvira, greta, hugo, ingrid })
        {
            Assign(learner, Campaign, new(2027, 5, 1), new(2027, 5, 31));
        }

        foreach (var learner in new[] { sigrid, torsten, ulrika })
        {
            Assign(learner, Politics, new(2027, 3, 1), new(2027, 4, 30));
        }

        void Complete(Learner learner, string course, DateTime at) => db.Enrolments.Add(Completed(learner.Id, Catalog.FindLive(course)!, at));

        foreach (var learner in new[] { alfred, greta, ingrid, jakob, kerstin, ludvig, matilda, nils })
        {
            Complete(learner, Intro, FollowUpFixture.InSweden(2020, 2, 1, 10, 0));
        }

        Complete(hugo, Intro, FollowUpFixture.InSweden(2027, 1, 15, 10, 0));
        Complete(cornelia, Intro, FollowUpFixture.InSweden(2027, 3, 20, 10, 0));
        Complete(dragan, Intro, FollowUpFixture.InSweden(2027, 5, 10, 10, 0));
        Complete(elvira, Campaign, FollowUpFixture.InSweden(2027, 5, 5, 10, 0));
        Complete(alfred, Campaign, FollowUpFixture.InSweden(2027, 5, 10, 10, 0));
        Complete(greta, Campaign, FollowUpFixture.InSweden(2027, 5, 12, 10, 0));
        Complete(cornelia, Campaign, FollowUpFixture.InSweden(2027, 5, 25, 10, 0));
        Complete(ingrid, Campaign, FollowUpFixture.InSweden(2027, 6, 2, 10, 0));
        db.Enrolments.Add(Enrolment.Start(dragan.Id, Catalog.FindLive(Campaign)!, FollowUpFixture.InSweden(2027, 5, 20, 10, 0)));
        Complete(sigrid, Politics, FollowUpFixture.InSweden(2027, 4, 2, 10, 0));
        Complete(torsten, Politics, FollowUpFixture.InSweden(2027, 5, 5, 10, 0));
        await db.SaveChangesAsync();

        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        await Login(users, alfred, Roles.Employee, Roles.Manager);
        await Login(users, beata, Roles.Employee);
        var admin = await Login(users, kerstin, Roles.Employee, Roles.Admin);
        AdminKey = await Authenticator.EnableAsync(users, admin);
        await Login(users, sigrid, Roles.Politician);

        Names = [.. everyone.Select(l => (l.FirstName, l.LastName))];
        (Care, Schools, Culture, HomeCareEast, CareHomeWest) = (care.Id, schools.Id, culture.Id, east.Id, west.Id);
    }

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();

    private static async Task<AppUser> Login(UserManager<AppUser> users, Learner learner, params string[] roles)
    {
        var user = new AppUser { UserName = learner.Email, Email = learner.Email, LearnerId = learner.Id };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRolesAsync(user, roles)).Succeeded);
        return user;
    }

    private static int _employeeNumber;

    private static Learner Person(Unit unit, string first, string last, DateOnly start, bool politician = false) => new()
    {
        EmployeeNumber = politician ? null : $"K{Interlocked.Increment(ref _employeeNumber)}",
        FirstName = first,
        LastName = last,
        Email = $"{first.ToLowerInvariant()}@provkommun.exempel.se",
        Unit = unit,
        StartDate = start,
        Audiences = politician ? [Audience.Politician] : [Audience.Employee],
    };
}

/// <summary>The same kommun with the sekretessgräns set to 3.</summary>
public sealed class KommunFixtureWithK3 : KommunFixture
{
    protected override int? K => 3;
}

/// <summary>Reading the follow-up tables back: from a page's HTML, and from the CSV and XLSX downloads.</summary>
public static class ReportReader
{
    /// <summary>The table with id <paramref name="slug"/>, a row per line (label first, total last), hidden cells as "–".</summary>
    public static List<string[]> Rows(AngleSharp.Dom.IDocument page, string slug)
    {
        var table = page.QuerySelector($"#{slug} table") ?? throw new InvalidOperationException($"No table #{slug} on {page.Title}.");
        return [.. table.QuerySelectorAll("tbody tr, tfoot tr").Select(tr => tr.QuerySelectorAll("th, td")
            .Select(cell => cell.ClassList.Contains("suppressed") ? "–" : cell.TextContent.Trim()).ToArray())];
    }

    /// <summary>A row by its label.</summary>
    public static string[] Row(AngleSharp.Dom.IDocument page, string slug, string label) =>
        Rows(page, slug).SingleOrDefault(r => r[0] == label) ?? throw new InvalidOperationException($"No row {label} in #{slug}.");

    /// <summary>A CSV download's lines split into fields after the BOM, quoted fields read as RFC 4180 (question texts hold quotes).</summary>
    public static List<string[]> Csv(byte[] content)
    {
        Assert.Equal([0xEF, 0xBB, 0xBF], content[..3]);
        using var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(new MemoryStream(content[3..]), System.Text.Encoding.UTF8)
        {
            Delimiters = [";"],
            HasFieldsEnclosedInQuotes = true,
            TrimWhiteSpace = false,
        };
        var lines = new List<string[]>();
        while (!parser.EndOfData)
        {
            lines.Add(parser.ReadFields()!);
        }

        return lines;
    }

    /// <summary>An XLSX download's first sheet, a row per line, each cell's text or number as stored.</summary>
    public static List<string[]> Xlsx(byte[] content)
    {
        using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(content), isEditable: false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().First();
        var worksheet = ((DocumentFormat.OpenXml.Packaging.WorksheetPart)workbook.GetPartById(sheet.Id!)).Worksheet;
        return [.. worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().Select(row => row
            .Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Select(cell => cell.InlineString?.InnerText ?? cell.CellValue?.Text ?? "").ToArray())];
    }

    /// <summary>Every text in an XLSX file (all its XML parts), to search for what must not be there.</summary>
    public static string XlsxText(byte[] content)
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(content));
        return string.Join("\n", zip.Entries.Select(entry =>
        {
            using var reader = new StreamReader(entry.Open());
            return reader.ReadToEnd();
        }));
    }

    public static async Task<(System.Net.HttpStatusCode Status, byte[] Content, string? ContentType)> Download(Visitor visitor, string url)
    {
        using var response = await visitor.Client.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// Asserts that the user may not open <paramref name="url"/>: a 403 of the page's own, or the sign-in cookie's
    /// redirect to the 403 page (what a role or policy refusal gives).
    /// </summary>
    public static async Task AssertRefused(Visitor visitor, string url)
    {
        using var response = await visitor.Client.GetAsync(url);
        var location = response.Headers.Location is { } l ? l.IsAbsoluteUri ? l : new Uri(new Uri("http://localhost"), l) : null;
        var refused = response.StatusCode == System.Net.HttpStatusCode.Forbidden
            || (response.StatusCode == System.Net.HttpStatusCode.Redirect && location?.AbsolutePath == "/fel/403");
        Assert.True(refused, $"GET {url}: {(int)response.StatusCode} {location}");
        if (location is not null)
        {
            var page = await visitor.Open(location.PathAndQuery, System.Net.HttpStatusCode.Forbidden);
            Assert.Equal("Du har inte behörighet", page.QuerySelector("h1")!.TextContent);
        }
    }
}
