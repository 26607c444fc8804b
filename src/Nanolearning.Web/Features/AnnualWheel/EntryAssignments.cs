using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>
/// The assignments an årshjul campaign made that nobody has acted on: withdrawn when the entry is deleted or its
/// schedule changes. An assignment whose learner completed the course after it opened is history and stays.
/// </summary>
public static class EntryAssignments
{
    /// <summary>One query per day the entry's assignments opened (one per year it has run).</summary>
    public static async Task<List<IQueryable<Assignment>>> UnfinishedAsync(AppDbContext db, int entryId, CancellationToken cancel)
    {
        var openings = await db.Assignments.Where(a => a.EntryId == entryId).Select(a => a.OpensOn).Distinct().ToListAsync(cancel);
        return [.. openings.Select(opensOn => db.Assignments
            .Where(a => a.EntryId == entryId && a.OpensOn == opensOn)
            .Where(Assignment.UnmetSince(db.Enrolments, opensOn)))];
    }
}
