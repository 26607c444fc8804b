using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>
/// One month of a unit's årshjul: what starts, is due or happens, and for campaigns due in the month how many of
/// the unit's people have them and how many are done.
/// </summary>
public sealed class MonthModel(AppDbContext db, UnitAccess access, IAuthorizationService authorization, CourseCatalog catalog) : PageModel
{
    public UnitNode Unit { get; private set; } = null!;

    public DateOnly First { get; private set; }

    public DateOnly Last => First.AddMonths(1).AddDays(-1);

    /// <summary>Each day something starts, ends or happens, in date order.</summary>
    public List<MonthEvent> Events { get; } = [];

    /// <summary>Windows that began before the month and end after it.</summary>
    public List<WheelRow> Ongoing { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync([FromRoute] int unitId, [FromRoute] string month, CancellationToken cancel)
    {
        var managed = await access.ForAsync(User, cancel);
        if (await WheelChecks.UnitAsync(this, authorization, managed, unitId) is { } refusal)
        {
            return refusal;
        }

        if (!DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
            || first.Year is < UnitWheelModel.FirstYear or > UnitWheelModel.LastYear)
        {
            return Problem.Show(this, StatusCodes.Status404NotFound, "Månaden finns inte",
                "Adressen ska sluta med år och månad, till exempel /manad/2027-03.", Url.Page("/AnnualWheel/Unit", new { unitId }));
        }

        Unit = managed.Tree.Find(unitId)!;
        First = first;
        var rows = await WheelRows.TouchingAsync(db, managed.Tree, catalog, unitId, first.Year, cancel);
        var dueThisMonth = new List<WheelRow>();
        foreach (var row in rows)
        {
            var (start, end) = (row.Occurrence.Start, row.Occurrence.End);
            if (WheelText.IsOneDay(row.Entry.Kind))
            {
                if (InMonth(start))
                {
                    Events.Add(new MonthEvent(start, WheelText.Kind(row.Entry.Kind), row, null));
                }

                continue;
            }

            // Only campaigns run over a window.
            if (InMonth(start))
            {
                Events.Add(new MonthEvent(start, "Kampanjen börjar", row, null));
            }

            if (InMonth(end))
            {
                dueThisMonth.Add(row);
            }
            else if (start < First && end > Last)
            {
                Ongoing.Add(row);
            }
        }

        // The campaigns due this month with how many of the unit's people have them and are done.
        var scope = managed.Tree.Subtree(unitId).Select(u => u.Id).ToList();
        var progress = await CampaignProgress.InScopeAsync(db, dueThisMonth.Select(r => r.Occurrence), scope, cancel);
        foreach (var row in dueThisMonth)
        {
            Events.Add(new MonthEvent(row.Occurrence.End, "Sista dag", row,
                progress.GetValueOrDefault((row.Entry.Id, row.Occurrence.End)) ?? new CampaignProgress(0, 0)));
        }

        Events.Sort((a, b) => a.Day.CompareTo(b.Day));
        return Page();
    }

    private bool InMonth(DateOnly day) => First <= day && day <= Last;
}

/// <summary>Something on a day of the month: a window starting or ending, or an APT or note.</summary>
public sealed record MonthEvent(DateOnly Day, string What, WheelRow Row, CampaignProgress? Progress);
