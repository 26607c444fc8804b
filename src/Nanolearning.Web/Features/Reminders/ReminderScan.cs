using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.AnnualWheel;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// Finds what is due today and writes it as <see cref="Reminder"/> rows: assignment reminders by each plan, the
/// digests of managers whose weekday it is, and repetition questions. Set-based and idempotent: it reads a projection of
/// the open assignments once and inserts with ON CONFLICT DO NOTHING, so it may run every hour and on every instance.
/// A reminder whose day passed while the app was down still goes out for <see cref="ReminderOptions.CatchUpDays"/> days.
/// </summary>
public sealed class ReminderScan(AppDbContext db, IOptions<ReminderOptions> options, TimeProvider time, ILogger<ReminderScan> log)
{
    public async Task<int> RunAsync(CancellationToken cancel = default)
    {
        var settings = options.Value;
        var today = Format.Today(time);
        var from = today.AddDays(-settings.CatchUpDays);
        var due = new List<Due>();
        due.AddRange(await AssignmentRemindersAsync(settings, today, from, cancel));
        due.AddRange(await DigestsAsync(today, cancel));
        if (settings.RepetitionAfterDays > 0)
        {
            due.AddRange(await RepetitionsAsync(settings.RepetitionAfterDays, today, from, cancel));
        }

        // Most of what is due was written by an earlier run today: leave it out rather than let the database refuse it.
        var written = (await db.Reminders.AsNoTracking()
                .Where(r => r.Date >= from && r.Date <= today)
                .Select(r => new { r.LearnerId, r.Reason, r.Date })
                .ToListAsync(cancel))
            .Select(r => (r.LearnerId, r.Reason, r.Date))
            .ToHashSet();
        var added = await InsertAsync(due.Where(d => !written.Contains((d.LearnerId, d.Reason, d.Date))).ToList(), cancel);
        log.LogInformation("Reminder scan for {Today}: {Due} due, {Added} new.", today, due.Count, added);
        return added;
    }

    private async Task<List<Due>> AssignmentRemindersAsync(ReminderOptions settings, DateOnly today, DateOnly from, CancellationToken cancel)
    {
        var plans = await db.AnnualWheelEntries.AsNoTracking()
            .Where(e => e.Kind == AnnualWheelKind.CourseCampaign)
            .ToDictionaryAsync(e => e.Id, e => e.Reminders, cancel);
        // Nothing reminds later than the longest overdue series after the due date.
        var weeks = plans.Values.Append(settings.DefaultPlan).Max(p => p.WeeksOverdue);
        var oldestDue = from.AddDays(-7 * weeks);
        var open = await AssignmentProgress.Of(db, db.Assignments.AsNoTracking().Where(a => a.OpensOn <= today && a.DueOn >= oldestDue && a.Learner!.IsActive))
            .ToListAsync(cancel);

        var due = new List<Due>();
        foreach (var a in open.Where(a => !a.IsMet))
        {
            var plan = a.EntryId is { } entryId && plans.TryGetValue(entryId, out var own) ? own : settings.DefaultPlan;
            var assignedOn = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(a.AssignedAt, Format.Stockholm));
            foreach (var (kind, number, date) in plan.Occasions(a.OpensOn, assignedOn, a.DueOn))
            {
                if (date >= from && date <= today)
                {
                    due.Add(new Due(a.LearnerId, kind, $"{Key(kind)}:{a.Id}:{number}", date, a.Id, a.CourseId));
                }
            }
        }

        return due;
    }

    /// <summary>
    /// Managers whose digest day it is and who have someone overdue in the units they lead. A manager holds the chef
    /// role too: a unit's ManagerId alone sends nobody its staff's names.
    /// </summary>
    private async Task<List<Due>> DigestsAsync(DateOnly today, CancellationToken cancel)
    {
        var chefs = ManagerRole.Holders(db);
        var managers = await db.Learners.AsNoTracking()
            .Where(l => l.IsActive && !l.DigestOff && l.DigestDay == today.DayOfWeek && db.Units.Any(u => u.ManagerId == l.Id) && chefs.Contains(l.Id))
            .Select(l => l.Id)
            .ToListAsync(cancel);
        if (managers.Count == 0)
        {
            return [];
        }

        var tree = await OrganisationTree.LoadAsync(db, cancel);
        var overdueUnits = (await Overdue.InAsync(db, null, today, cancel)).Select(o => o.UnitId).ToHashSet();
        return managers
            .Where(manager => tree.LedBy(manager).SelectMany(tree.Subtree).Any(u => overdueUnits.Contains(u.Id)))
            .Select(manager => new Due(manager, ReminderKind.Digest, "digest", today, null, null))
            .ToList();
    }

    /// <summary>A question from the course some weeks after each completion, to people still here.</summary>
    private async Task<List<Due>> RepetitionsAsync(int afterDays, DateOnly today, DateOnly from, CancellationToken cancel)
    {
        var completedFrom = Format.StartOfDayUtc(from.AddDays(-afterDays));
        var completedBefore = Format.StartOfDayUtc(today.AddDays(1 - afterDays));
        var completions = await db.Enrolments.AsNoTracking()
            .Where(e => e.CompletedAt >= completedFrom && e.CompletedAt < completedBefore && e.Learner!.IsActive)
            .Select(e => new { e.Id, e.LearnerId, e.CourseId, CompletedAt = e.CompletedAt!.Value })
            .ToListAsync(cancel);
        return completions
            .Select(e => new Due(
                e.LearnerId, ReminderKind.Repetition, $"repetition:{e.Id:N}",
                DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(e.CompletedAt, Format.Stockholm)).AddDays(afterDays), null, e.CourseId))
            .ToList();
    }

    /// <summary>
    /// One prepared INSERT run per row in one transaction: on SQLite the fastest way in (a multi-row INSERT binds
    /// thousands of parameters per statement, and took five times as long). Skipped conflicts are rows another
    /// instance wrote since this one read.
    /// </summary>
    private async Task<int> InsertAsync(List<Due> due, CancellationToken cancel)
    {
        if (due.Count == 0)
        {
            return 0;
        }

        await using var transaction = await db.BeginWriteTransactionAsync(cancel);
        await using var insert = new PreparedInsert(db, typeof(Reminder),
            [nameof(Reminder.LearnerId), nameof(Reminder.Kind), nameof(Reminder.Reason), nameof(Reminder.Date),
             nameof(Reminder.AssignmentId), nameof(Reminder.CourseId), nameof(Reminder.CreatedAt)],
            skipConflicts: true);
        var created = time.GetUtcNow().UtcDateTime;
        var added = 0;
        foreach (var row in due)
        {
            added += await insert.RunAsync(cancel, row.LearnerId, row.Kind, row.Reason, row.Date, row.AssignmentId, row.CourseId, created);
        }

        await transaction.CommitAsync(cancel);
        return added;
    }

    private static string Key(ReminderKind kind) => kind switch
    {
        ReminderKind.Assigned => "assigned",
        ReminderKind.DueSoon => "due-soon",
        ReminderKind.DueToday => "due-today",
        ReminderKind.Overdue => "overdue",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private sealed record Due(int LearnerId, ReminderKind Kind, string Reason, DateOnly Date, int? AssignmentId, string? CourseId);
}
