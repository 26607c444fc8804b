using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>A unit's årshjul for one year: the wheel, and the same entries as a table, its own and its parents'.</summary>
public sealed class UnitWheelModel(AppDbContext db, UnitAccess access, IAuthorizationService authorization, CourseCatalog catalog, TimeProvider time) : PageModel
{
    public const int FirstYear = 2000;
    public const int LastYear = 2100;

    public ManagedUnits Managed { get; private set; } = null!;

    public UnitNode Unit { get; private set; } = null!;

    public int Year { get; private set; }

    public DateOnly Today { get; private set; }

    public List<WheelRow> Rows { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync([FromRoute] int unitId, [FromQuery] string? ar, CancellationToken cancel)
    {
        Managed = await access.ForAsync(User, cancel);
        if (await WheelChecks.UnitAsync(this, authorization, Managed, unitId) is { } refusal)
        {
            return refusal;
        }

        Today = Format.Today(time);
        if (ParseYear(ar, Today) is not { } year)
        {
            return Problem.Show(this, StatusCodes.Status400BadRequest, "Året går inte att visa",
                $"Skriv året med fyra siffror, mellan {FirstYear} och {LastYear}.", Url.Page("/AnnualWheel/Unit", new { unitId }));
        }

        Unit = Managed.Tree.Find(unitId)!;
        Year = year;
        Rows = await WithProgressAsync(await WheelRows.TouchingAsync(db, Managed.Tree, catalog, unitId, year, cancel), cancel);
        return Page();
    }

    /// <summary>Whether the course is still offered, so its quiz insight can be shown.</summary>
    public bool IsLive(string? courseId) => courseId is not null && catalog.FindLive(courseId) is not null;

    /// <summary>The rows, each campaign whose window has opened with its progress among the people in the unit and below.</summary>
    private async Task<List<WheelRow>> WithProgressAsync(List<WheelRow> rows, CancellationToken cancel)
    {
        bool Opened(WheelRow r) => r.Entry.Kind == AnnualWheelKind.CourseCampaign && r.Occurrence.Start <= Today;
        var scope = Managed.Tree.Subtree(Unit.Id).Select(u => u.Id).ToList();
        var progress = await CampaignProgress.InScopeAsync(db, rows.Where(Opened).Select(r => r.Occurrence), scope, cancel);
        return [.. rows.Select(r => Opened(r)
            ? r with { Progress = progress.GetValueOrDefault((r.Entry.Id, r.Occurrence.End)) ?? new CampaignProgress(0, 0) }
            : r)];
    }

    /// <summary>The year asked for (this year in Sweden if none), or null if it is not one we can show.</summary>
    public static int? ParseYear(string? text, DateOnly today) =>
        string.IsNullOrEmpty(text) ? today.Year
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= FirstYear and <= LastYear ? year
        : null;
}
