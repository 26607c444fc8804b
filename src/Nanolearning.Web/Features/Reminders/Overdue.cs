using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// An active employee's current assignment of a course (the one with the latest window opened) past its due date and
/// not met: what a chef's digest and overdue list show, counted as the follow-up counts "Försenade". Someone who missed
/// last year's campaign is not overdue once this year's window is open and not yet due.
/// </summary>
public sealed record Overdue(int LearnerId, string Name, int UnitId, string CourseId, DateOnly DueOn, int AssignmentId)
{
    /// <summary>Everyone overdue in <paramref name="unitIds"/> (null: everywhere), the longest overdue first.</summary>
    public static async Task<List<Overdue>> InAsync(AppDbContext db, IReadOnlyCollection<int>? unitIds, DateOnly today, CancellationToken cancel)
    {
        var assignments = db.Assignments.AsNoTracking().Where(a => a.OpensOn <= today && a.Learner!.IsActive);
        if (unitIds is not null)
        {
            assignments = assignments.Where(a => unitIds.Contains(a.Learner!.UnitId));
        }

        var overdue = (await AssignmentProgress.Of(db, assignments).ToListAsync(cancel))
            .GroupBy(a => (a.LearnerId, a.CourseId))
            .Select(g => g.OrderByDescending(a => a.OpensOn).ThenByDescending(a => a.DueOn).First())
            .Where(a => a.DueOn < today && !a.IsMet)
            .ToList();
        var learnerIds = overdue.Select(a => a.LearnerId).Distinct().ToList();
        var learners = await db.Learners.AsNoTracking()
            .Where(l => learnerIds.Contains(l.Id))
            .ToDictionaryAsync(l => l.Id, cancel);
        return overdue
            .Select(a => new Overdue(a.LearnerId, learners[a.LearnerId].FullName, learners[a.LearnerId].UnitId, a.CourseId, a.DueOn, a.Id))
            .OrderBy(o => o.DueOn).ThenBy(o => o.Name, StringComparer.Create(Swedish.Culture, false))
            .ToList();
    }
}
