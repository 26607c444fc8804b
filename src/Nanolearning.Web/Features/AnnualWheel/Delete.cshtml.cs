using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>
/// Deletes an entry after the user has seen what goes with it: the assignments nobody has acted on go, those
/// someone completed stay as history (the database sets their entry to null).
/// </summary>
public sealed class DeleteEntryModel(
    AppDbContext db, UnitAccess access, IAuthorizationService authorization, CourseCatalog catalog, AssignmentPlanner planner, TimeProvider time) : PageModel
{
    public UnitNode Unit { get; private set; } = null!;

    public AnnualWheelEntry Entry { get; private set; } = null!;

    public string? CourseTitle { get; private set; }

    public int Year { get; private set; }

    /// <summary>Assignments the deletion withdraws.</summary>
    public int Unfinished { get; private set; }

    /// <summary>Assignments that stay because their learner completed the course.</summary>
    public int Kept { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromRoute] int unitId, [FromRoute] int entryId, [FromQuery] string? ar, CancellationToken cancel)
    {
        var managed = await access.ForAsync(User, cancel);
        var entry = await db.AnnualWheelEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entryId, cancel);
        if (await WheelChecks.EntryAsync(this, authorization, managed, unitId, entry) is { } refusal)
        {
            return refusal;
        }

        Entry = entry!;
        Unit = managed.Tree.Find(unitId)!;
        CourseTitle = WheelRows.CourseTitle(catalog, entry!.CourseId);
        Year = UnitWheelModel.ParseYear(ar, Format.Today(time)) ?? entry.StartsOn.Year;
        foreach (var unfinished in await EntryAssignments.UnfinishedAsync(db, entryId, cancel))
        {
            Unfinished += await unfinished.CountAsync(cancel);
        }

        Kept = await db.Assignments.CountAsync(a => a.EntryId == entryId, cancel) - Unfinished;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromRoute] int unitId, [FromRoute] int entryId, [FromQuery] string? ar, CancellationToken cancel)
    {
        var managed = await access.ForAsync(User, cancel);
        var entry = await db.AnnualWheelEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entryId, cancel);
        if (await WheelChecks.EntryAsync(this, authorization, managed, unitId, entry) is { } refusal)
        {
            return refusal;
        }

        // Both deletes or neither: never an entry gone with its unfinished assignments left behind, or the reverse.
        var withdrawn = 0;
        await using (var transaction = await db.BeginWriteTransactionAsync(cancel))
        {
            foreach (var unfinished in await EntryAssignments.UnfinishedAsync(db, entryId, cancel))
            {
                withdrawn += await unfinished.ExecuteDeleteAsync(cancel);
            }

            await db.AnnualWheelEntries.Where(e => e.Id == entryId).ExecuteDeleteAsync(cancel);
            await transaction.CommitAsync(cancel);
        }

        await planner.PlanAsync(cancel);
        TempData["Message"] = $"”{entry!.Title}” är borttagen." + (withdrawn > 0 ? $" {withdrawn} tilldelningar som ingen hade gjort klart togs bort." : "");
        return RedirectToPage("/AnnualWheel/Unit", new { unitId, ar = UnitWheelModel.ParseYear(ar, Format.Today(time)) ?? entry.StartsOn.Year });
    }
}
