using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Data;

namespace Nanolearning.Web.Pages.Arshjul;

/// <summary>
/// The assignments an årshjul campaign made that nobody has acted on: withdrawn when the entry is deleted or its
/// schedule changes. An assignment whose learner completed the course after it opened is history and stays.
/// </summary>
public static class EntryAssignments
{
    /// <summary>One query per day the entry's assignments opened (one per year it has run).</summary>
    /// <remarks>
    /// A completion counts from the Swedish midnight the assignment opened, the planner's rule. That instant is
    /// computed here, not in SQL (time zones are not portable), so each opening day gets its own set-based query.
    /// </remarks>
    public static async Task<List<IQueryable<Assignment>>> UnfinishedAsync(AppDbContext db, int entryId, CancellationToken cancel)
    {
        var openings = await db.Assignments.Where(a => a.EntryId == entryId).Select(a => a.OpensOn).Distinct().ToListAsync(cancel);
        return [.. openings.Select(opensOn =>
        {
            var completedFrom = Format.StartOfDayUtc(opensOn);
            return db.Assignments
                .Where(a => a.EntryId == entryId && a.OpensOn == opensOn)
                .Where(a => !db.Enrolments.Any(e => e.LearnerId == a.LearnerId && e.CourseId == a.CourseId && e.CompletedAt >= completedFrom));
        })];
    }
}
