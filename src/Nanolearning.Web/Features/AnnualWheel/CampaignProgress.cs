using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>
/// How far a campaign occurrence has come in a part of the organisation: its assignments (those for its due date) among
/// the active people in the units given, and how many of them have completed the course since the window opened.
/// </summary>
public sealed record CampaignProgress(int Assigned, int Completed)
{
    /// <summary>The completed share in whole percent, rounded down so that 100 % means everyone.</summary>
    public int Percent => Assigned == 0 ? 0 : 100 * Completed / Assigned;

    /// <summary>
    /// The progress of each occurrence among the active people in <paramref name="scope"/> (a unit and those below it:
    /// a chef sees only their own units' numbers, even for a campaign inherited from the whole kommun), keyed by entry
    /// and due date. One query for all of them: each occurrence's count is one part of a UNION ALL, since each compares
    /// completions with its own opening instant, which is computed here in Swedish time, not in SQL.
    /// </summary>
    public static async Task<Dictionary<(int EntryId, DateOnly DueOn), CampaignProgress>> InScopeAsync(
        AppDbContext db, IEnumerable<Occurrence> occurrences, IReadOnlyCollection<int> scope, CancellationToken cancel)
    {
        IQueryable<Counted>? counted = null;
        foreach (var occurrence in occurrences.DistinctBy(o => (o.Entry.Id, o.End)))
        {
            var (entryId, dueOn) = (occurrence.Entry.Id, occurrence.End);
            var part = db.Assignments
                .Where(a => a.EntryId == entryId && a.DueOn == dueOn)
                .Where(a => db.Learners.Any(l => l.Id == a.LearnerId && l.IsActive && scope.Contains(l.UnitId)))
                .Select(Assignment.MetSince(db.Enrolments, occurrence.Start))
                .Select(done => new Counted { EntryId = entryId, DueOn = dueOn, Done = done });
            counted = counted is null ? part : counted.Concat(part);
        }

        if (counted is null)
        {
            return [];
        }

        var groups = await counted
            .GroupBy(c => new { c.EntryId, c.DueOn, c.Done })
            .Select(g => new { g.Key.EntryId, g.Key.DueOn, g.Key.Done, Count = g.Count() })
            .ToListAsync(cancel);
        return groups
            .GroupBy(g => (g.EntryId, g.DueOn))
            .ToDictionary(g => g.Key, g => new CampaignProgress(g.Sum(x => x.Count), g.Where(x => x.Done).Sum(x => x.Count)));
    }

    private sealed class Counted
    {
        public int EntryId { get; init; }

        public DateOnly DueOn { get; init; }

        public bool Done { get; init; }
    }
}
