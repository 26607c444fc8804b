using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// "Påminn nu": a chef asks the reminder outbox to nudge people about overdue assignments. Each nudge is a
/// <see cref="Reminder"/> of kind <see cref="ReminderKind.ManagerNudge"/> for today, keyed by the assignment, so a
/// second press on the same day adds nothing; it then travels like every reminder, in the person's one e-mail of the
/// day, inside sending hours. The caller has checked that the chef may nudge these people.
/// </summary>
public sealed class ManagerNudge(AppDbContext db, TimeProvider time)
{
    public static string Reason(int assignmentId) => $"nudge:{assignmentId}";

    /// <summary>Queues a nudge for each overdue assignment; returns how many were new today.</summary>
    public async Task<int> QueueAsync(IReadOnlyCollection<Overdue> overdue, CancellationToken cancel)
    {
        if (overdue.Count == 0)
        {
            return 0;
        }

        var today = Format.Today(time);
        var created = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.BeginWriteTransactionAsync(cancel);
        await using var insert = new PreparedInsert(db, typeof(Reminder),
            [nameof(Reminder.LearnerId), nameof(Reminder.Kind), nameof(Reminder.Reason), nameof(Reminder.Date),
             nameof(Reminder.AssignmentId), nameof(Reminder.CourseId), nameof(Reminder.CreatedAt)],
            skipConflicts: true);
        var added = 0;
        foreach (var o in overdue.DistinctBy(o => o.AssignmentId))
        {
            added += await insert.RunAsync(cancel, o.LearnerId, ReminderKind.ManagerNudge, Reason(o.AssignmentId), today, o.AssignmentId, o.CourseId, created);
        }

        await transaction.CommitAsync(cancel);
        return added;
    }

    /// <summary>Which of <paramref name="assignmentIds"/> already have today's nudge.</summary>
    public async Task<HashSet<int>> QueuedTodayAsync(IReadOnlyCollection<int> assignmentIds, CancellationToken cancel)
    {
        var today = Format.Today(time);
        var queued = await db.Reminders.AsNoTracking()
            .Where(r => r.Kind == ReminderKind.ManagerNudge && r.Date == today && r.AssignmentId != null && assignmentIds.Contains(r.AssignmentId.Value))
            .Select(r => r.AssignmentId!.Value)
            .ToListAsync(cancel);
        return [.. queued];
    }
}
