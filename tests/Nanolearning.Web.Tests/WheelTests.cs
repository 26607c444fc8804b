using System.Net;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Nanolearning.Courses;
using Microsoft.Extensions.DependencyInjection;
using Nanolearning.Web.Features.AnnualWheel;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Infrastructure;
using static Nanolearning.Web.Tests.Visitor;
using static Nanolearning.Web.Tests.WheelSetup;

namespace Nanolearning.Web.Tests;

/// <summary>A chef plans her unit's year: recurring windows, inherited entries, campaigns that assign, bad input, deletion.</summary>
public sealed class WheelTests(AppFixture app) : IClassFixture<AppFixture>
{
    private DateOnly Today => app.Today;

    [Fact]
    public async Task A_window_from_November_to_January_shows_in_both_years_tables()
    {
        var norr = await app.UnitId(KristinasUnit);
        await app.AddEntry(norr, "Vinterns kampanj", AnnualWheelKind.CourseCampaign, new DateOnly(2030, 11, 15), new DateOnly(2031, 1, 15), DemoSeeder.ManagerCourse);
        var kristina = await Kristina();

        var windows = new Dictionary<int, string[]>();
        foreach (var year in new[] { 2029, 2030, 2031, 2032 })
        {
            windows[year] = Windows(await kristina.Open($"/arshjul/{norr}?ar={year}"), "Vinterns kampanj");
        }

        Assert.Equal(new Dictionary<int, string[]>
        {
            [2029] = [],
            [2030] = ["15 november 2030 – 15 januari 2031"],
            [2031] = ["15 november 2030 – 15 januari 2031"],
            [2032] = [],
        }, windows);
    }

    [Fact]
    public async Task A_yearly_window_across_New_Year_shows_last_years_and_this_years_occurrence()
    {
        var norr = await app.UnitId(KristinasUnit);
        var entryId = await app.AddEntry(norr, "Årsskiftets kampanj", AnnualWheelKind.CourseCampaign, new DateOnly(2032, 11, 15), new DateOnly(2033, 1, 15), DemoSeeder.ManagerCourse, recurs: true);
        await app.Query(db => db.AnnualWheelEntries.Where(e => e.Id == entryId).ExecuteUpdateAsync(e => e.SetProperty(x => x.LastYear, 2033)));
        var kristina = await Kristina();

        Assert.Equal(
            ["15 november 2032 – 15 januari 2033", "15 november 2033 – 15 januari 2034"],
            Windows(await kristina.Open($"/arshjul/{norr}?ar=2033"), "Årsskiftets kampanj"));
        Assert.Equal(["15 november 2033 – 15 januari 2034"], Windows(await kristina.Open($"/arshjul/{norr}?ar=2034"), "Årsskiftets kampanj"));
        Assert.Empty(Windows(await kristina.Open($"/arshjul/{norr}?ar=2035"), "Årsskiftets kampanj"));
    }

    [Fact]
    public async Task A_sub_unit_shows_its_parents_entries_marked_with_their_unit_and_not_editable_there()
    {
        var norr = await app.UnitId(KristinasUnit);
        var night = await app.AddUnit("Hemtjänst Norr natt", norr);
        var day = new DateOnly(2027, 9, 14);
        var parentEntry = await app.AddEntry(norr, "APT om anhöriga i hemtjänsten", AnnualWheelKind.WorkplaceMeeting, day, day, DemoSeeder.IntroductionCourse);
        var ownEntry = await app.AddEntry(night, "Nattens egen anteckning", AnnualWheelKind.Note, day, day);
        var kristina = await Kristina();

        var page = await kristina.Open($"/arshjul/{night}?ar=2027");

        var inherited = Row(page, "APT om anhöriga i hemtjänsten");
        Assert.Contains("Från Hemtjänst Norr", inherited.TextContent);
        Assert.Null(inherited.QuerySelector($"a[href^='/arshjul/{night}/post/']"));
        Assert.All(Rows(page, "Chefer leder med anhörigperspektiv"), row => Assert.Contains("Från Vård- och omsorgsförvaltningen", row.TextContent));
        var own = Row(page, "Nattens egen anteckning");
        Assert.Contains("Egen", own.TextContent);
        Assert.NotNull(own.QuerySelector($"a[href^='/arshjul/{night}/post/{ownEntry}']"));
        await kristina.Open($"/arshjul/{night}/post/{parentEntry}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Creating_a_campaign_that_is_open_today_assigns_the_course_to_everyone_in_scope_at_once()
    {
        var norr = await app.UnitId(KristinasUnit);
        var due = Today.AddDays(200);
        var kristina = await Kristina();

        var page = await kristina.SubmitAndFollow(
            await kristina.Open($"/arshjul/{norr}/ny"), "form.entry-form",
            ("Kind", "CourseCampaign"), ("Title", "Handläggning med anhörigperspektiv"), ("StartsOn", Iso(Today.AddDays(-3))),
            ("EndsOn", Iso(due)), ("CourseId", DemoSeeder.CaseOfficerCourse), ("Audiences", Audience.Employee),
            ("RemindOnOpening", "true"), ("RemindDaysBeforeDue", "5"), ("RemindWeeksOverdue", "2"));

        var entry = await app.Query(db => db.AnnualWheelEntries.SingleAsync(e => e.Title == "Handläggning med anhörigperspektiv"));
        var entryId = entry.Id;
        // The due-date box was left unticked: only its hidden "false" was sent.
        Assert.Equal(new ReminderPlan(OnOpening: true, DaysBeforeDue: 5, OnDueDate: false, WeeksOverdue: 2), entry.Reminders);
        var inScope = (await app.Query(db => db.Learners.Where(l => l.UnitId == norr && l.IsActive).ToListAsync()))
            .Where(l => l.Audiences.Contains(Audience.Employee)).Select(l => l.Id).Order().ToList();
        var assigned = await app.Query(db => db.Assignments.Where(a => a.EntryId == entryId).OrderBy(a => a.LearnerId).ToListAsync());
        Assert.NotEmpty(inScope);
        Assert.Equal(inScope, assigned.Select(a => a.LearnerId));
        Assert.All(assigned, a => Assert.Equal((DemoSeeder.CaseOfficerCourse, Today.AddDays(-3), due), (a.CourseId, a.OpensOn, a.DueOn)));
        Assert.Contains($"Kursen är tilldelad {inScope.Count} personer", Text(page));
    }

    public static TheoryData<string, string, string, string> BadEntries => new()
    {
        { "Title", "Skriv en rubrik.", "Title", "  " },
        { "Title", "Rubriken får vara högst 200 tecken.", "Title", new string('x', 201) },
        { "EndsOn", "Sista dagen kan inte vara före startdatumet.", "EndsOn", "2027-03-09" },
        { "EndsOn", "En period får vara högst 366 dagar.", "EndsOn", "2028-03-10" },
        { "EndsOn", "Skriv sista dagen som år-månad-dag", "EndsOn", "31/3/2027" },
        { "CourseId", "Kursen finns inte.", "CourseId", "finns-inte" },
        { "CourseId", "Välj vilken kurs kampanjen ska ge.", "CourseId", "" },
        { "LastYear", "Sista året kan inte vara före året då posten börjar.", "LastYear", "2026" },
        { "RemindDaysBeforeDue", "ett heltal från 0 till 60", "RemindDaysBeforeDue", "en vecka" },
        { "RemindWeeksOverdue", "ett heltal från 0 till 10", "RemindWeeksOverdue", "11" },
        { "RemindWeeksOverdue", "ett heltal från 0 till 10", "RemindWeeksOverdue", "99999999999" },
        { "StartsOn", "Skriv startdatumet som år-månad-dag", "StartsOn", "2027-02-30" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public async Task A_bad_entry_is_refused_with_422_and_a_Swedish_message_next_to_its_field(string field, string message, string name, string value)
    {
        var norr = await app.UnitId(KristinasUnit);
        var kristina = await Kristina();
        var form = await kristina.Open($"/arshjul/{norr}/ny");
        var before = await app.Query(db => db.AnnualWheelEntries.CountAsync());
        (string, string)[] fields =
        [
            ("Kind", "CourseCampaign"), ("Title", "Vårens kampanj"), ("StartsOn", "2027-03-10"), ("EndsOn", "2027-03-31"),
            ("CourseId", DemoSeeder.IntroductionCourse), ("RecursYearly", "true"),
        ];

        using var response = await kristina.Submit(form, "form.entry-form", [.. fields.Where(f => f.Item1 != name), (name, value)]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Contains(message, page.QuerySelector($"#{field}-fel")?.TextContent);
        Assert.Contains($"{field}-fel", page.QuerySelector($"#{field}")!.GetAttribute("aria-describedby"));
        Assert.Equal("true", page.QuerySelector($"#{field}")!.GetAttribute("aria-invalid"));
        Assert.NotNull(page.QuerySelector($".error-summary a[href='#{field}']"));
        Assert.Equal(before, await app.Query(db => db.AnnualWheelEntries.CountAsync()));
    }

    [Theory]
    [InlineData("ReminderPlan")]
    [InlineData("2")]
    public async Task A_kind_the_wheel_no_longer_has_is_refused_with_422_on_both_forms(string kind)
    {
        var norr = await app.UnitId(KristinasUnit);
        var day = new DateOnly(2027, 4, 7);
        var noteId = await app.AddEntry(norr, "Anteckning som inte byter slag", AnnualWheelKind.Note, day, day);
        var kristina = await Kristina();
        var before = await app.Query(db => db.AnnualWheelEntries.CountAsync());

        using var created = await kristina.Submit(
            await kristina.Open($"/arshjul/{norr}/ny"), "form.entry-form",
            ("Kind", kind), ("Title", "Påminnelser inför repetitionen"), ("StartsOn", "2027-03-01"), ("EndsOn", "2027-03-31"));
        using var edited = await kristina.Submit(await kristina.Open($"/arshjul/{norr}/post/{noteId}"), "form.entry-form", ("Kind", kind));

        foreach (var response in new[] { created, edited })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
            Assert.Equal("Välj vad det är för post.", page.QuerySelector("#Kind-fel")?.TextContent);
        }

        Assert.Equal(before, await app.Query(db => db.AnnualWheelEntries.CountAsync()));
        Assert.Equal(AnnualWheelKind.Note, await app.Query(db => db.AnnualWheelEntries.Where(e => e.Id == noteId).Select(e => e.Kind).SingleAsync()));
    }

    [SqliteFact]
    public async Task A_reminder_plan_entry_made_before_the_kind_was_removed_is_a_note_after_migrating()
    {
        var options = new DbContextOptionsBuilder<AppDbContext>()
            .UseSqlite($"Data Source={Path.Combine(app.Root, "before-reminder-plans-went.db")}").Options;
        await using var db = new AppDbContext(options);
        await db.GetService<IMigrator>().MigrateAsync("XapiStatementIndexes");
        // Written as that version of the app wrote them: the kind by name, the audiences as a JSON array.
        await db.Database.ExecuteSqlAsync($"""INSERT INTO "Units" ("Name", "Kind") VALUES ('Hemtjänst Öst', 'Unit')""");
        var unitId = await db.Database.SqlQuery<int>($"""SELECT "Id" AS "Value" FROM "Units" WHERE "Name" = 'Hemtjänst Öst'""").SingleAsync();
        var audiences = $"[\"{Audience.Employee}\"]";
        foreach (var (kind, title) in new[] { ("ReminderPlan", "Påminnelser inför repetitionen"), ("CourseCampaign", "Årlig repetition") })
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "AnnualWheelEntries" ("UnitId", "Kind", "Title", "StartsOn", "EndsOn", "RecursYearly", "LastYear",
                    "CourseId", "Audiences", "Note", "RemindOnOpening", "RemindDaysBeforeDue", "RemindOnDueDate", "RemindWeeksOverdue",
                    "CreatedAt", "UpdatedAt")
                VALUES ({unitId}, {kind}, {title}, '2026-03-01', '2026-03-31', 1, 2030,
                    {DemoSeeder.IntroductionCourse}, {audiences}, 'Två veckor före sista dag.', 1, 7, 1, 3,
                    '2026-01-10 08:00:00', '2026-01-10 08:00:00')
                """);
        }

        await Database.MigrateAsync(db);

        var entries = await db.AnnualWheelEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(
            [
                (AnnualWheelKind.Note, "Påminnelser inför repetitionen"),
                (AnnualWheelKind.CourseCampaign, "Årlig repetition"),
            ],
            entries.Select(e => (e.Kind, e.Title)));
        var note = entries[0];
        Assert.Equal(
            (unitId, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), true, (int?)2030, DemoSeeder.IntroductionCourse, "Två veckor före sista dag."),
            (note.UnitId, note.StartsOn, note.EndsOn, note.RecursYearly, note.LastYear, note.CourseId, note.Note));
        Assert.Equal([Audience.Employee], note.Audiences);
    }

    [Fact]
    public async Task Deleting_a_campaign_withdraws_the_assignments_nobody_finished_and_keeps_the_completed_ones()
    {
        var norr = await app.UnitId(KristinasUnit);
        var (done, doneLastYear) = (await app.NewLearner(), await app.NewLearner());
        var politicians = app.Catalog.FindLive(DemoSeeder.PoliticianCourse)!;
        var kristina = await Kristina();
        var entryId = await NewCampaign(kristina, norr, "Kampanj som tas bort", DemoSeeder.PoliticianCourse, Today.AddDays(-5), Today.AddDays(210));
        await app.Complete(done, politicians, app.UtcNow);
        await app.Complete(doneLastYear, politicians, app.UtcNow.AddYears(-1));
        var assigned = await app.Query(db => db.Assignments.CountAsync(a => a.EntryId == entryId));

        var confirm = await kristina.Open($"/arshjul/{norr}/post/{entryId}/ta-bort");
        Assert.Contains($"{assigned - 1} som ingen har gjort klart tas bort", Text(confirm));
        Assert.Contains("1 som är klara sparas", Text(confirm));
        await kristina.SubmitAndFollow(confirm, "form[action$='ta-bort?ar=" + Today.Year + "']");

        Assert.False(await app.Query(db => db.AnnualWheelEntries.AnyAsync(e => e.Id == entryId)));
        var left = await app.Query(db => db.Assignments
            .Where(a => a.CourseId == DemoSeeder.PoliticianCourse && a.DueOn == Today.AddDays(210))
            .Select(a => new { a.LearnerId, a.EntryId }).ToListAsync());
        Assert.Equal([new { LearnerId = await app.LearnerId(done), EntryId = (int?)null }], left);
    }

    [Fact]
    public async Task Changing_a_campaigns_due_date_moves_the_unfinished_assignments_to_the_new_date()
    {
        var norr = await app.UnitId(KristinasUnit);
        var kristina = await Kristina();
        var (start, due, later) = (Today.AddDays(-2), Today.AddDays(220), Today.AddDays(230));
        var entryId = await NewCampaign(kristina, norr, "Kampanj som skjuts upp", DemoSeeder.ManagerCourse, start, due);
        var learners = await app.Query(db => db.Assignments.Where(a => a.EntryId == entryId).Select(a => a.LearnerId).OrderBy(id => id).ToListAsync());

        await kristina.SubmitAndFollow(
            await kristina.Open($"/arshjul/{norr}/post/{entryId}"), "form.entry-form",
            ("Kind", "CourseCampaign"), ("Title", "Kampanj som skjuts upp"), ("StartsOn", Iso(start)), ("EndsOn", Iso(later)),
            ("CourseId", DemoSeeder.ManagerCourse));

        var after = await app.Query(db => db.Assignments.Where(a => a.EntryId == entryId).OrderBy(a => a.LearnerId).Select(a => new { a.LearnerId, a.DueOn }).ToListAsync());
        Assert.NotEmpty(learners);
        Assert.Equal(learners.Select(id => new { LearnerId = id, DueOn = later }), after);
    }

    [Fact]
    public async Task The_month_view_counts_who_has_a_campaign_due_and_who_has_done_it()
    {
        var norr = await app.UnitId(KristinasUnit);
        var (done, doneBefore) = (await app.NewLearner(), await app.NewLearner());
        var kristina = await Kristina();
        var due = Today.AddDays(240);
        var course = app.Catalog.FindLive(DemoSeeder.IntroductionCourse)!;
        // Done before the campaign opened: it asks again, so that completion does not count.
        await app.Complete(doneBefore, course, app.UtcNow.AddDays(-3));
        var entryId = await NewCampaign(kristina, norr, "Kampanj att följa upp", DemoSeeder.IntroductionCourse, Today.AddDays(-1), due);
        await app.Complete(done, course, app.UtcNow);
        var assigned = await app.Query(db => db.Assignments.CountAsync(a => a.EntryId == entryId));

        var month = await kristina.Open($"/arshjul/{norr}/manad/{due:yyyy-MM}");

        var row = Row(month, "Kampanj att följa upp");
        Assert.Contains("Sista dag", row.TextContent);
        Assert.Equal($"1 av {assigned}", row.Children[5].TextContent.Trim());
    }

    [Fact]
    public async Task The_wheel_shows_an_opened_campaigns_completion_in_the_chefs_own_units_only()
    {
        var (norr, soder, administration) = (await app.UnitId(KristinasUnit), await app.UnitId(OtherUnit), await app.UnitId(Administration));
        // A course no other test here completes, so their campaigns' counts stay their own.
        var course = app.Catalog.FindLive(DemoSeeder.ManagerCourse)!;
        // Within this year, so that the whole arc is on this year's wheel.
        var (opens, due) = (Today.AddDays(-10), Today.AddDays(30));
        // For politicians only, so that the planner assigns it to this test's people and nobody else in the demo.
        const string Title = "Förvaltningens kampanj att följa upp";
        await app.AddEntry(administration, Title, AnnualWheelKind.CourseCampaign, opens, due, DemoSeeder.ManagerCourse, false, Audience.Politician);
        var (norrDone, norrDoneAgain, norrDoneBefore, norrLeaver) = (await NewPoliticianIn(norr), await NewPoliticianIn(norr), await NewPoliticianIn(norr), await NewPoliticianIn(norr));
        var (soderDone, soderNot) = (await NewPoliticianIn(soder), await NewPoliticianIn(soder));
        await app.Complete(norrDoneBefore, course, app.UtcNow.AddDays(-20));
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AssignmentPlanner>().PlanAsync();
        }
        foreach (var done in new[] { norrDone, norrDoneAgain, norrLeaver, soderDone })
        {
            await app.Complete(done, course, app.UtcNow);
        }

        // Someone who has left keeps their assignment but no longer counts.
        await app.Query(db => db.Learners.Where(l => l.Id == norrLeaver).ExecuteUpdateAsync(l => l.SetProperty(x => x.IsActive, false)));

        var kristinas = await (await Kristina()).Open($"/arshjul/{norr}");
        var soders = await (await app.ChefOf(OtherUnit)).Open($"/arshjul/{soder}");

        // Norr: three active with the campaign, the one who did the course before it opened is asked again.
        var window = $"{Format.Date(opens)} – {Format.Date(due)}";
        Assert.Equal("2 av 3 klara (66\u00a0%)", Row(kristinas, Title).Children[6].TextContent.Trim());
        Assert.Contains($"{Title}, {window}: 2 av 3 klara (66\u00a0%).", kristinas.QuerySelector("#hjul-beskrivning")!.TextContent);
        Assert.Equal("1 av 2 klara (50\u00a0%)", Row(soders, Title).Children[6].TextContent.Trim());
        Assert.Contains($"{Title}, {window}: 1 av 2 klara (50\u00a0%).", soders.QuerySelector("#hjul-beskrivning")!.TextContent);

        // The arc is filled from the window's start for two thirds of it; the rest is hollow.
        var arc = kristinas.QuerySelectorAll("svg path.arc").Single(p => p.QuerySelector("title")?.TextContent.StartsWith(Title, StringComparison.Ordinal) == true);
        var radius = double.Parse(arc.GetAttribute("d")!.Split(' ')[4], System.Globalization.CultureInfo.InvariantCulture);
        var (x, y) = WheelGeometry.Point(new WheelGeometry(Today.Year).AngleAtShare(opens, due, 2.0 / 3), radius);
        Assert.Equal("arc-left", arc.NextElementSibling?.ClassName);
        Assert.StartsWith(FormattableString.Invariant($"M {x} {y} A "), arc.NextElementSibling!.GetAttribute("d"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_campaign_that_has_not_opened_shows_no_figures()
    {
        var norr = await app.UnitId(KristinasUnit);
        var opens = Today.AddDays(30);
        await app.AddEntry(norr, "Kampanj som inte har börjat", AnnualWheelKind.CourseCampaign, opens, opens.AddDays(20), DemoSeeder.ManagerCourse);

        var page = await (await Kristina()).Open($"/arshjul/{norr}?ar={opens.Year}");

        Assert.Equal("Har inte börjat", Row(page, "Kampanj som inte har börjat").Children[6].TextContent.Trim());
        Assert.Contains("Kampanj som inte har börjat, " + WheelText.Window(opens, opens.AddDays(20)) + ": har inte börjat.", page.QuerySelector("#hjul-beskrivning")!.TextContent);
    }

    [Theory]
    [InlineData("?ar=tjugotjugosju", HttpStatusCode.BadRequest)]
    [InlineData("?ar=1999", HttpStatusCode.BadRequest)]
    [InlineData("/manad/2027-13", HttpStatusCode.NotFound)]
    [InlineData("/manad/mars", HttpStatusCode.NotFound)]
    public async Task A_year_or_month_that_cannot_be_shown_gets_a_plain_Swedish_answer(string address, HttpStatusCode expected)
    {
        var norr = await app.UnitId(KristinasUnit);
        var kristina = await Kristina();

        var page = await kristina.Open($"/arshjul/{norr}{address}", expected);

        Assert.Contains(expected == HttpStatusCode.BadRequest ? "Skriv året med fyra siffror" : "Adressen ska sluta med år och månad", Text(page));
    }

    /// <summary>A new learner in the unit with only the politician audience, which no other person there has.</summary>
    private async Task<int> NewPoliticianIn(int unitId)
    {
        var id = await app.LearnerId(await app.NewLearner(Audience.Politician));
        await app.Query(db => db.Learners.Where(l => l.Id == id).ExecuteUpdateAsync(l => l.SetProperty(x => x.UnitId, unitId)));
        return id;
    }

    private async Task<Visitor> Kristina()
    {
        var visitor = app.NewVisitor();
        await visitor.LogInAs("chef");
        return visitor;
    }

    /// <summary>Creates a campaign for everyone in the unit through the form; returns its id.</summary>
    private async Task<int> NewCampaign(Visitor chef, int unitId, string title, string course, DateOnly start, DateOnly due)
    {
        await chef.SubmitAndFollow(
            await chef.Open($"/arshjul/{unitId}/ny"), "form.entry-form",
            ("Kind", "CourseCampaign"), ("Title", title), ("StartsOn", Iso(start)), ("EndsOn", Iso(due)), ("CourseId", course));
        return await app.Query(db => db.AnnualWheelEntries.Where(e => e.Title == title).Select(e => e.Id).SingleAsync());
    }

    /// <summary>The table rows of an entry: two in a year when last year's window runs into it.</summary>
    private static IElement[] Rows(IDocument page, string title) =>
        [.. page.QuerySelectorAll("table.entries tbody tr").Where(tr => tr.QuerySelector("th")!.TextContent.Contains(title, StringComparison.Ordinal))];

    private static IElement Row(IDocument page, string title) =>
        Rows(page, title).SingleOrDefault() ?? throw new InvalidOperationException($"Not one row '{title}' in: {Text(page)}");

    /// <summary>The windows the table shows for an entry that year.</summary>
    private static string[] Windows(IDocument page, string title) =>
        [.. Rows(page, title).Select(tr => tr.Children[2].ChildNodes.OfType<IText>().First().TextContent.Trim())];
}
