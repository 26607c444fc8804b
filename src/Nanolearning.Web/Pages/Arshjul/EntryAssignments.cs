using System.Linq.Expressions;
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
    public static async Task<List<IQueryable<Assignment>>> UnfinishedAsync(AppDbContext db, int entryId, CancellationToken cancel)
    {
        var openings = await db.Assignments.Where(a => a.EntryId == entryId).Select(a => a.OpensOn).Distinct().ToListAsync(cancel);
        return [.. openings.Select(opensOn =>
        {
            var met = MetSince(db, opensOn);
            return db.Assignments
                .Where(a => a.EntryId == entryId && a.OpensOn == opensOn)
                .Where(Expression.Lambda<Func<Assignment, bool>>(Expression.Not(met.Body), met.Parameters));
        })];
    }

    /// <summary>
    /// <see cref="Assignment.IsMetBy"/> in SQL for assignments that opened on <paramref name="opensOn"/>: the learner
    /// completed the course on or after that Swedish midnight.
    /// </summary>
    /// <remarks>
    /// That instant is computed here, not in SQL (time zones are not portable), so a query covers one opening day.
    /// </remarks>
    public static Expression<Func<Assignment, bool>> MetSince(AppDbContext db, DateOnly opensOn)
    {
        var completedFrom = Format.StartOfDayUtc(opensOn);
        return a => db.Enrolments.Any(e => e.LearnerId == a.LearnerId && e.CourseId == a.CourseId && e.CompletedAt >= completedFrom);
    }
}
