using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Assignments;
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
        var scope = managed.Tree.Subtree(unitId).Select(u => u.Id).ToList();
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
                Events.Add(new MonthEvent(end, "Sista dag", row, await ProgressAsync(row.Occurrence, scope, cancel)));
            }
            else if (start < First && end > Last)
            {
                Ongoing.Add(row);
            }
        }

        Events.Sort((a, b) => a.Day.CompareTo(b.Day));
        return Page();
    }

    private bool InMonth(DateOnly day) => First <= day && day <= Last;

    /// <summary>
    /// The campaign's assignments for this due date among the active people in the unit and below (a chef sees
    /// only their own units' numbers, even for a campaign inherited from the whole kommun), and how many of them
    /// have completed the course since it opened. One query per campaign due this month, counted by done or not.
    /// </summary>
    private async Task<CampaignProgress> ProgressAsync(Occurrence occurrence, List<int> scope, CancellationToken cancel)
    {
        var counts = await db.Assignments
            .Where(a => a.EntryId == occurrence.Entry.Id && a.DueOn == occurrence.End)
            .Where(a => db.Learners.Any(l => l.Id == a.LearnerId && l.IsActive && scope.Contains(l.UnitId)))
            .Select(Assignment.MetSince(db.Enrolments, occurrence.Start))
            .GroupBy(done => done)
            .Select(g => new { Done = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Done, g => g.Count, cancel);
        var completed = counts.GetValueOrDefault(true);
        return new CampaignProgress(completed + counts.GetValueOrDefault(false), completed);
    }
}

/// <summary>Something on a day of the month: a window starting or ending, or an APT or note.</summary>
public sealed record MonthEvent(DateOnly Day, string What, WheelRow Row, CampaignProgress? Progress);

public sealed record CampaignProgress(int Assigned, int Completed);
