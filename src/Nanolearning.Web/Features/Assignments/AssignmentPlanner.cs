using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.AnnualWheel;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Assignments;

/// <summary>
/// Turns the årshjul and the onboarding rule into assignments. For every course campaign whose window is open today,
/// everyone active in its scope (its unit and sub-units, filtered by audience) who lacks the assignment gets it; an
/// uncompleted campaign assignment of someone who has moved out of scope is withdrawn. New employees get the
/// onboarding course. Idempotent and set-based: it runs hourly, after an import and after an entry is saved, and
/// never loads more than learner ids; one run at a time across instances (<see cref="DatabaseLock.Planning"/>).
/// </summary>
public sealed class AssignmentPlanner(AppDbContext db, IOptions<NanolearningOptions> options, TimeProvider time, ILogger<AssignmentPlanner> log)
{
    public const string OnboardingOrigin = "Introduktion för nyanställda";

    private const int InsertBatch = 1_000;

    public async Task<PlanResult> PlanAsync(CancellationToken cancel = default)
    {
        // Instances on one PostgreSQL database plan one at a time: a run after a save waits for a running one and
        // then finds little left to do, instead of N runs inserting the same rows at once.
        await using var exclusive = await DatabaseLock.AcquireAsync(db, DatabaseLock.Planning, cancel);
        var today = Format.Today(time);
        var tree = await OrganisationTree.LoadAsync(db, cancel);
        var campaigns = await db.AnnualWheelEntries.AsNoTracking()
            .Where(e => e.Kind == AnnualWheelKind.CourseCampaign && e.CourseId != null && e.StartsOn <= today)
            .ToListAsync(cancel);

        var result = new PlanResult();
        foreach (var occurrence in campaigns.SelectMany(e => e.OpenOn(today)))
        {
            result += await PlanCampaignAsync(tree, occurrence, cancel);
        }

        result += await PlanOnboardingAsync(today, cancel);
        log.LogInformation("Planned assignments: {Added} added, {Withdrawn} withdrawn.", result.Added, result.Withdrawn);
        return result;
    }

    private async Task<PlanResult> PlanCampaignAsync(OrganisationTree tree, Occurrence occurrence, CancellationToken cancel)
    {
        var entry = occurrence.Entry;
        var courseId = entry.CourseId!;
        var (opensOn, due) = (occurrence.Start, occurrence.End);
        var scope = tree.Subtree(entry.UnitId).Select(u => u.Id).ToList();
        var audiences = entry.Audiences;

        // A kommun-wide entry needs no unit filter, and a list of every unit id only slows the query down.
        var inScope = scope.Count == tree.Count
            ? db.Learners.Where(l => l.IsActive)
            : db.Learners.Where(l => l.IsActive && scope.Contains(l.UnitId));
        if (audiences.Count > 0)
        {
            inScope = inScope.Where(l => l.Audiences.Any(a => audiences.Contains(a)));
        }

        var added = await AssignAsync(
            inScope, courseId, opensOn, due, entry.Id, $"Årshjul: {tree.Find(entry.UnitId)?.Name}: {entry.Title}", cancel);

        // Someone who moved to another unit or changed role no longer has this campaign's due date, unless they
        // already did the course for it. Leavers keep theirs: follow-up filters on who is active.
        int withdrawn;
        await using (var transaction = await db.BeginWriteTransactionAsync(cancel))
        {
            withdrawn = await db.Assignments
                .Where(a => a.EntryId == entry.Id && a.DueOn == due && a.CourseId == courseId)
                .Where(a => !inScope.Any(l => l.Id == a.LearnerId))
                .Where(a => db.Learners.Any(l => l.Id == a.LearnerId && l.IsActive))
                .Where(Assignment.UnmetSince(db.Enrolments, opensOn))
                .ExecuteDeleteAsync(cancel);
            await transaction.CommitAsync(cancel);
        }

        return new PlanResult(added, withdrawn);
    }

    /// <summary>Everyone with an employee number who started within the onboarding window gets the introductory course.</summary>
    private async Task<PlanResult> PlanOnboardingAsync(DateOnly today, CancellationToken cancel)
    {
        var settings = options.Value;
        var days = settings.OnboardingDays;
        var earliest = today.AddDays(-days);
        var courseId = settings.OnboardingCourseId;
        var newcomers = db.Learners.Where(l => l.IsActive && l.EmployeeNumber != null && l.StartDate >= earliest && l.StartDate <= today);

        // The due date depends on each start date, so assign per start date: at most OnboardingDays + 1 of them.
        var startDates = await newcomers.Select(l => l.StartDate).Distinct().ToListAsync(cancel);
        var added = 0;
        foreach (var start in startDates)
        {
            added += await AssignAsync(
                newcomers.Where(l => l.StartDate == start), courseId, start, start.AddDays(days), entryId: null, OnboardingOrigin, cancel);
        }

        return new PlanResult(added, 0);
    }

    /// <summary>
    /// Inserts the assignment for everyone in <paramref name="learners"/> who does not have it yet. The ids come from
    /// a LINQ query; the rows go in through one prepared INSERT per batch (<see cref="PreparedInsert"/>), many times
    /// faster than tracked entities, on SQLite and PostgreSQL alike. ON CONFLICT DO NOTHING lets a concurrent run
    /// (another instance, an import finishing) assign someone first without failing this one.
    /// </summary>
    private async Task<int> AssignAsync(
        IQueryable<Learner> learners, string courseId, DateOnly opensOn, DateOnly due, int? entryId, string origin, CancellationToken cancel)
    {
        var missing = await learners
            .Where(l => !db.Assignments.Any(a => a.LearnerId == l.Id && a.CourseId == courseId && a.DueOn == due))
            .Select(l => l.Id)
            .ToListAsync(cancel);
        var assignedAt = time.GetUtcNow().UtcDateTime;
        var shortOrigin = origin.Length > 200 ? origin[..200] : origin;
        var added = 0;
        foreach (var batch in missing.Chunk(InsertBatch))
        {
            // A batch at a time: on SQLite each transaction holds the write queue, so learners' saves get in between
            // batches and never meet a locked database.
            await using var transaction = await db.BeginWriteTransactionAsync(cancel);
            await using var insert = new PreparedInsert(db, typeof(Assignment),
                [nameof(Assignment.LearnerId), nameof(Assignment.CourseId), nameof(Assignment.OpensOn), nameof(Assignment.DueOn),
                 nameof(Assignment.AssignedAt), nameof(Assignment.Origin), nameof(Assignment.EntryId)],
                skipConflicts: true);
            foreach (var learnerId in batch)
            {
                added += await insert.RunAsync(cancel, learnerId, courseId, opensOn, due, assignedAt, shortOrigin, entryId);
            }

            await transaction.CommitAsync(cancel);
        }

        return added;
    }
}

public readonly record struct PlanResult(int Added, int Withdrawn)
{
    public static PlanResult operator +(PlanResult a, PlanResult b) => new(a.Added + b.Added, a.Withdrawn + b.Withdrawn);
}
