using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// The overdue people in a unit and the units below it, for the chef who leads it (or an admin), with "Påminn nu" per
/// row and for everyone listed. A nudge goes through the reminder outbox, so the page says when the e-mail will go.
/// Person-level: every view and every nudge is written to the audit trail.
/// </summary>
public sealed class OverduePeopleModel(
    AppDbContext db, UnitAccess access, IAuthorizationService authorization, CourseCatalog catalog,
    AuditTrail audit, ManagerNudge nudge, ReminderTiming timing, IOptions<ReminderOptions> reminders, TimeProvider time) : PageModel
{
    private const string ExportSlug = "forsenade";

    public UnitNode Unit { get; private set; } = null!;

    public OrganisationTree Tree { get; private set; } = null!;

    public DateOnly Today { get; private set; }

    public List<OverdueRow> Rows { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync([FromRoute] int unitId, CancellationToken cancel)
    {
        if (await RefusalAsync(unitId, cancel) is { } refusal)
        {
            return refusal;
        }

        await LoadRowsAsync(cancel);
        await audit.RecordAsync(User, AuditAction.ViewedOverdue, $"Försenade i {Unit.Name}", Unit.Id, null, cancel);
        return Page();
    }

    /// <summary>The list as shown, as a file: <c>?handler=Export&amp;format=csv</c>. Person-level, so it is audited too.</summary>
    public async Task<IActionResult> OnGetExportAsync([FromRoute] int unitId, [FromQuery] string? format, CancellationToken cancel)
    {
        if (await RefusalAsync(unitId, cancel) is { } refusal)
        {
            return refusal;
        }

        if (!TableExport.TryParseFormat(format, out var exportFormat))
        {
            return FollowUpChecks.BadExport(this, Url.Page("/FollowUp/OverduePeople", new { unitId }));
        }

        await LoadRowsAsync(cancel);
        await audit.RecordAsync(User, AuditAction.ExportedOverdue,
            $"Försenade i {Unit.Name} ({exportFormat.ToString().ToUpperInvariant()})", Unit.Id, null, cancel);
        return TableExport.Write(ExportTable(), exportFormat, Today).ToFileResult();
    }

    public string? ExportUrl(ExportFormat format) =>
        Url.Page("/FollowUp/OverduePeople", "Export", new { unitId = Unit.Id, format = format.ToString().ToLowerInvariant() });

    /// <summary>
    /// The rows for the file, the columns as on the page; the page keeps its own table because its last column holds
    /// the "Påminn nu" forms. A chef's own people, so nothing is suppressed (as on the people list).
    /// </summary>
    private ReportTable ExportTable()
    {
        var table = new ReportTableBuilder(ExportSlug, $"Försenade i {Unit.Name} och enheterna under", "Namn",
            ["Enhet", "Kurs", "Skulle vara klar", "Dagar sen", "Påmind i dag"]);
        foreach (var row in Rows)
        {
            table.Row(row.Overdue.Name, 1, ReportCell.Of(row.UnitName), ReportCell.Of(row.CourseTitle),
                ReportCell.Of(Format.Date(row.Overdue.DueOn)), ReportCell.Count(row.DaysOverdue), ReportCell.Of(row.QueuedToday ? "Ja" : "Nej"));
        }

        return table.Note("En rad per person och försenad kurs, den som är mest försenad först.").BuildWithoutSuppression();
    }

    private async Task LoadRowsAsync(CancellationToken cancel)
    {
        var overdue = await OverdueAsync(cancel);
        var queued = await nudge.QueuedTodayAsync([.. overdue.Select(o => o.AssignmentId)], cancel);
        var next = await timing.NextMailAsync([.. overdue.Select(o => o.LearnerId)], cancel);
        var now = time.GetUtcNow();
        Rows = [.. overdue.Select(o => new OverdueRow(
            o, Tree.Find(o.UnitId)?.Name ?? "", catalog.FindLive(o.CourseId)?.Title ?? o.CourseId, Today.DayNumber - o.DueOn.DayNumber,
            queued.Contains(o.AssignmentId), ReminderTiming.Describe(next[o.LearnerId], now, reminders.Value)))];
    }

    /// <summary>
    /// Nudges the overdue assignments posted (one row's, or every row's). Every id is checked against the unit in the
    /// address: one outside it refuses the whole post, so nothing is queued for anybody the chef may not see.
    /// </summary>
    public async Task<IActionResult> OnPostNudgeAsync([FromRoute] int unitId, [FromForm] List<int> assignment, CancellationToken cancel)
    {
        if (await RefusalAsync(unitId, cancel) is { } refusal)
        {
            return refusal;
        }

        var back = Url.Page("/FollowUp/OverduePeople", new { unitId });
        if (!ModelState.IsValid || assignment.Count == 0)
        {
            return Problem.Show(this, StatusCodes.Status400BadRequest, "Ingen att påminna",
                "Formuläret sa inte vem som ska påminnas. Gå tillbaka till listan och tryck på Påminn nu vid en person.", back);
        }

        var posted = assignment.ToHashSet();
        var scope = Tree.Subtree(unitId).Select(u => u.Id).ToHashSet();
        var known = await db.Assignments.AsNoTracking()
            .Where(a => posted.Contains(a.Id))
            .Select(a => new { a.Id, a.Learner!.UnitId })
            .ToListAsync(cancel);
        // An id that does not exist is refused like one outside the scope: the answer tells nothing about other units.
        if (known.Count != posted.Count || known.Any(a => !scope.Contains(a.UnitId)))
        {
            return Problem.Show(this, StatusCodes.Status403Forbidden, "Du kan inte påminna de här personerna",
                $"Du kan bara påminna personer i {Unit.Name} och enheterna under den. Ingen påminnelse har skickats.", back);
        }

        // Only what is still overdue now: someone may have finished the course since the list was shown.
        var chosen = (await OverdueAsync(cancel)).Where(o => posted.Contains(o.AssignmentId)).ToList();
        var added = await nudge.QueueAsync(chosen, cancel);
        if (chosen.Count > 0)
        {
            var names = chosen.Select(o => o.Name).Distinct().ToList();
            await audit.RecordAsync(User, AuditAction.NudgedPeople, $"Påminn nu i {Unit.Name}: {string.Join(", ", names)}",
                Unit.Id, names.Count == 1 ? chosen[0].LearnerId : null, cancel);
        }

        Message = await StatusAsync(chosen, added, posted.Count - chosen.Count, cancel);
        return RedirectToPage(new { unitId });
    }

    /// <summary>Null when the user may follow the unit up; otherwise the Swedish refusal (404 unknown unit, 403 not theirs).</summary>
    private async Task<IActionResult?> RefusalAsync(int unitId, CancellationToken cancel)
    {
        var managed = await access.ForAsync(User, cancel);
        Tree = managed.Tree;
        Today = Format.Today(time);
        if (await FollowUpChecks.UnitAsync(this, authorization, managed, unitId) is { } refusal)
        {
            return refusal;
        }

        Unit = Tree.Find(unitId)!;
        return null;
    }

    /// <summary>Who is overdue in the unit and below, leaving out the viewer: a chef is not asked to nudge themselves.</summary>
    private async Task<List<Overdue>> OverdueAsync(CancellationToken cancel)
    {
        var scope = Tree.Subtree(Unit.Id).Select(u => u.Id).ToList();
        var self = User.LearnerId();
        return [.. (await Overdue.InAsync(db, scope, Today, cancel)).Where(o => o.LearnerId != self)];
    }

    /// <summary>"3 påminnelser lades i kön. E-posten går i dag cirka 10.15." with the exceptions said plainly.</summary>
    private async Task<string> StatusAsync(List<Overdue> chosen, int added, int done, CancellationToken cancel)
    {
        var parts = new List<string>
        {
            added switch
            {
                0 when chosen.Count > 0 => "Påminnelsen låg redan i kön i dag, så ingen ny lades till.",
                0 => "Ingen påminnelse lades i kön.",
                1 => "1 påminnelse lades i kön.",
                _ => $"{added} påminnelser lades i kön.",
            },
        };
        if (added > 0 && added < chosen.Count)
        {
            parts.Add($"{chosen.Count - added} låg redan i kön i dag.");
        }

        if (done > 0)
        {
            parts.Add(done == 1 ? "1 kurs är inte längre försenad och påmindes inte." : $"{done} kurser är inte längre försenade och påmindes inte.");
        }

        if (chosen.Count > 0)
        {
            var now = time.GetUtcNow();
            var next = await timing.NextMailAsync([.. chosen.Select(o => o.LearnerId)], cancel);
            var when = next.Values.GroupBy(w => ReminderTiming.Describe(w, now, reminders.Value)).ToList();
            parts.Add(when.Count == 1
                ? $"E-posten går {when[0].Key}."
                : "E-posten går " + List([.. when.Select(g => $"{g.Key} till {People(g.Count())}")]) + ".");
        }

        return string.Join(" ", parts);
    }

    private static string People(int count) => count == 1 ? "1 person" : $"{count} personer";

    /// <summary>"a, b och c".</summary>
    private static string List(List<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items[..^1]) + " och " + items[^1];
}

/// <summary>One overdue course of one person, as the list shows it.</summary>
public sealed record OverdueRow(Overdue Overdue, string UnitName, string CourseTitle, int DaysOverdue, bool QueuedToday, string NextMail);
