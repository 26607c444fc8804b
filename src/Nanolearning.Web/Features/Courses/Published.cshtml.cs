using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Nanolearning.Web.Features.Accounts;

namespace Nanolearning.Web.Features.Courses;

/// <summary>For the anhörigkonsulent: which versions are live, and the errors of any course edit that did not go live.</summary>
[Authorize(Policy = Roles.Admin)]
public sealed class PublishedModel(CourseCatalog catalog) : PageModel
{
    public CourseCatalog Catalog => catalog;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostReloadAsync(CancellationToken cancel)
    {
        await catalog.ReloadAsync(cancel);
        return RedirectToPage();
    }
}
