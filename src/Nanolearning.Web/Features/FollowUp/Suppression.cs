namespace Nanolearning.Web.Features.FollowUp;

/// <summary>Which groups of a table must be hidden so that nobody can learn a figure about fewer than k people.</summary>
/// <remarks>
/// The rules (docs/follow-up.md, "Suppression"):
/// <list type="number">
/// <item>Primary: a group (row) of fewer than k people is hidden.</item>
/// <item>Complementary: where a total is shown (or the rows add up to a figure shown elsewhere), subtracting the visible
/// rows from the total gives the hidden rows' sum. So once a row is hidden, the smallest visible rows are hidden too until
/// the hidden rows together hold at least k people; then the difference only speaks of a group of k or more.</item>
/// <item>If the total itself holds fewer than k people, everything is hidden, the total included.</item>
/// </list>
/// A table whose columns count different people (say one course per column set) applies this to each column set.
/// </remarks>
public static class Suppression
{
    /// <summary>The rows to hide, given each row's number of people (in table order).</summary>
    /// <param name="groupSizes">People in each row.</param>
    /// <param name="totalShown">Whether the rows' sum is shown (a total row, or the same figure elsewhere).</param>
    /// <param name="k">The smallest group that may be shown (at least 2).</param>
    public static SuppressionResult Apply(IReadOnlyList<int> groupSizes, bool totalShown, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        if (groupSizes.Any(size => size < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(groupSizes), "A group cannot hold fewer than 0 people.");
        }

        var hidden = new bool[groupSizes.Count];
        if (totalShown && groupSizes.Sum() < k)
        {
            Array.Fill(hidden, true);
            return new SuppressionResult(hidden, TotalHidden: true);
        }

        for (var row = 0; row < hidden.Length; row++)
        {
            hidden[row] = groupSizes[row] < k;
        }

        if (totalShown && hidden.Contains(true))
        {
            // The smallest first: they give away the least when hidden. Ties in table order, so the result is stable.
            var smallestFirst = Enumerable.Range(0, hidden.Length).OrderBy(row => groupSizes[row]).ThenBy(row => row).ToList();
            var hiddenPeople = smallestFirst.Where(row => hidden[row]).Sum(row => groupSizes[row]);
            foreach (var row in smallestFirst.Where(row => !hidden[row]))
            {
                if (hiddenPeople >= k)
                {
                    break;
                }

                hidden[row] = true;
                hiddenPeople += groupSizes[row];
            }
        }

        return new SuppressionResult(hidden, TotalHidden: false);
    }
}

/// <summary>Per row (in table order) whether it is hidden, and whether the total is.</summary>
public sealed record SuppressionResult(IReadOnlyList<bool> HiddenRows, bool TotalHidden)
{
    public bool AnyHidden => TotalHidden || HiddenRows.Contains(true);
}
