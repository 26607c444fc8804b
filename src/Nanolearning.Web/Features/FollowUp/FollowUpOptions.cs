namespace Nanolearning.Web.Features.FollowUp;

/// <summary>Follow-up settings (section "Nanolearning:FollowUp").</summary>
public sealed class FollowUpOptions
{
    public const string Section = "Nanolearning:FollowUp";

    /// <summary>
    /// k: the smallest group whose figures are shown where politicians can look (sekretessgräns). Smaller groups, and the
    /// rows that would let someone work them out, show "–".
    /// </summary>
    public int SuppressionThreshold { get; set; } = 5;

    /// <summary>
    /// How old, in minutes, the kommun-wide figures may be (<see cref="MunicipalitySnapshot"/>): a background job
    /// counts them again this often, and a page that finds them older counts them before it answers. A whole number
    /// of minutes that divides the hour, so the job's schedule keeps an even pace.
    /// </summary>
    public int SnapshotMinutes { get; set; } = 10;

    /// <summary>The minutes <see cref="SnapshotMinutes"/> may be: the divisors of an hour.</summary>
    public static readonly IReadOnlyList<int> SnapshotIntervals = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];

    /// <summary>Settings that cannot work, named for the start-up error.</summary>
    public IEnumerable<string> Mistakes()
    {
        if (SuppressionThreshold < 2)
        {
            // With k = 1 every group of one person would be shown: no protection at all.
            yield return $"Nanolearning:FollowUp:SuppressionThreshold {SuppressionThreshold} must be at least 2.";
        }

        if (!SnapshotIntervals.Contains(SnapshotMinutes))
        {
            yield return $"Nanolearning:FollowUp:SnapshotMinutes {SnapshotMinutes} must divide the hour: one of {string.Join(", ", SnapshotIntervals)}.";
        }
    }
}
