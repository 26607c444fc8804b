using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>The units whose årshjul the user plans: a chef's own units and those below them, or all for an admin.</summary>
public sealed class UnitsModel(AppDbContext db, UnitAccess access) : PageModel
{
    public ManagedUnits Managed { get; private set; } = null!;

    /// <summary>How many entries each unit has of its own.</summary>
    public Dictionary<int, int> EntryCounts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancel)
    {
        Managed = await access.ForAsync(User, cancel);
        if (!Managed.Any)
        {
            return WheelChecks.NoUnits(this);
        }

        EntryCounts = await db.AnnualWheelEntries
            .GroupBy(e => e.UnitId)
            .Select(g => new { UnitId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.UnitId, g => g.Count, cancel);
        return Page();
    }
}
