using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// Records a view of, or an action on, person-level data as an <see cref="AuditEntry"/>. Pages call it after they
/// have authorized the request. Deliberately not a log: the subject names people, and logs must not.
/// </summary>
public sealed class AuditTrail(AppDbContext db, TimeProvider time)
{
    /// <summary>Stores one entry at once (it saves the context, so call it when the page has nothing else unsaved).</summary>
    public async Task RecordAsync(ClaimsPrincipal user, AuditAction action, string subject, int? unitId, int? learnerId, CancellationToken cancel)
    {
        var name = user.LearnerId() is { } id
            ? await db.Learners.Where(l => l.Id == id).Select(l => l.FirstName + " " + l.LastName).FirstOrDefaultAsync(cancel)
            : null;
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            UserId = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
            UserName = name ?? user.Identity?.Name ?? "",
            Action = action,
            Subject = subject.Length <= AuditEntryConfiguration.SubjectLength ? subject : subject[..(AuditEntryConfiguration.SubjectLength - 1)] + "…",
            UnitId = unitId,
            LearnerId = learnerId,
        });
        await db.SaveChangesAsync(cancel);
    }

    /// <summary>The action as the admin page names it.</summary>
    public static string Swedish(AuditAction action) => action switch
    {
        AuditAction.ViewedPeople => "Visade personer",
        AuditAction.ViewedPerson => "Visade en person",
        AuditAction.ExportedPeople => "Exporterade personer",
        AuditAction.ViewedOverdue => "Visade försenade",
        AuditAction.ExportedOverdue => "Exporterade försenade",
        AuditAction.NudgedPeople => "Påminn nu",
        AuditAction.DownloadedOwnData => "Laddade ner sina uppgifter",
        _ => action.ToString(),
    };
}
