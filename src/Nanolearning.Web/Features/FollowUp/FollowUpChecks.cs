using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.Organisation;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// The checks every follow-up page makes on the unit and person ids it gets from the client, and the Swedish refusals:
/// 404 for an id that does not exist, 403 for one outside the user's units. Whether the user may follow a unit up is
/// the <see cref="ManagesUnit"/> requirement; here is only the order of the checks and what each refusal says.
/// Handlers bind the address's ids with [FromRoute], so a query-string field of the same name cannot replace them.
/// </summary>
public static class FollowUpChecks
{
    public static IActionResult NoUnits(PageModel page) =>
        Problem.Show(page, StatusCodes.Status403Forbidden, "Uppföljningen är till för chefer",
            "Ditt konto leder ingen enhet, så det finns ingen uppföljning för dig här.");

    /// <summary>Null when the user may follow up the unit and everything below it; otherwise the refusal to return.</summary>
    public static async Task<IActionResult?> UnitAsync(PageModel page, IAuthorizationService authorization, ManagedUnits managed, int unitId) =>
        managed.Tree.Find(unitId) is not { } unit
            ? Problem.Show(page, StatusCodes.Status404NotFound, "Enheten finns inte", "Vi hittar ingen enhet med den adressen.", Back(page, managed))
        : (await authorization.AuthorizeAsync(page.User, unit, new ManagesUnit())).Succeeded ? null
        : !managed.Any ? NoUnits(page)
        : Problem.Show(page, StatusCodes.Status403Forbidden, "Det här är inte din enhet",
            "Du kan bara följa upp de enheter du leder och enheterna under dem.", Back(page, managed));

    /// <summary>
    /// Null when the user may see the person: the person exists (<paramref name="unitId"/> is their unit, null if there
    /// is no such person) and their unit is one the user manages. A leaver is judged by the unit they were in.
    /// </summary>
    public static async Task<IActionResult?> PersonAsync(PageModel page, IAuthorizationService authorization, ManagedUnits managed, int? unitId) =>
        unitId is null
            ? Problem.Show(page, StatusCodes.Status404NotFound, "Personen finns inte", "Vi hittar ingen person med den adressen.", Back(page, managed))
        : managed.Tree.Find(unitId.Value) is { } unit && (await authorization.AuthorizeAsync(page.User, unit, new ManagesUnit())).Succeeded ? null
        : !managed.Any ? NoUnits(page)
        : Problem.Show(page, StatusCodes.Status403Forbidden, "Personen hör inte till dina enheter",
            "Du kan bara följa upp personer i de enheter du leder och enheterna under dem.", Back(page, managed));

    /// <summary>An export address naming a table the page does not have, or a format other than CSV and XLSX.</summary>
    public static IActionResult BadExport(PageModel page, string? back) =>
        Problem.Show(page, StatusCodes.Status400BadRequest, "Den filen finns inte",
            "Adressen ska säga vilken tabell som ska laddas ned och om det ska vara CSV eller Excel (XLSX). Gå tillbaka och använd länkarna under tabellen.",
            back);

    /// <summary>Where a refused user goes back to: their follow-up start, or (with no units) the home page.</summary>
    private static string? Back(PageModel page, ManagedUnits managed) => managed.Any ? page.Url.Page("/FollowUp/Index") : null;
}
