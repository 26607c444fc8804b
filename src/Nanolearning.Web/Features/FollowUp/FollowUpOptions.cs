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

    /// <summary>Settings that cannot work, named for the start-up error.</summary>
    public IEnumerable<string> Mistakes()
    {
        if (SuppressionThreshold < 2)
        {
            // With k = 1 every group of one person would be shown: no protection at all.
            yield return $"Nanolearning:FollowUp:SuppressionThreshold {SuppressionThreshold} must be at least 2.";
        }
    }
}
