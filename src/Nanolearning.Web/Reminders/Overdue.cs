using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Data;

namespace Nanolearning.Web.Reminders;

/// <summary>An active employee's assignment past its due date that nobody has met: what a chef's digest lists.</summary>
public sealed record Overdue(int LearnerId, string Name, int UnitId, string CourseId, DateOnly DueOn)
{
    /// <summary>Everyone overdue in <paramref name="unitIds"/> (null: everywhere), the longest overdue first.</summary>
    public static async Task<List<Overdue>> InAsync(AppDbContext db, IReadOnlyCollection<int>? unitIds, DateOnly today, CancellationToken cancel)
    {
        var assignments = db.Assignments.AsNoTracking().Where(a => a.DueOn < today && a.Learner!.IsActive);
        if (unitIds is not null)
        {
            assignments = assignments.Where(a => unitIds.Contains(a.Learner!.UnitId));
        }

        var rows = await assignments
            .Select(a => new
            {
                a.LearnerId,
                a.Learner!.FirstName,
                a.Learner.LastName,
                a.Learner.UnitId,
                a.CourseId,
                a.OpensOn,
                a.DueOn,
                LastCompletion = db.Enrolments.Where(e => e.LearnerId == a.LearnerId && e.CourseId == a.CourseId).Max(e => e.CompletedAt),
            })
            .ToListAsync(cancel);
        // Someone behind on both last year's and this year's campaign of a course is listed once, by the latest.
        return rows
            .Where(r => !Assignment.IsMet(r.OpensOn, r.LastCompletion))
            .GroupBy(r => (r.LearnerId, r.CourseId))
            .Select(g => g.MaxBy(r => r.DueOn)!)
            .Select(r => new Overdue(r.LearnerId, $"{r.FirstName} {r.LastName}", r.UnitId, r.CourseId, r.DueOn))
            .OrderBy(o => o.DueOn).ThenBy(o => o.Name, StringComparer.Create(Swedish.Culture, false))
            .ToList();
    }
}
