using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.ErrorReports;

/// <summary>The admins' list of learners' error reports: open ones first, each marked handled when dealt with.</summary>
[Authorize(Policy = Roles.Admin)]
public sealed class IndexModel(AppDbContext db, CourseCatalog catalog, TimeProvider time) : PageModel
{
    private const int PageSize = 200;

    public List<ErrorReport> Reports { get; private set; } = [];

    public bool Handled { get; private set; }

    public async Task OnGetAsync(bool hanterad, CancellationToken cancel)
    {
        Handled = hanterad;
        Reports = await db.ErrorReports.AsNoTracking()
            .OrderBy(r => r.HandledAt != null).ThenByDescending(r => r.ReportedAt)
            .Take(PageSize)
            .ToListAsync(cancel);
    }

    public async Task<IActionResult> OnPostHandleAsync(int id, CancellationToken cancel)
    {
        var report = await db.ErrorReports.FirstOrDefaultAsync(r => r.Id == id, cancel);
        if (report is null)
        {
            return Errors.Problem.Show(this, StatusCodes.Status404NotFound, "Rapporten finns inte", "Rapporten finns inte längre. Den kan ha gallrats.", Url.Page("/ErrorReports/Index"));
        }

        report.HandledAt ??= time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancel);
        return RedirectToPage(new { hanterad = true });
    }

    public string CourseTitle(string courseId) => catalog.FindLive(courseId)?.Title ?? courseId;
}
