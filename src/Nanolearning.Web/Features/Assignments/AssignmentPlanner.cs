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
/// onboarding course. Idempotent and set-based: it runs daily, after an import and after an entry is saved, and
/// never loads more than learner ids.
/// </summary>
public sealed class AssignmentPlanner(AppDbContext db, IOptions<NanolearningOptions> options, TimeProvider time, ILogger<AssignmentPlanner> log)
{
    public const string OnboardingOrigin = "Introduktion för nyanställda";

    private const int InsertBatch = 1_000;

    public async Task<PlanResult> PlanAsync(CancellationToken cancel = default)
    {
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
    /// a LINQ query; the rows go in as multi-row INSERTs, which are many times faster than tracked entities, in SQL
    /// that SQLite and PostgreSQL both speak. ON CONFLICT DO NOTHING lets a concurrent run (another instance, an
    /// import finishing) assign someone first without failing this one.
    /// </summary>
    private async Task<int> AssignAsync(
        IQueryable<Learner> learners, string courseId, DateOnly opensOn, DateOnly due, int? entryId, string origin, CancellationToken cancel)
    {
        var missing = await learners
            .Where(l => !db.Assignments.Any(a => a.LearnerId == l.Id && a.CourseId == courseId && a.DueOn == due))
            .Select(l => l.Id)
            .ToListAsync(cancel);
        // EF maps no type for a null raw-SQL parameter, so onboarding rows (no entry) leave the column out.
        object[] shared = [courseId, opensOn, due, time.GetUtcNow().UtcDateTime, origin.Length > 200 ? origin[..200] : origin, .. entryId is { } id ? [id] : Array.Empty<object>()];
        var columns = entryId is null ? "" : """, "EntryId" """;
        var values = string.Join(", ", Enumerable.Range(0, shared.Length).Select(i => $"{{{i}}}"));
        var added = 0;
        foreach (var batch in missing.Chunk(InsertBatch))
        {
            // Only parameter placeholders go into the text: {0} … for the shared values, then one per learner id.
            var rows = string.Join(", ", batch.Select((_, i) => $"({{{shared.Length + i}}}, {values})"));
            var sql = $"""INSERT INTO "Assignments" ("LearnerId", "CourseId", "OpensOn", "DueOn", "AssignedAt", "Origin"{columns}) VALUES """
                + rows + " ON CONFLICT DO NOTHING";
            // A batch at a time through the SQLite write queue, so learners' saves get in between batches and never
            // meet a locked database.
            await using var transaction = await db.BeginWriteTransactionAsync(cancel);
            added += await db.Database.ExecuteSqlRawAsync(sql, [.. shared, .. batch.Cast<object>()], cancel);
            await transaction.CommitAsync(cancel);
        }

        return added;
    }
}

public readonly record struct PlanResult(int Added, int Withdrawn)
{
    public static PlanResult operator +(PlanResult a, PlanResult b) => new(a.Added + b.Added, a.Withdrawn + b.Withdrawn);
}
