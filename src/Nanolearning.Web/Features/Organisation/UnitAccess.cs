using System.Security.Claims;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Organisation;

/// <summary>
/// Which units a user may plan and follow up: an admin all of them, a chef the units they lead and everything below.
/// A chef is someone a unit names as its manager and who holds the chef role (<see cref="ManagerRole"/>): the role in
/// the sign-in and in the database now, so a role taken away by an HR import counts before the cookie is renewed.
/// Pages ask it for the scope they list (the units to show or offer); the checks on a unit or entry id from the client
/// are the requirements <see cref="ManagesUnit"/> and <see cref="SeesUnitPlan"/>, whose handlers ask it in turn. The
/// calendar feed, which has a token instead of a signed-in user, asks it directly.
/// </summary>
/// <remarks>
/// Scoped: the tree is loaded once per request (or job) and kept, as a page and its authorization checks each ask.
/// </remarks>
public sealed class UnitAccess(AppDbContext db)
{
    private OrganisationTree? _tree;

    public Task<ManagedUnits> ForAsync(ClaimsPrincipal user, CancellationToken cancel) =>
        ForAsync(user.IsInRole(Roles.Manager) ? user.LearnerId() : null, user.IsInRole(Roles.Admin), cancel);

    /// <summary>
    /// The same from a user's learner id and admin role, where there is no signed-in user (a calendar feed); the chef
    /// role is checked in the database, by the tree.
    /// </summary>
    public async Task<ManagedUnits> ForAsync(int? learnerId, bool isAdmin, CancellationToken cancel)
    {
        var tree = _tree ??= await OrganisationTree.LoadAsync(db, cancel);
        IReadOnlySet<int> ids = isAdmin
            ? tree.All.Select(u => u.Id).ToHashSet()
            : learnerId is { } id ? tree.LedBy(id) : new HashSet<int>();
        return new ManagedUnits(tree, ids);
    }
}

/// <summary>The units one user may manage, and the tree they sit in.</summary>
public sealed record ManagedUnits(OrganisationTree Tree, IReadOnlySet<int> UnitIds)
{
    public bool Any => UnitIds.Count > 0;

    public bool Includes(int unitId) => UnitIds.Contains(unitId);

    /// <summary>
    /// Whether entries of the unit reach the user's units: it is managed, or above a managed unit, whose entries the
    /// managed units inherit (a chef may use the kommun's APT material for their own APT).
    /// </summary>
    public bool IncludesOrInheritsFrom(int unitId) =>
        Includes(unitId) || Tops.Any(top => Tree.AncestorsOf(top.Id).Any(a => a.Id == unitId));

    /// <summary>The top units of the user's scope: managed units whose parent is not managed.</summary>
    public IEnumerable<UnitNode> Tops =>
        UnitIds.Select(Tree.Find).OfType<UnitNode>()
            .Where(u => u.ParentId is not { } parent || !UnitIds.Contains(parent))
            .OrderBy(u => u.Name, StringComparer.Create(Nanolearning.Courses.Swedish.Culture, false));
}
