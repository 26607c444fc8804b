using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Organisation;

/// <summary>
/// The unit tree in memory: a large kommun has a couple of thousand units, a few tens of kilobytes, so walking it here
/// is simpler and as portable as recursive SQL. Loaded per request or job, never cached across writes.
/// </summary>
public sealed class OrganisationTree
{
    private readonly Dictionary<int, UnitNode> _units;
    private readonly ILookup<int?, UnitNode> _children;

    private OrganisationTree(IEnumerable<UnitNode> units)
    {
        _units = units.ToDictionary(u => u.Id);
        _children = _units.Values.OrderBy(u => u.Name, StringComparer.Create(Nanolearning.Courses.Swedish.Culture, false)).ToLookup(u => u.ParentId);
    }

    /// <summary>The tree, each unit with its chef only if the chef holds the chef role (<see cref="ManagerRole"/>).</summary>
    public static async Task<OrganisationTree> LoadAsync(AppDbContext db, CancellationToken cancel)
    {
        var chefs = ManagerRole.Holders(db);
        return new(await db.Units.AsNoTracking()
            .Select(u => new UnitNode(u.Id, u.Name, u.Kind, u.ParentId, u.ManagerId != null && chefs.Contains(u.ManagerId.Value) ? u.ManagerId : null))
            .ToListAsync(cancel));
    }

    public int Count => _units.Count;

    public UnitNode? Find(int unitId) => _units.GetValueOrDefault(unitId);

    public IEnumerable<UnitNode> All => _units.Values;

    public IEnumerable<UnitNode> ChildrenOf(int unitId) => _children[unitId];

    /// <summary>The unit and every unit below it, parents before children.</summary>
    public IEnumerable<UnitNode> Subtree(int unitId)
    {
        if (Find(unitId) is not { } top)
        {
            yield break;
        }

        var stack = new Stack<UnitNode>([top]);
        var seen = new HashSet<int>();
        while (stack.TryPop(out var unit))
        {
            if (!seen.Add(unit.Id))
            {
                continue;
            }

            yield return unit;
            foreach (var child in _children[unit.Id].Reverse())
            {
                stack.Push(child);
            }
        }
    }

    /// <summary>The unit's parents from the top down, without the unit itself.</summary>
    public IReadOnlyList<UnitNode> AncestorsOf(int unitId)
    {
        var path = new List<UnitNode>();
        var seen = new HashSet<int> { unitId };
        for (var parent = Find(unitId)?.ParentId; parent is { } id && Find(id) is { } unit && seen.Add(id); parent = unit.ParentId)
        {
            path.Add(unit);
        }

        path.Reverse();
        return path;
    }

    /// <summary>The units a chef leads, and all units below them: none for someone who no longer holds the chef role.</summary>
    public IReadOnlySet<int> LedBy(int learnerId) =>
        _units.Values.Where(u => u.ManagerId == learnerId).SelectMany(u => Subtree(u.Id)).Select(u => u.Id).ToHashSet();

    /// <summary>The unit's depth from its root: 0 for the kommun.</summary>
    public int DepthOf(int unitId) => AncestorsOf(unitId).Count;
}

public sealed record UnitNode(int Id, string Name, UnitKind Kind, int? ParentId, int? ManagerId);
