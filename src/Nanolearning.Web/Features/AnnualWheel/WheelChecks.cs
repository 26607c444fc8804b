using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.Organisation;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>
/// The checks every årshjul handler makes on the unit and entry ids it gets from the client, and the Swedish
/// refusals: 404 for an id that does not exist, 403 for one outside the user's units. Whether the user may plan a
/// unit is the <see cref="ManagesUnit"/> requirement; here is only the order of the checks and what each refusal says.
/// Handlers bind the address's ids with [FromRoute]: by default a form field of the same name (the entry form's
/// UnitId) would win over them.
/// </summary>
public static class WheelChecks
{
    public static IActionResult NoUnits(PageModel page) =>
        Problem.Show(page, StatusCodes.Status403Forbidden, "Du har inget årshjul att planera",
            "Årshjulet är till för chefer och administratörer. Ditt konto leder ingen enhet, så det finns inget årshjul för dig här. Fråga din chef om du undrar över en kurs eller en APT.");

    /// <summary>Null when the user may plan the unit; otherwise the refusal to return.</summary>
    public static async Task<IActionResult?> UnitAsync(PageModel page, IAuthorizationService authorization, ManagedUnits managed, int unitId) =>
        managed.Tree.Find(unitId) is not { } unit
            ? Problem.Show(page, StatusCodes.Status404NotFound, "Enheten finns inte", "Vi hittar ingen enhet med den adressen.", Back(page, managed))
        : (await authorization.AuthorizeAsync(page.User, unit, new ManagesUnit())).Succeeded ? null
        : !managed.Any ? NoUnits(page)
        : Problem.Show(page, StatusCodes.Status403Forbidden, "Det här är inte din enhet",
            "Du kan bara se och planera årshjulet för de enheter du leder och enheterna under dem.", page.Url.Page("/AnnualWheel/Index"));

    /// <summary>
    /// Null when the user may change the entry through the unit in the address: the entry must exist, belong to a
    /// unit the user manages, and be that unit's own (an inherited entry is changed in the unit that owns it).
    /// </summary>
    public static async Task<IActionResult?> EntryAsync(
        PageModel page, IAuthorizationService authorization, ManagedUnits managed, int unitId, AnnualWheelEntry? entry) =>
        await UnitAsync(page, authorization, managed, unitId)
        ?? (entry is null
            ? Problem.Show(page, StatusCodes.Status404NotFound, "Posten finns inte", "Vi hittar ingen sådan post i årshjulet. Den kan redan ha tagits bort.", page.Url.Page("/AnnualWheel/Unit", new { unitId }))
        : !(await authorization.AuthorizeAsync(page.User, managed.Tree.Find(entry.UnitId), new ManagesUnit())).Succeeded
            ? Problem.Show(page, StatusCodes.Status403Forbidden, "Det här är inte din post",
                "Posten hör till en enhet som du inte leder, så du kan inte ändra eller ta bort den.", page.Url.Page("/AnnualWheel/Unit", new { unitId }))
        : entry.UnitId != unitId
            ? Problem.Show(page, StatusCodes.Status404NotFound, "Posten finns inte här",
                "Posten hör till en annan enhet. Öppna den enhetens årshjul för att ändra den.", page.Url.Page("/AnnualWheel/Unit", new { unitId = entry.UnitId }))
        : null);

    /// <summary>
    /// The unit a posted entry form puts the entry in (the address's unit if the form names none), checked like any
    /// unit id from the client: moving an entry to another chef's unit is refused.
    /// </summary>
    public static async Task<(int UnitId, IActionResult? Refusal)> TargetUnitAsync(
        PageModel page, IAuthorizationService authorization, ManagedUnits managed, EntryForm form, int addressUnitId)
    {
        if (string.IsNullOrEmpty(form.UnitId))
        {
            form.UnitId = addressUnitId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var unitId = form.PostedUnitId ?? -1;
        return (unitId, await UnitAsync(page, authorization, managed, unitId));
    }

    /// <summary>Where a refused user goes back to: their årshjul, or (with none) the home page <see cref="Problem.Show"/> links to by default.</summary>
    private static string? Back(PageModel page, ManagedUnits managed) => managed.Any ? page.Url.Page("/AnnualWheel/Index") : null;
}
