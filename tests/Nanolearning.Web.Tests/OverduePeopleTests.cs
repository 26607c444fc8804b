using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Nanolearning.Courses;
using Nanolearning.Web.Features.FollowUp;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Infrastructure;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The overdue list and "Påminn nu" over real HTTP, with the reminder outbox sending through a real SMTP server on the
/// fake clock: chef Kristina (Hemtjänst Norr), the chef of Hemtjänst Söder, an employee and the admin.
/// </summary>
public sealed class OverduePeopleTests(SmtpReminderFixture app) : IClassFixture<SmtpReminderFixture>
{
    private const string Intro = "anhorigperspektiv-introduktion";
    private const string Handling = "anhorigperspektiv-i-handlaggning";
    private const string Leading = "leda-med-anhorigperspektiv";

    private string Title(string courseId) => app.Catalog.FindLive(courseId)!.Title;

    [Fact]
    public async Task A_chef_sees_the_overdue_people_of_her_own_units_only()
    {
        app.SwedishTime(new DateTime(2027, 3, 1, 10, 0, 0));
        var (norr, soder) = (await app.UnitId(WheelSetup.KristinasUnit), await app.UnitId(WheelSetup.OtherUnit));
        var own = await OverdueLearner(WheelSetup.KristinasUnit, Intro, daysLate: 5);
        var foreign = await OverdueLearner(WheelSetup.OtherUnit, Intro, daysLate: 5);
        var kristina = app.NewVisitor();
        await kristina.LogInAs("chef");

        var page = await kristina.Open($"/uppfoljning/enhet/{norr}/forsenade");

        Assert.Equal($"Försenade i {WheelSetup.KristinasUnit}", page.QuerySelector("h1")!.TextContent);
        var row = Row(page, own.Name);
        Assert.Equal([own.Name, WheelSetup.KristinasUnit, Title(Intro), Format.Date(app.Today.AddDays(-5)), "5", "Påminn nu " + own.Name + " om " + Title(Intro)],
            row.QuerySelectorAll("th, td").Select(c => string.Join(' ', c.TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries))));
        Assert.DoesNotContain(foreign.Name, Text(page));
        Assert.DoesNotContain("Kristina Berg", Text(page));

        Assert.Equal("Det här är inte din enhet", (await kristina.Open($"/uppfoljning/enhet/{soder}/forsenade", HttpStatusCode.Forbidden)).QuerySelector("h1")!.TextContent);
        Assert.Equal("Enheten finns inte", (await kristina.Open("/uppfoljning/enhet/999999/forsenade", HttpStatusCode.NotFound)).QuerySelector("h1")!.TextContent);
        var soderChef = await app.ChefOf(WheelSetup.OtherUnit);
        Assert.Contains(foreign.Name, Text(await soderChef.Open($"/uppfoljning/enhet/{soder}/forsenade")));
        await soderChef.Open($"/uppfoljning/enhet/{norr}/forsenade", HttpStatusCode.Forbidden);
        var maja = app.NewVisitor();
        await maja.LogInAs("medarbetare");
        Assert.Equal("Uppföljningen är till för chefer", (await maja.Open($"/uppfoljning/enhet/{norr}/forsenade", HttpStatusCode.Forbidden)).QuerySelector("h1")!.TextContent);
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        Assert.Contains(foreign.Name, Text(await admin.Open($"/uppfoljning/enhet/{soder}/forsenade")));
    }

    [Fact]
    public async Task A_nudge_naming_anyone_outside_the_chefs_scope_is_refused_and_queues_nothing()
    {
        app.SwedishTime(new DateTime(2027, 3, 1, 11, 0, 0));
        var (norr, soder) = (await app.UnitId(WheelSetup.KristinasUnit), await app.UnitId(WheelSetup.OtherUnit));
        var own = await OverdueLearner(WheelSetup.KristinasUnit, Intro, daysLate: 3);
        var foreign = await OverdueLearner(WheelSetup.OtherUnit, Intro, daysLate: 3);
        var kristina = app.NewVisitor();
        await kristina.LogInAs("chef");
        var token = await kristina.AntiforgeryToken();

        // Another unit's person through her own unit's address, mixed in with her own, through the other unit's
        // address, an id that does not exist, and an id in the query string instead of the form.
        (string Url, string[] Ids, HttpStatusCode Expected)[] attempts =
        [
            ($"/uppfoljning/enhet/{norr}/forsenade?handler=Nudge", [$"{foreign.AssignmentId}"], HttpStatusCode.Forbidden),
            ($"/uppfoljning/enhet/{norr}/forsenade?handler=Nudge", [$"{own.AssignmentId}", $"{foreign.AssignmentId}"], HttpStatusCode.Forbidden),
            ($"/uppfoljning/enhet/{soder}/forsenade?handler=Nudge", [$"{foreign.AssignmentId}"], HttpStatusCode.Forbidden),
            ($"/uppfoljning/enhet/{norr}/forsenade?handler=Nudge", ["99999999"], HttpStatusCode.Forbidden),
            ($"/uppfoljning/enhet/{norr}/forsenade?handler=Nudge&assignment={foreign.AssignmentId}", [], HttpStatusCode.BadRequest),
        ];
        foreach (var (url, ids, expected) in attempts)
        {
            using var response = await kristina.Post(url, [new("__RequestVerificationToken", token), .. ids.Select(id => KeyValuePair.Create("assignment", id))]);
            Assert.True(expected == response.StatusCode, $"{url} with {string.Join(",", ids)}: {(int)response.StatusCode}");
        }

        Assert.Empty(await app.RemindersOf(foreign.Email));
        Assert.Empty(await app.RemindersOf(own.Email));
    }

    [Fact]
    public async Task Pressing_Paminn_nu_twice_on_one_day_queues_one_reminder_and_the_page_says_when_the_mail_goes()
    {
        app.SwedishTime(new DateTime(2027, 3, 3, 10, 0, 0));
        var norr = await app.UnitId(WheelSetup.KristinasUnit);
        var own = await OverdueLearner(WheelSetup.KristinasUnit, Intro, daysLate: 10);
        var kristina = app.NewVisitor();
        await kristina.LogInAs("chef");
        var list = await kristina.Open($"/uppfoljning/enhet/{norr}/forsenade");

        var after = await kristina.SubmitAndFollow(list, NudgeForm(own.AssignmentId));

        Assert.Equal("1 påminnelse lades i kön. E-posten går i dag cirka 10.00.", after.QuerySelector("[role=status]")!.TextContent);
        Assert.Equal("Påmind i dag. E-posten går i dag cirka 10.00.", Row(after, own.Name).QuerySelector("td:last-child")!.TextContent.Trim());
        Assert.Null(after.QuerySelector(NudgeForm(own.AssignmentId)));
        Assert.DoesNotContain(after.QuerySelectorAll("#paminn-alla input[name=assignment]"), i => i.GetAttribute("value") == $"{own.AssignmentId}");

        var again = await kristina.SubmitAndFollow(list, NudgeForm(own.AssignmentId));

        Assert.StartsWith("Påminnelsen låg redan i kön i dag, så ingen ny lades till.", again.QuerySelector("[role=status]")!.TextContent);
        var reminder = Assert.Single(await app.RemindersOf(own.Email));
        Assert.Equal((ReminderKind.ManagerNudge, $"nudge:{own.AssignmentId}", app.Today, own.AssignmentId),
            (reminder.Kind, reminder.Reason, reminder.Date, reminder.AssignmentId));
    }

    [Fact]
    public async Task A_nudge_waits_for_sending_hours_and_goes_in_the_days_one_email_through_the_mail_server()
    {
        app.SwedishTime(new DateTime(2027, 3, 4, 6, 30, 0));
        var norr = await app.UnitId(WheelSetup.KristinasUnit);
        var own = await OverdueLearner(WheelSetup.KristinasUnit, Intro, daysLate: 2);
        await Overdue(own, Handling, daysLate: 4);
        await Overdue(own, Leading, daysLate: 6);
        var assignments = await app.Query(db => db.Assignments.Where(a => a.LearnerId == own.LearnerId).ToDictionaryAsync(a => a.CourseId, a => a.Id));
        var kristina = app.NewVisitor();
        await kristina.LogInAs("chef");
        var list = await kristina.Open($"/uppfoljning/enhet/{norr}/forsenade");

        var early = await kristina.SubmitAndFollow(list, NudgeForm(assignments[Intro]));
        Assert.Equal("1 påminnelse lades i kön. E-posten går i dag kl. 08.00.", early.QuerySelector("[role=status]")!.TextContent);
        await kristina.SubmitAndFollow(early, NudgeForm(assignments[Handling]));

        // Quiet hours: nothing leaves before 08.00.
        await app.Dispatch();
        Assert.Empty(await app.Smtp.ReceivedBy(own.Email));

        app.SwedishTime(new DateTime(2027, 3, 4, 8, 0, 0));
        await app.Dispatch();
        var first = Assert.Single(await app.Smtp.ReceivedBy(own.Email));
        Assert.Equal($"Din chef ber dig göra klart {Title(Handling)} (och 1 till)", first.Subject);
        Assert.Contains($"Din chef ber dig göra klart kursen {Title(Intro)}.", first.TextBody);
        Assert.Contains($"Din chef ber dig göra klart kursen {Title(Handling)}.", first.TextBody);
        Assert.Contains($"Din chef ber dig göra klart kursen {Title(Intro)}.", new HtmlParser().ParseDocument(first.HtmlBody!).Body!.TextContent);

        // After the day's e-mail, another nudge waits for tomorrow's; the session has been idle too long meanwhile.
        app.SwedishTime(new DateTime(2027, 3, 4, 9, 0, 0));
        await kristina.LogInAs("chef");
        var late = await kristina.SubmitAndFollow(await kristina.Open($"/uppfoljning/enhet/{norr}/forsenade"), NudgeForm(assignments[Leading]));
        Assert.Equal("1 påminnelse lades i kön. E-posten går i morgon kl. 08.00.", late.QuerySelector("[role=status]")!.TextContent);
        await app.Dispatch();
        Assert.Single(await app.Smtp.ReceivedBy(own.Email));

        app.SwedishTime(new DateTime(2027, 3, 5, 8, 0, 0));
        await app.Dispatch();
        var messages = await app.Smtp.ReceivedBy(own.Email);
        Assert.Equal(2, messages.Count);
        var second = Assert.Single(messages, m => m.Subject != first.Subject);
        Assert.Equal($"Din chef ber dig göra klart {Title(Leading)}", second.Subject);
        Assert.Equal(3, (await app.RemindersOf(own.Email)).Count(r => r.Kind == ReminderKind.ManagerNudge));
    }

    [Fact]
    public async Task Paminn_alla_queues_one_nudge_for_every_listed_row()
    {
        app.SwedishTime(new DateTime(2027, 3, 8, 12, 0, 0));
        var norr = await app.UnitId(WheelSetup.KristinasUnit);
        var first = await OverdueLearner(WheelSetup.KristinasUnit, Intro, daysLate: 1);
        var second = await OverdueLearner(WheelSetup.KristinasUnit, Intro, daysLate: 1);
        var kristina = app.NewVisitor();
        await kristina.LogInAs("chef");
        var list = await kristina.Open($"/uppfoljning/enhet/{norr}/forsenade");
        var listed = list.QuerySelectorAll("#paminn-alla input[name=assignment]").Length;
        Assert.Equal(list.QuerySelectorAll("tbody tr").Length, listed);

        var after = await kristina.SubmitAndFollow(list, "#paminn-alla");

        Assert.StartsWith($"{listed} påminnelser lades i kön.", after.QuerySelector("[role=status]")!.TextContent);
        Assert.Null(after.QuerySelector("#paminn-alla"));
        Assert.Single(await app.RemindersOf(first.Email));
        Assert.Single(await app.RemindersOf(second.Email));
        Assert.Contains("Alla i listan har fått en påminnelse i dag.", Text(after));
    }

    [Theory]
    // Monday 1 March 2027: sending now, before the hours open, after they close, on a Friday evening.
    [InlineData("2027-03-01 10:14:30", "* * * * *", "2027-03-01 10:15", "i dag cirka 10.15")]
    [InlineData("2027-03-01 06:30:00", "* * * * *", "2027-03-01 08:00", "i dag kl. 08.00")]
    [InlineData("2027-03-01 17:30:00", "* * * * *", "2027-03-02 08:00", "i morgon kl. 08.00")]
    [InlineData("2027-03-05 17:30:00", "* * * * *", "2027-03-08 08:00", "på måndag kl. 08.00")]
    [InlineData("2027-03-01 10:01:00", "*/15 * * * *", "2027-03-01 10:15", "i dag cirka 10.15")]
    // A schedule in UTC: 07:00 UTC is 08:00 in Swedish winter time, 09:00 in summer time.
    [InlineData("2027-03-01 09:00:00", "0 7 * * *", "2027-03-02 08:00", "i morgon kl. 08.00")]
    [InlineData("2027-06-01 09:30:00", "0 7 * * *", "2027-06-02 09:00", "i morgon cirka 09.00")]
    public void The_next_mail_goes_with_the_first_dispatch_inside_sending_hours(string now, string schedule, string expected, string said)
    {
        var settings = new ReminderOptions { DispatchSchedule = schedule };
        var from = Swedish(now);

        var next = ReminderTiming.Next(settings, from);

        Assert.Equal(Swedish(expected), next);
        Assert.Equal(said, ReminderTiming.Describe(next, from, settings));
    }

    [Fact]
    public void A_dispatch_that_never_runs_in_sending_hours_is_said_plainly()
    {
        var settings = new ReminderOptions { DispatchSchedule = "0 3 * * *" };
        var now = Swedish("2027-03-01 10:00:00");
        Assert.Null(ReminderTiming.Next(settings, now));
        Assert.Equal("när utskicket körs nästa gång", ReminderTiming.Describe(null, now, settings));
    }

    [Fact]
    public async Task The_list_downloads_as_csv_and_xlsx_with_the_rows_on_the_page_and_each_export_is_audited()
    {
        app.SwedishTime(new DateTime(2027, 3, 5, 10, 0, 0));
        var norr = await app.UnitId(WheelSetup.KristinasUnit);
        var waiting = await OverdueLearner(WheelSetup.KristinasUnit, Intro, daysLate: 7);
        var nudged = await OverdueLearner(WheelSetup.KristinasUnit, Handling, daysLate: 2);
        var kristina = app.NewVisitor();
        await kristina.LogInAs("chef");
        var page = await kristina.SubmitAndFollow(await kristina.Open($"/uppfoljning/enhet/{norr}/forsenade"), NudgeForm(nudged.AssignmentId));
        var since = await LastAuditId();

        var csv = await ReportReader.Download(kristina, page.QuerySelector("p.export a[href*='format=csv']")!.GetAttribute("href")!);
        var xlsx = await ReportReader.Download(kristina, page.QuerySelector("p.export a[href*='format=xlsx']")!.GetAttribute("href")!);

        Assert.Equal((HttpStatusCode.OK, "text/csv"), (csv.Status, csv.ContentType));
        var lines = ReportReader.Csv(csv.Content);
        Assert.Equal(["Namn", "Enhet", "Kurs", "Skulle vara klar", "Dagar sen", "Påmind i dag"], lines[0]);
        // The page's rows, its last column read as whether a nudge is queued today.
        var shown = page.QuerySelectorAll("table.overdue tbody tr").Select(tr => tr.QuerySelectorAll("th, td").Select(c => c.TextContent.Trim()).ToArray())
            .Select(c => (string[])[c[0], c[1], c[2], c[3], c[4], c[5].StartsWith("Påmind i dag", StringComparison.Ordinal) ? "Ja" : "Nej"]).ToList();
        Assert.Equal(shown, lines.Skip(1).Take(shown.Count));
        Assert.Contains([waiting.Name, WheelSetup.KristinasUnit, Title(Intro), Format.Date(app.Today.AddDays(-7)), "7", "Nej"], lines);
        Assert.Contains([nudged.Name, WheelSetup.KristinasUnit, Title(Handling), Format.Date(app.Today.AddDays(-2)), "2", "Ja"], lines);
        Assert.Equal((HttpStatusCode.OK, TableExport.XlsxContentType.Split(';')[0]), (xlsx.Status, xlsx.ContentType));
        var sheet = ReportReader.Xlsx(xlsx.Content);
        Assert.Equal(shown.Select(r => r[0]), sheet.Skip(1).Take(shown.Count).Select(r => r[0]));
        Assert.Contains([waiting.Name, WheelSetup.KristinasUnit, Title(Intro), Format.Date(app.Today.AddDays(-7)), "7", "Nej"], sheet);

        var written = await app.Query(db => db.AuditEntries.Where(e => e.Id > since).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(
            [
                (AuditAction.ExportedOverdue, $"Försenade i {WheelSetup.KristinasUnit} (CSV)", (int?)norr, (int?)null, "Kristina Berg"),
                (AuditAction.ExportedOverdue, $"Försenade i {WheelSetup.KristinasUnit} (XLSX)", norr, null, "Kristina Berg"),
            ],
            written.Select(e => (e.Action, e.Subject, e.UnitId, e.LearnerId, e.UserName)));
    }

    [Fact]
    public async Task An_export_of_another_chefs_unit_is_refused_and_a_bad_format_is_400_and_neither_is_audited()
    {
        app.SwedishTime(new DateTime(2027, 3, 8, 10, 0, 0));
        var (norr, soder) = (await app.UnitId(WheelSetup.KristinasUnit), await app.UnitId(WheelSetup.OtherUnit));
        var foreign = await OverdueLearner(WheelSetup.OtherUnit, Intro, daysLate: 4);
        var kristina = app.NewVisitor();
        await kristina.LogInAs("chef");
        var since = await LastAuditId();

        foreach (var format in new[] { "csv", "xlsx" })
        {
            var refused = await ReportReader.Download(kristina, $"/uppfoljning/enhet/{soder}/forsenade?handler=Export&format={format}");
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
            Assert.DoesNotContain(foreign.Name, System.Text.Encoding.UTF8.GetString(refused.Content));
        }

        foreach (var bad in new[] { "format=pdf", "format=1", "" })
        {
            var page = await kristina.Open($"/uppfoljning/enhet/{norr}/forsenade?handler=Export&{bad}", HttpStatusCode.BadRequest);
            Assert.Equal("Den filen finns inte", page.QuerySelector("h1")!.TextContent);
        }

        Assert.Empty(await app.Query(db => db.AuditEntries.Where(e => e.Id > since).ToListAsync()));
        var soderChef = await app.ChefOf(WheelSetup.OtherUnit);
        var own = await ReportReader.Download(soderChef, $"/uppfoljning/enhet/{soder}/forsenade?handler=Export&format=csv");
        Assert.Contains(ReportReader.Csv(own.Content), line => line[0] == foreign.Name);
    }

    private async Task<long> LastAuditId() => await app.Query(db => db.AuditEntries.MaxAsync(e => (long?)e.Id)) ?? 0;

    private static DateTimeOffset Swedish(string local)
    {
        var time = DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture);
        return new DateTimeOffset(time, Format.Stockholm.GetUtcOffset(time));
    }

    private static string NudgeForm(int assignmentId) => $"form:not(#paminn-alla):has(input[name=assignment][value='{assignmentId}'])";

    private static IElement Row(IDocument page, string name) =>
        Assert.Single(page.QuerySelectorAll("tbody tr"), r => r.QuerySelector("th")!.TextContent == name);

    private async Task<OverduePerson> OverdueLearner(string unit, string courseId, int daysLate)
    {
        // Not in the demo's "Employee" audience: its kommun-wide repetition campaign is open in March, and the daily
        // planner, whenever Hangfire runs it, would give the person a later due date than this test's.
        var email = await app.NewLearner(Audience.NewEmployee);
        var unitId = await app.UnitId(unit);
        var learnerId = await app.LearnerId(email);
        await app.Query(db => db.Learners.Where(l => l.Id == learnerId).ExecuteUpdateAsync(s => s.SetProperty(l => l.UnitId, unitId)));
        var person = new OverduePerson(email, learnerId, await app.Query(db => db.Learners.Where(l => l.Id == learnerId).Select(l => l.FirstName + " " + l.LastName).SingleAsync()), 0);
        return person with { AssignmentId = await Overdue(person, courseId, daysLate) };
    }

    private async Task<int> Overdue(OverduePerson person, string courseId, int daysLate)
    {
        return await app.Assign(person.Email, courseId, app.Today.AddDays(-daysLate - 30), app.Today.AddDays(-daysLate));
    }

    private sealed record OverduePerson(string Email, int LearnerId, string Name, int AssignmentId);
}

/// <summary>The overdue list with "Påminn nu" and the audit trail it writes, in a real browser on a phone and a desktop, checked with axe.</summary>
public sealed class OverduePeopleBrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public async Task A_chef_nudges_an_overdue_person_and_the_admin_reads_it_in_the_audit_trail(int width)
    {
        var norr = await app.UnitId(WheelSetup.KristinasUnit);
        var email = await app.NewLearner();
        var learnerId = await app.LearnerId(email);
        await app.Query(db => db.Learners.Where(l => l.Id == learnerId).ExecuteUpdateAsync(s => s.SetProperty(l => l.UnitId, norr)));
        await app.Assign(email, "anhorigperspektiv-introduktion", app.Today.AddDays(-40), app.Today.AddDays(-7));
        var name = await app.Query(db => db.Learners.Where(l => l.Id == learnerId).Select(l => l.FirstName + " " + l.LastName).SingleAsync());
        var page = await app.NewPage(width);
        var check = new BrowserTests.PageCheck(page, width, javaScript: true);

        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kristina Berg – Chef" }).ClickAsync();
        await check.Page("Mina kurser", "Mina kurser");
        await page.GotoAsync($"/uppfoljning/enhet/{norr}/forsenade");
        await check.Page("försenade", $"Försenade i {WheelSetup.KristinasUnit}");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex($"^Påminn nu {name} om ") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("1 påminnelse lades i kön.");
        await check.Page("försenade efter påminnelse", $"Försenade i {WheelSetup.KristinasUnit}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga ut" }).ClickAsync();

        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anna Ek – Anhörigkonsulent (admin)" }).ClickAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Granskningslogg" }).ClickAsync();
        await check.Page("granskningslogg", "Granskningslogg");
        await Assertions.Expect(page.Locator("tbody tr", new() { HasText = $"Påminn nu i {WheelSetup.KristinasUnit}: {name}" })).ToHaveCountAsync(1);
        await page.GetByLabel("Händelse").SelectOptionAsync(new SelectOptionValue { Label = AuditTrail.Swedish(AuditAction.ViewedOverdue) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Visa" }).ClickAsync();
        await check.Page("granskningslogg, filtrerad", "Granskningslogg");
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync($"Försenade i {WheelSetup.KristinasUnit}");
        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }
}
