using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nanolearning.Courses;
using Nanolearning.Web.Features.AnnualWheel;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.Organisation;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The app on 15 June 2027, so the feed's window is 2026–2028: a leap year inside it, and a New Year to cross.
/// Keeps every log line the app writes, at the levels its configuration lets through, to look for tokens.
/// </summary>
public sealed class CalendarFixture : AppFixture
{
    public static readonly DateTimeOffset Now = new(2027, 6, 15, 10, 0, 0, TimeSpan.Zero);

    public ConcurrentQueue<string> Log { get; } = new();

    public CalendarFixture() => Clock.AdjustTime(Now);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(new LogLines(Log)));
    }

    private sealed class LogLines(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{formatter(state, exception)} {state} {exception}");
    }
}

public sealed class CalendarFeedTests(CalendarFixture app) : IClassFixture<CalendarFixture>
{
    private static readonly HtmlParser Parser = new();

    [Fact]
    public async Task The_feed_has_the_units_own_and_inherited_entries_as_all_day_events_over_three_years()
    {
        var (email, unitId) = await NewChefOfNewUnit();
        var campaign = await AddEntry(unitId, AnnualWheelKind.CourseCampaign, "Höstens repetition", new(2026, 11, 15), new(2027, 1, 31),
            DemoSeeder.IntroductionCourse, note: "Ta den på en arbetsdag.");
        var leapDay = await AddEntry(unitId, AnnualWheelKind.Note, "Skottdagsfika", new(2024, 2, 29), new(2024, 2, 29));
        var links = await CreateLinks(email);

        using var response = await app.NewVisitor().Client.GetAsync(PathOf(links[unitId]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.True(response.Headers.CacheControl!.Private);
        Assert.InRange(response.Headers.CacheControl.MaxAge!.Value, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        var calendar = Calendar.Load(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Årshjul: Testenhet " + unitId, calendar.Properties["X-WR-CALNAME"]?.Value);

        // The window crosses New Year; DTEND is the day after the due date, and the due date has its own event.
        var window = Event(calendar, $"entry-{campaign}-2026@nanolearning");
        Assert.Equal("Kurskampanj: Höstens repetition", window.Summary);
        AssertAllDay(window, new(2026, 11, 15), new(2027, 2, 1));
        Assert.Contains("Kurs: " + app.Catalog.FindLive(DemoSeeder.IntroductionCourse)!.Title, window.Description);
        Assert.Contains("Ta den på en arbetsdag.", window.Description);
        Assert.Equal(new Uri($"http://localhost:5080/arshjul/{unitId}"), window.Url);
        var due = Event(calendar, $"entry-{campaign}-2026-sista-dag@nanolearning");
        Assert.Equal("Sista dag: Höstens repetition", due.Summary);
        AssertAllDay(due, new(2027, 1, 31), new(2027, 2, 1));
        AssertAllDay(Event(calendar, $"entry-{campaign}-2028@nanolearning"), new(2028, 11, 15), new(2029, 2, 1));
        Assert.DoesNotContain(calendar.Events, e => e.Uid!.Contains($"entry-{campaign}-2029", StringComparison.Ordinal));

        // A 29 February falls on the 28th in common years, and on the 29th again in 2028.
        AssertAllDay(Event(calendar, $"entry-{leapDay}-2026@nanolearning"), new(2026, 2, 28), new(2026, 3, 1));
        AssertAllDay(Event(calendar, $"entry-{leapDay}-2027@nanolearning"), new(2027, 2, 28), new(2027, 3, 1));
        AssertAllDay(Event(calendar, $"entry-{leapDay}-2028@nanolearning"), new(2028, 2, 29), new(2028, 3, 1));
        Assert.DoesNotContain(calendar.Events, e => e.Uid!.StartsWith($"entry-{leapDay}-2025", StringComparison.Ordinal));

        // The kommun's yearly campaign is inherited; a sibling unit's APT is not.
        var kommun = await app.Query(db => db.Units.SingleAsync(u => u.Kind == UnitKind.Municipality));
        var repetition = await EntryId("Årlig repetition: anhörigperspektiv");
        Assert.Contains($"Från årshjulet för {kommun.Name}.", Event(calendar, $"entry-{repetition}-2027@nanolearning").Description);
        var siblingsApt = await EntryId("Anhöriga i vardagen");
        Assert.DoesNotContain(calendar.Events, e => e.Uid!.StartsWith($"entry-{siblingsApt}-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_feed_fetched_twice_has_the_same_events_and_uids()
    {
        var (email, unitId) = await NewChefOfNewUnit();
        await AddEntry(unitId, AnnualWheelKind.WorkplaceMeeting, "APT om anhöriga", new(2027, 9, 8), new(2027, 9, 8), DemoSeeder.IntroductionCourse);
        var path = PathOf((await CreateLinks(email))[unitId]);

        var first = await app.NewVisitor().Client.GetStringAsync(path);
        var second = await app.NewVisitor().Client.GetStringAsync(path);

        var uids = Calendar.Load(first)!.Events.Select(e => e.Uid).ToList();
        Assert.Contains(uids, uid => uid!.EndsWith("-2027@nanolearning", StringComparison.Ordinal));
        Assert.Equal(uids, Calendar.Load(second)!.Events.Select(e => e.Uid));
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_wrong_token_finds_no_feed()
    {
        var (email, unitId) = await NewChefOfNewUnit();
        await CreateLinks(email);
        var client = app.NewVisitor().Client;

        using var random = await client.GetAsync($"/kalender/{Base64UrlToken()}/{unitId}.ics");
        Assert.Equal(HttpStatusCode.NotFound, random.StatusCode);
        using var malformed = await client.GetAsync($"/kalender/inte-en-nyckel/{unitId}.ics");
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
    }

    [Fact]
    public async Task A_new_link_stops_the_old_one_and_the_page_only_says_a_link_exists()
    {
        var (email, unitId) = await NewChefOfNewUnit();
        var visitor = app.NewVisitor();
        await visitor.LogIn(email);
        Assert.Contains("Du har ingen prenumerationslänk än", Text(await visitor.Open("/arshjul/kalender")));
        var old = (await CreateLinks(visitor))[unitId];
        var page = await visitor.Open("/arshjul/kalender");
        Assert.Contains("Du har redan en prenumerationslänk", Text(page));
        Assert.Empty(page.QuerySelectorAll("input[id^=lank-]"));

        var fresh = (await CreateLinks(visitor))[unitId];

        Assert.NotEqual(old, fresh);
        using var oldResponse = await app.NewVisitor().Client.GetAsync(PathOf(old));
        Assert.Equal(HttpStatusCode.NotFound, oldResponse.StatusCode);
        using var freshResponse = await app.NewVisitor().Client.GetAsync(PathOf(fresh));
        Assert.Equal(HttpStatusCode.OK, freshResponse.StatusCode);
    }

    [Fact]
    public async Task The_link_opens_no_unit_the_user_does_not_manage()
    {
        var (email, unitId) = await NewChefOfNewUnit();
        var link = (await CreateLinks(email))[unitId];
        var token = PathOf(link).Split('/')[2];
        var (parent, sibling) = await app.Query(async db =>
        {
            var parentId = (await db.Units.SingleAsync(u => u.Id == unitId)).ParentId!.Value;
            return (parentId, await db.Units.Where(u => u.ParentId == parentId && u.Id != unitId).Select(u => u.Id).FirstAsync());
        });

        foreach (var other in new[] { parent, sibling, 999_999 })
        {
            using var response = await app.NewVisitor().Client.GetAsync($"/kalender/{token}/{other}.ics");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_chef_who_no_longer_leads_the_unit_loses_its_feed()
    {
        var (email, unitId) = await NewChefOfNewUnit();
        var path = PathOf((await CreateLinks(email))[unitId]);
        using (var before = await app.NewVisitor().Client.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var someoneElse = await app.LearnerId(await app.NewLearner(Audience.Employee, Audience.Manager));
        await app.Query(db => db.Units.Where(u => u.Id == unitId).ExecuteUpdateAsync(u => u.SetProperty(x => x.ManagerId, someoneElse)));

        using var after = await app.NewVisitor().Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task A_leavers_link_stops_working()
    {
        var (email, unitId) = await NewChefOfNewUnit();
        var path = PathOf((await CreateLinks(email))[unitId]);
        var learnerId = await app.LearnerId(email);

        await app.Query(db => db.Learners.Where(l => l.Id == learnerId).ExecuteUpdateAsync(l => l.SetProperty(x => x.IsActive, false)));

        using var response = await app.NewVisitor().Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_token_is_stored_only_as_its_hash_and_never_logged()
    {
        var (email, unitId) = await NewChefOfNewUnit();
        var path = PathOf((await CreateLinks(email))[unitId]);
        var token = path.Split('/')[2];
        using (var feed = await app.NewVisitor().Client.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        }

        using (var refused = await app.NewVisitor().Client.GetAsync($"/kalender/{token}/999999.ics"))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        var stored = await app.Query(db => db.Users.Where(u => u.Email == email).Select(u => u.CalendarTokenHash).SingleAsync());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), stored);
        Assert.False(await app.Query(db => db.Users.AnyAsync(u => u.CalendarTokenHash == token)));
        Assert.NotEmpty(app.Log);
        Assert.DoesNotContain(app.Log, line => line.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_someone_who_leads_a_unit_gets_a_link()
    {
        var employee = app.NewVisitor();
        await employee.LogInAs("medarbetare");
        var refused = await employee.Open("/arshjul/kalender", HttpStatusCode.Forbidden);
        Assert.Contains("Ditt konto leder ingen enhet", Text(refused));

        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var links = await CreateLinks(admin);
        var kommun = await app.Query(db => db.Units.SingleAsync(u => u.Kind == UnitKind.Municipality));
        Assert.Equal([kommun.Id], links.Keys);
        var calendar = Calendar.Load(await app.NewVisitor().Client.GetStringAsync(PathOf(links[kommun.Id])))!;
        Assert.Contains(calendar.Events, e => e.Summary == "Kurskampanj: Årlig repetition: anhörigperspektiv");
    }

    private static CalendarEvent Event(Calendar calendar, string uid) =>
        calendar.Events.SingleOrDefault(e => e.Uid == uid)
        ?? throw new Xunit.Sdk.XunitException($"No event {uid} among {string.Join(", ", calendar.Events.Select(e => e.Uid))}");

    private static void AssertAllDay(CalendarEvent calendarEvent, DateOnly start, DateOnly endExclusive)
    {
        Assert.False(calendarEvent.DtStart!.HasTime);
        Assert.False(calendarEvent.DtEnd!.HasTime);
        Assert.Equal(start, calendarEvent.DtStart.Date);
        Assert.Equal(endExclusive, calendarEvent.DtEnd.Date);
    }

    private static string PathOf(string link) => new Uri(link).PathAndQuery;

    private static string Base64UrlToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private Task<int> EntryId(string title) => app.Query(db => db.AnnualWheelEntries.Where(e => e.Title == title).Select(e => e.Id).SingleAsync());

    /// <summary>A chef of their own new unit under the first förvaltning, so changes to it touch no other test.</summary>
    private async Task<(string Email, int UnitId)> NewChefOfNewUnit()
    {
        var email = await app.NewLearner(Audience.Employee, Audience.Manager);
        var learnerId = await app.LearnerId(email);
        var unitId = await app.Query(async db =>
        {
            var administration = await db.Units.Where(u => u.Kind == UnitKind.Administration).OrderBy(u => u.Id).FirstAsync();
            var unit = new Unit { Name = "Testenhet", Kind = UnitKind.Unit, ParentId = administration.Id, ManagerId = learnerId };
            db.Units.Add(unit);
            await db.SaveChangesAsync();
            unit.Name = "Testenhet " + unit.Id;
            await db.SaveChangesAsync();
            return unit.Id;
        });
        return (email, unitId);
    }

    private Task<int> AddEntry(int unitId, AnnualWheelKind kind, string title, DateOnly start, DateOnly end, string? courseId = null, string? note = null) =>
        app.Query(async db =>
        {
            var entry = new AnnualWheelEntry
            {
                UnitId = unitId, Kind = kind, Title = title, StartsOn = start, EndsOn = end, RecursYearly = true, CourseId = courseId,
                Note = note, CreatedAt = CalendarFixture.Now.UtcDateTime, UpdatedAt = CalendarFixture.Now.UtcDateTime,
            };
            db.AnnualWheelEntries.Add(entry);
            await db.SaveChangesAsync();
            return entry.Id;
        });

    private async Task<Dictionary<int, string>> CreateLinks(string email)
    {
        var visitor = app.NewVisitor();
        await visitor.LogIn(email);
        return await CreateLinks(visitor);
    }

    /// <summary>Presses "Skapa prenumerationslänk" and reads the new address per unit off the page.</summary>
    private static async Task<Dictionary<int, string>> CreateLinks(Visitor visitor)
    {
        var page = await visitor.Open("/arshjul/kalender");
        using var response = await visitor.Submit(page, "main form");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = Parser.ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Contains("Lägg till kalender → Från internet", Text(shown));
        return shown.QuerySelectorAll<IHtmlInputElement>("input[id^=lank-]")
            .ToDictionary(i => int.Parse(i.Id!["lank-".Length..], System.Globalization.CultureInfo.InvariantCulture), i => i.Value);
    }
}
