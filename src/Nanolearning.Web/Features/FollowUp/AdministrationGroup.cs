using Nanolearning.Courses;
using Nanolearning.Web.Features.Organisation;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// One förvaltning's learners (its whole subtree), or everyone in units under no förvaltning ("Övriga enheter": the
/// nämnder, units directly under the kommun). The groups of <see cref="Of"/> split the kommun without overlap, so a
/// table's rows add up to the kommun's total, which complementary suppression relies on.
/// </summary>
/// <param name="Name">The förvaltning's name, or <see cref="OthersName"/>.</param>
/// <param name="Unit">The förvaltning; null for the others.</param>
/// <param name="Learners">The group, from <see cref="FollowUpFigures.Learners"/>.</param>
public sealed record AdministrationGroup(string Name, UnitNode? Unit, IReadOnlyList<FollowUpLearner> Learners)
{
    public const string OthersName = "Övriga enheter";

    /// <summary>The kommun's top förvaltningar by name, then the others (always last, possibly empty).</summary>
    public static IReadOnlyList<AdministrationGroup> Of(OrganisationTree tree, FollowUpFigures figures)
    {
        var covered = new HashSet<int>();
        var groups = new List<AdministrationGroup>();
        foreach (var administration in TopAdministrations(tree))
        {
            var unitIds = tree.Subtree(administration.Id).Select(u => u.Id).ToList();
            covered.UnionWith(unitIds);
            groups.Add(new(administration.Name, administration, [.. figures.InUnits(unitIds)]));
        }

        groups.Add(new(OthersName, null, [.. figures.Learners.Where(l => !covered.Contains(l.UnitId))]));
        return groups;
    }

    /// <summary>
    /// The förvaltningar not inside another one: a förvaltning nested in another (unusual, but the import allows it)
    /// counts in its parent's row, so no learner is counted twice.
    /// </summary>
    public static IReadOnlyList<UnitNode> TopAdministrations(OrganisationTree tree) =>
        [.. tree.All
            .Where(u => u.Kind == UnitKind.Administration && !tree.AncestorsOf(u.Id).Any(a => a.Kind == UnitKind.Administration))
            .OrderBy(u => u.Name, StringComparer.Create(Swedish.Culture, false))
            .ThenBy(u => u.Id)];
}
