using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>Changes an entry of a unit the user manages, or moves it to another of their units.</summary>
public sealed class EditEntryModel(
    AppDbContext db, UnitAccess access, IAuthorizationService authorization, CourseCatalog catalog, AssignmentPlanner planner, TimeProvider time) : PageModel
{
    [BindProperty]
    public EntryForm Form { get; set; } = new();

    public EntryFormView View { get; private set; } = null!;

    public UnitNode Unit { get; private set; } = null!;

    public AnnualWheelEntry Entry { get; private set; } = null!;

    public int Year { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromRoute] int unitId, [FromRoute] int entryId, [FromQuery] string? ar, CancellationToken cancel)
    {
        var managed = await access.ForAsync(User, cancel);
        var entry = await db.AnnualWheelEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entryId, cancel);
        if (await WheelChecks.EntryAsync(this, authorization, managed, unitId, entry) is { } refusal)
        {
            return refusal;
        }

        Form = EntryForm.For(entry!);
        Show(managed, entry!, ar);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromRoute] int unitId, [FromRoute] int entryId, [FromQuery] string? ar, CancellationToken cancel)
    {
        var managed = await access.ForAsync(User, cancel);
        var entry = await db.AnnualWheelEntries.FirstOrDefaultAsync(e => e.Id == entryId, cancel);
        if (await WheelChecks.EntryAsync(this, authorization, managed, unitId, entry) is { } refusal)
        {
            return refusal;
        }

        var (target, moved) = await WheelChecks.TargetUnitAsync(this, authorization, managed, Form, unitId);
        if (moved is not null)
        {
            return moved;
        }

        var before = Schedule.Of(entry!);
        if (!ModelState.IsValid)
        {
            Show(managed, entry!, ar);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        Form.ApplyTo(entry!);
        entry!.UnitId = target;
        entry.UpdatedAt = time.GetUtcNow().UtcDateTime;
        // The new schedule and the withdrawal of the old one's assignments, or neither, as when an entry is deleted.
        await using (var transaction = await db.BeginWriteTransactionAsync(cancel))
        {
            await db.SaveChangesAsync(cancel);
            if (Schedule.Of(entry) != before)
            {
                // The old dates, course, unit or audiences no longer hold: unfinished assignments from now on are
                // withdrawn and the planner assigns by the new ones. Past due dates stay as they were, for follow-up.
                var today = Format.Today(time);
                foreach (var unfinished in await EntryAssignments.UnfinishedAsync(db, entry.Id, cancel))
                {
                    await unfinished.Where(a => a.DueOn >= today).ExecuteDeleteAsync(cancel);
                }
            }

            await transaction.CommitAsync(cancel);
        }

        await planner.PlanAsync(cancel);
        TempData["Message"] = $"Ändringarna i ”{entry.Title}” är sparade.";
        return RedirectToPage("/AnnualWheel/Unit", new { unitId = target, ar = NewEntryModel.ReturnYear(ar, entry) });
    }

    private void Show(ManagedUnits managed, AnnualWheelEntry entry, string? ar)
    {
        // The page is shown with the entry as stored: a rejected edit is not applied to the tracked entity.
        Entry = entry;
        Unit = managed.Tree.Find(entry.UnitId)!;
        Year = UnitWheelModel.ParseYear(ar, Format.Today(time)) ?? entry.StartsOn.Year;
        View = EntryFormView.For(Form, managed, catalog);
    }

    /// <summary>What decides who is assigned what and when; the title and note do not.</summary>
    private sealed record Schedule(int UnitId, AnnualWheelKind Kind, DateOnly StartsOn, DateOnly EndsOn, bool RecursYearly, int? LastYear, string? CourseId, string Audiences)
    {
        public static Schedule Of(AnnualWheelEntry e) =>
            new(e.UnitId, e.Kind, e.StartsOn, e.EndsOn, e.RecursYearly, e.LastYear, e.CourseId, string.Join(',', e.Audiences.Order(StringComparer.Ordinal)));
    }
}
