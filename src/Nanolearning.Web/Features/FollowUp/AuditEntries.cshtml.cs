using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>The audit trail for admins: who saw or acted on person-level data, newest first, filtered by action.</summary>
[Authorize(Policy = Roles.Admin)]
public sealed class AuditEntriesModel(AppDbContext db) : PageModel
{
    public const int PageSize = 50;

    /// <summary>Only entries of this action; null: all.</summary>
    [BindProperty(SupportsGet = true, Name = "handling")]
    public AuditAction? Action { get; set; }

    [BindProperty(SupportsGet = true, Name = "sida")]
    public int PageNumber { get; set; } = 1;

    public List<AuditEntry> Entries { get; private set; } = [];

    public int Total { get; private set; }

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancel)
    {
        if (!ModelState.IsValid || PageNumber < 1 || (Action is { } action && !Enum.IsDefined(action)))
        {
            return Problem.Show(this, StatusCodes.Status400BadRequest, "Adressen går inte att använda",
                "Sidnumret ska vara ett heltal från 1 och händelsen en av dem i listan. Börja om från granskningsloggens första sida.",
                Url.Page("/FollowUp/AuditEntries"));
        }

        var entries = db.AuditEntries.AsNoTracking();
        if (Action is { } only)
        {
            entries = entries.Where(e => e.Action == only);
        }

        Total = await entries.CountAsync(cancel);
        Entries = await entries
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip((PageNumber - 1) * PageSize)
            .Take(PageSize)
            .ToListAsync(cancel);
        return Page();
    }
}
