using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>
/// A unit's årshjul as an iCalendar feed at /kalender/{token}/{unitId}.ics, for a chef to subscribe to in Outlook.
/// Outlook cannot sign in, so the secret token in the address is the credential: it names the user, whose access is
/// checked again on every fetch, so a chef who leaves or hands over a unit stops seeing it.
/// </summary>
/// <remarks>
/// The token is in the path. ASP.NET Core logs request paths only at Information ("Microsoft.AspNetCore" is at
/// Warning in appsettings.json); turning that up, or adding HTTP logging, would write tokens to the log.
/// </remarks>
public static class CalendarFeed
{
    /// <summary>The feed's route name, for making its links.</summary>
    public const string RouteName = "CalendarFeed";

    public static void MapCalendarFeed(this IEndpointRouteBuilder app) =>
        app.MapGet("/kalender/{token}/{unitId:int}.ics", ServeAsync).WithName(RouteName).AllowAnonymous();

    private static async Task<IResult> ServeAsync(
        string token, int unitId, HttpContext http, LinkGenerator links, IOptions<NanolearningOptions> options, AppDbContext db, UserManager<AppUser> users,
        IUserConfirmation<AppUser> stillActive, UnitAccess access, CourseCatalog catalog, TimeProvider time, CancellationToken cancel)
    {
        if (token.Length != CalendarToken.Length)
        {
            return Results.NotFound();
        }

        var hash = CalendarToken.Hash(token);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.CalendarTokenHash == hash, cancel);
        // The sign-in rule: a leaver's links stop working.
        if (user is null || !await stillActive.IsConfirmedAsync(users, user))
        {
            return Results.NotFound();
        }

        var managed = await access.ForAsync(user.LearnerId, await users.IsInRoleAsync(user, Roles.Admin), cancel);
        if (!managed.Includes(unitId) || managed.Tree.Find(unitId) is not { } unit)
        {
            return Results.NotFound();
        }

        var ancestors = managed.Tree.AncestorsOf(unitId);
        var unitIds = ancestors.Select(a => a.Id).Append(unitId).ToList();
        var entries = await db.AnnualWheelEntries.AsNoTracking()
            .Where(e => unitIds.Contains(e.UnitId))
            .OrderBy(e => e.Id)
            .ToListAsync(cancel);

        // Absolute, as Outlook shows them outside the app; on the configured address, not the Host header the fetch sent.
        string PageUri(string page, object values) =>
            options.Value.Absolute(links.GetPathByPage(page, values: values) ?? throw new InvalidOperationException($"No route to the page {page}."));
        var wheel = new Uri(PageUri("/AnnualWheel/Unit", new { unitId }));
        var calendar = Build(unit, [.. ancestors, unit], entries, Format.Today(time).Year, courseId => catalog.FindLive(courseId)?.Title,
            (entryId, year) => PageUri("/AnnualWheel/WorkplaceMeeting", new { entryId, ar = year }), wheel);
        http.Response.Headers.CacheControl = "private, max-age=300";
        return Results.Text(new CalendarSerializer().SerializeToString(calendar), "text/calendar; charset=utf-8");
    }

    /// <summary>
    /// All-day events for every occurrence of the entries last year, this year and next year: enough for Outlook's
    /// views, and a window that moves by itself at New Year.
    /// </summary>
    private static Calendar Build(
        UnitNode unit, IReadOnlyList<UnitNode> path, IEnumerable<AnnualWheelEntry> entries, int year,
        Func<string, string?> courseTitle, Func<int, int, string> material, Uri wheel)
    {
        var calendar = new Calendar { ProductId = "-//Nanolearning//Årshjul//SV", Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", $"Årshjul: {unit.Name}");
        calendar.AddProperty("X-PUBLISHED-TTL", "PT1H");
        foreach (var entry in entries)
        {
            var from = path.FirstOrDefault(u => u.Id == entry.UnitId);
            for (var y = year - 1; y <= year + 1; y++)
            {
                if (entry.In(y) is not { } occurrence)
                {
                    continue;
                }

                var description = Description(entry, occurrence, from?.Id == unit.Id ? null : from?.Name, courseTitle, material, wheel);
                calendar.Events.Add(Event($"entry-{entry.Id}-{y}@nanolearning", $"{WheelText.Kind(entry.Kind)}: {entry.Title}", description,
                    occurrence.Start, occurrence.End, entry.UpdatedAt, wheel));
                if (entry.Kind == AnnualWheelKind.CourseCampaign && occurrence.End != occurrence.Start)
                {
                    // The window spans weeks; the due date is what a chef needs to see coming.
                    calendar.Events.Add(Event($"entry-{entry.Id}-{y}-sista-dag@nanolearning", $"Sista dag: {entry.Title}", description,
                        occurrence.End, occurrence.End, entry.UpdatedAt, wheel));
                }
            }
        }

        return calendar;
    }

    private static CalendarEvent Event(string uid, string summary, string description, DateOnly first, DateOnly last, DateTime updatedAt, Uri url)
    {
        var updated = new CalDateTime(DateTime.SpecifyKind(updatedAt, DateTimeKind.Utc));
        return new CalendarEvent
        {
            Uid = uid,
            Summary = summary,
            Description = description,
            // Dates without a time make all-day events; DTEND is the day after the last (RFC 5545: exclusive).
            DtStart = new CalDateTime(first),
            DtEnd = new CalDateTime(last.AddDays(1)),
            Url = url,
            // The entry's last change, not the time of the fetch, so an unchanged entry serializes the same each time.
            DtStamp = updated,
            LastModified = updated,
        };
    }

    private static string Description(
        AnnualWheelEntry entry, Occurrence occurrence, string? inheritedFrom, Func<string, string?> courseTitle, Func<int, int, string> material, Uri wheel)
    {
        var lines = new List<string>();
        if (entry.CourseId is { } courseId)
        {
            lines.Add($"Kurs: {courseTitle(courseId) ?? courseId}");
        }

        if (entry.Kind == AnnualWheelKind.CourseCampaign)
        {
            lines.Add($"Sista dag: {Format.Date(occurrence.End)}");
        }

        if (entry.Kind == AnnualWheelKind.WorkplaceMeeting && entry.CourseId is not null)
        {
            lines.Add($"Diskussionsmaterial: {material(entry.Id, occurrence.Year)}");
        }

        if (inheritedFrom is not null)
        {
            lines.Add($"Från årshjulet för {inheritedFrom}.");
        }

        if (!string.IsNullOrWhiteSpace(entry.Note))
        {
            lines.Add("");
            lines.Add(entry.Note.Trim());
        }

        lines.Add("");
        lines.Add($"Årshjulet: {wheel}");
        return string.Join('\n', lines);
    }
}
