using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.MunicipalityFacts;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>
/// The discussion material for an APT in the årshjul, to project or print. A chef may open the APTs of their own
/// units and those their units inherit from above; <c>?ar=</c> picks the year of a recurring APT.
/// </summary>
public sealed class WorkplaceMeetingModel(AppDbContext db, UnitAccess access, IAuthorizationService authorization, CourseCatalog catalog, FactFilling facts, TimeProvider time) : PageModel
{
    public WorkplaceMeetingMaterial Material { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int entryId, int? ar, CancellationToken cancel)
    {
        var entry = await db.AnnualWheelEntries.AsNoTracking().Include(e => e.Unit).FirstOrDefaultAsync(e => e.Id == entryId, cancel);
        if (entry is null)
        {
            return Problem.Show(this, StatusCodes.Status404NotFound, "APT:n finns inte",
                "Vi hittar ingen händelse i årshjulet med den adressen. Den kan ha tagits bort.", Url.Page("/AnnualWheel/Index"));
        }

        var tree = (await access.ForAsync(User, cancel)).Tree;
        if (!(await authorization.AuthorizeAsync(User, tree.Find(entry.UnitId), new SeesUnitPlan())).Succeeded)
        {
            return Problem.Show(this, StatusCodes.Status403Forbidden, "Du har inte behörighet",
                "APT-materialet finns för de enheter du leder och det som de ärver från enheterna ovanför.", Url.Page("/AnnualWheel/Index"));
        }

        if (entry.Kind != AnnualWheelKind.WorkplaceMeeting || entry.CourseId is null)
        {
            return Problem.Show(this, StatusCodes.Status404NotFound, "Inget APT-material",
                "Den här händelsen i årshjulet är ingen APT med en kurs, så det finns inget diskussionsmaterial till den.", Url.Page("/AnnualWheel/Index"));
        }

        var occurrence = ar is { } year ? entry.In(year) : Upcoming(entry, Format.Today(time));
        if (occurrence is null)
        {
            return Problem.Show(this, StatusCodes.Status404NotFound, "Ingen APT det året",
                $"APT:n ”{entry.Title}” är inte planerad år {ar}.", Url.Page("/AnnualWheel/Index"));
        }

        if (catalog.FindLive(entry.CourseId) is not { } course)
        {
            return Problem.Show(this, StatusCodes.Status404NotFound, "Kursen finns inte",
                "APT:n använder en kurs som inte finns längre. Byt kurs för APT:n i årshjulet.", Url.Page("/AnnualWheel/Index"));
        }

        Material = new WorkplaceMeetingMaterial(course, entry.Unit!.Name, occurrence.Start, await facts.LoadAsync(cancel));
        return Page();
    }

    /// <summary>The next meeting from today; else the last one held (the APT has stopped), or the first planned.</summary>
    private static Occurrence? Upcoming(AnnualWheelEntry entry, DateOnly today) =>
        new[] { entry.In(today.Year), entry.In(today.Year + 1) }.OfType<Occurrence>().FirstOrDefault(o => o.Start >= today)
        ?? entry.In(Math.Min(today.Year, entry.LastYear ?? today.Year))
        ?? entry.In(entry.StartsOn.Year);
}
