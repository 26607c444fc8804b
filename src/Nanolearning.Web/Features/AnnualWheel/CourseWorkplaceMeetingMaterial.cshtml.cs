using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.MunicipalityFacts;
using Nanolearning.Web.Features.Organisation;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>A course's APT discussion material without a planned APT, for anyone who leads a unit.</summary>
public sealed class CourseWorkplaceMeetingMaterialModel(UnitAccess access, CourseCatalog catalog, FactFilling facts) : PageModel
{
    public WorkplaceMeetingMaterial Material { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string courseId, CancellationToken cancel)
    {
        if (!(await access.ForAsync(User, cancel)).Any)
        {
            return Problem.Show(this, StatusCodes.Status403Forbidden, "Du har inte behörighet",
                "APT-materialet är till för chefer som leder en enhet.");
        }

        if (catalog.FindLive(courseId) is not { } course)
        {
            return Problem.CourseNotFound(this);
        }

        Material = new WorkplaceMeetingMaterial(course, UnitName: null, Date: null, await facts.LoadAsync(cancel));
        return Page();
    }
}
