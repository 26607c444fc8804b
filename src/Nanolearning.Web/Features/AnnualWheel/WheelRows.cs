using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>One occurrence on a unit's årshjul: the unit's own, or inherited from the unit it comes from.</summary>
public sealed record WheelRow(Occurrence Occurrence, UnitNode From, bool IsOwn, string? CourseTitle)
{
    public AnnualWheelEntry Entry => Occurrence.Entry;

    /// <summary>A campaign whose window has opened: how far it has come in the unit shown and below; otherwise null.</summary>
    public CampaignProgress? Progress { get; init; }
}

public static class WheelRows
{
    private static readonly StringComparer Titles = StringComparer.Create(Swedish.Culture, false);

    /// <summary>
    /// The occurrences that touch a year of the unit's own entries and its parents' entries, in date order. A window
    /// crossing New Year shows in both years.
    /// </summary>
    public static async Task<List<WheelRow>> TouchingAsync(
        AppDbContext db, OrganisationTree tree, CourseCatalog catalog, int unitId, int year, CancellationToken cancel)
    {
        var from = tree.AncestorsOf(unitId).Select(u => u.Id).Append(unitId).ToList();
        var entries = await db.AnnualWheelEntries.AsNoTracking()
            .Where(e => from.Contains(e.UnitId) && e.StartsOn.Year <= year)
            .ToListAsync(cancel);
        return [.. entries
            .SelectMany(e => e.Touching(year))
            .Select(o => new WheelRow(o, tree.Find(o.Entry.UnitId)!, o.Entry.UnitId == unitId, CourseTitle(catalog, o.Entry.CourseId)))
            .OrderBy(r => r.Occurrence.Start)
            .ThenBy(r => r.Entry.Title, Titles)];
    }

    /// <summary>A course's title, or its id if it is no longer offered, so the plan still says what it was.</summary>
    public static string? CourseTitle(CourseCatalog catalog, string? courseId) =>
        courseId is null ? null : catalog.FindLive(courseId)?.Title ?? $"{courseId} (finns inte längre)";
}
