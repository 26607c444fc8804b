using Microsoft.AspNetCore.Mvc.RazorPages;
using Nanolearning.Courses.Facts;
using Nanolearning.Web.Features.MunicipalityFacts;

namespace Nanolearning.Web.Features.Accessibility;

/// <summary>
/// The tillgänglighetsredogörelse that lagen (2018:1937) om tillgänglighet till digital offentlig service asks of
/// every public body's digital service, laid out as in DIGG's model. Open to everyone, signed in or not: people
/// who cannot use the site must be able to read how to report it. The kommun's contact comes from Kommunfakta.
/// </summary>
public sealed class StatementModel(FactFilling facts) : PageModel
{
    /// <summary>When the site was last assessed and this statement last updated; change with every new assessment.</summary>
    public static readonly DateOnly AssessedOn = new(2026, 12, 2);

    public FilledFacts Facts { get; private set; } = FilledFacts.None;

    public string Municipality => Facts.Value(KommunFacts.MunicipalityName) ?? "Kommunen";

    public async Task OnGetAsync(CancellationToken cancel) => Facts = await facts.LoadAsync(cancel);
}
