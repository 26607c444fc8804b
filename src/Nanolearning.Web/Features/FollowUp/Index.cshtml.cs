using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// The follow-up start: the top units of the user's scope with a headline figure each, linking to the unit's page.
/// An admin's top is the kommun, and they get a link to the kommun-wide view as well.
/// </summary>
public sealed class IndexModel(
    AppDbContext db, UnitAccess access, IOptions<NanolearningOptions> options, IOptions<FollowUpOptions> followUp,
    MunicipalitySnapshot snapshot, TimeProvider time) : PageModel
{
    public bool IsAdmin { get; private set; }

    /// <summary>When the kommun's figures were counted, for an admin (whose scope is the kommun); null for a chef's live figures.</summary>
    public string? Stamp { get; private set; }

    public ReportTable Tops { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancel)
    {
        var managed = await access.ForAsync(User, cancel);
        if (!managed.Any)
        {
            return FollowUpChecks.NoUnits(this);
        }

        IsAdmin = User.IsInRole(Roles.Admin);
        var tops = managed.Tops.ToList();
        // One load for all the tops; an admin's scope is the whole kommun: its shared snapshot.
        FollowUpFigures figures;
        if (IsAdmin)
        {
            var counted = await snapshot.CurrentAsync(cancel);
            figures = counted.Figures;
            Stamp = counted.Stamp(time, followUp.Value.SnapshotMinutes);
        }
        else
        {
            figures = await FollowUpFigures.LoadAsync(db, options.Value, [.. managed.UnitIds], Format.Today(time), withNames: false, cancel);
        }

        var table = new ReportTableBuilder("enheter", "Dina enheter", "Enhet", ["Personer", "Tilldelade", "Klara", "Andel klara", "Försenade"]);
        foreach (var top in tops)
        {
            var group = figures.InUnits(managed.Tree.Subtree(top.Id).Select(u => u.Id)).ToList();
            var courses = figures.Courses(group);
            var (people, assigned, completed) = (FollowUpFigures.Headcount(group), courses.Sum(c => c.Assigned), courses.Sum(c => c.Completed));
            table.LinkedRow(top.Name, Url.Page("/FollowUp/Unit", new { unitId = top.Id }), people,
                ReportCell.Count(people), ReportCell.Count(assigned), ReportCell.Count(completed), ReportCell.Share(completed, assigned),
                ReportCell.Count(courses.Sum(c => c.Overdue)));
        }

        Tops = table.Note("Varje enhet räknas med enheterna under den. Tilldelade och klara räknar kurser: den som har två kurser räknas två gånger.")
            .BuildWithoutSuppression();
        return Page();
    }
}
