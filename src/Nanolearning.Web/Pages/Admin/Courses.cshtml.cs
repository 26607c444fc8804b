using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Nanolearning.Web.Courses;

namespace Nanolearning.Web.Pages.Admin;

/// <summary>For the anhörigkonsulent: which versions are live, and the errors of any course edit that did not go live.</summary>
public sealed class CoursesModel(CourseCatalog catalog) : PageModel
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
