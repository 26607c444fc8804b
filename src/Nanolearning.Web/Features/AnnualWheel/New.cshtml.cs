using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>A new entry in the årshjul of a unit the user manages; a campaign open today assigns its course at once.</summary>
public sealed class NewEntryModel(
    AppDbContext db, UnitAccess access, IAuthorizationService authorization, CourseCatalog catalog, AssignmentPlanner planner, TimeProvider time) : PageModel
{
    [BindProperty]
    public EntryForm Form { get; set; } = new();

    public EntryFormView View { get; private set; } = null!;

    public UnitNode Unit { get; private set; } = null!;

    public int Year { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromRoute] int unitId, [FromQuery] string? ar, CancellationToken cancel)
    {
        var managed = await access.ForAsync(User, cancel);
        if (await WheelChecks.UnitAsync(this, authorization, managed, unitId) is { } refusal)
        {
            return refusal;
        }

        var today = Format.Today(time);
        Show(managed, unitId, ar, today);
        Form = new EntryForm
        {
            UnitId = unitId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Kind = nameof(AnnualWheelKind.CourseCampaign),
            StartsOn = EntryForm.Iso(Year == today.Year ? today : new DateOnly(Year, 1, 1)),
        };
        View = EntryFormView.For(Form, managed, catalog);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromRoute] int unitId, [FromQuery] string? ar, CancellationToken cancel)
    {
        var managed = await access.ForAsync(User, cancel);
        if (await WheelChecks.UnitAsync(this, authorization, managed, unitId) is { } refusal)
        {
            return refusal;
        }

        var (target, moved) = await WheelChecks.TargetUnitAsync(this, authorization, managed, Form, unitId);
        if (moved is not null)
        {
            return moved;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var entry = new AnnualWheelEntry { Title = "", CreatedAt = now, UpdatedAt = now };
        if (!ModelState.IsValid)
        {
            Show(managed, unitId, ar, Format.Today(time));
            View = EntryFormView.For(Form, managed, catalog);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        Form.ApplyTo(entry);
        entry.UnitId = target;
        db.AnnualWheelEntries.Add(entry);
        await db.SaveChangesAsync(cancel);
        await planner.PlanAsync(cancel);
        var assigned = await db.Assignments.CountAsync(a => a.EntryId == entry.Id, cancel);
        TempData["Message"] = $"”{entry.Title}” är sparad." + (assigned > 0 ? $" Kursen är tilldelad {assigned} personer från i dag." : "");
        return RedirectToPage("/AnnualWheel/Unit", new { unitId = target, ar = ReturnYear(ar, entry) });
    }

    private void Show(ManagedUnits managed, int unitId, string? ar, DateOnly today)
    {
        Unit = managed.Tree.Find(unitId)!;
        Year = UnitWheelModel.ParseYear(ar, today) ?? today.Year;
    }

    /// <summary>Back to the year the user came from, if the entry shows there; else to the entry's first year.</summary>
    internal static int ReturnYear(string? ar, AnnualWheelEntry entry) =>
        UnitWheelModel.ParseYear(ar, entry.StartsOn) is { } year && entry.Touching(year).Any() ? year : entry.StartsOn.Year;
}
