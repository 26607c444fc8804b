namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// One look at (or action on) person-level data: who, what and when. The audit trail is where such access is
/// recorded, so its subject may name the person seen; it is never written to the logs. Admins read it at
/// /admin/granskningslogg.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    /// <summary>When, in UTC, from the app's <see cref="TimeProvider"/>.</summary>
    public DateTime At { get; set; }

    /// <summary>The login's id (AppUser.Id). No foreign key: the trail outlives the account.</summary>
    public required string UserId { get; set; }

    /// <summary>The person's name as it was then (or the login's name for an account without a learner).</summary>
    public required string UserName { get; set; }

    public AuditAction Action { get; set; }

    /// <summary>What was seen or done, in Swedish: "Försenade i Hemtjänst Norr", "Påminn nu: Anna Andersson".</summary>
    public required string Subject { get; set; }

    /// <summary>The unit whose people were seen, if any. No foreign key: units may be removed by an import.</summary>
    public int? UnitId { get; set; }

    /// <summary>The one person seen or acted on, if it was one.</summary>
    public int? LearnerId { get; set; }
}

/// <summary>What someone did with person-level data. Stored by name, so new actions may be added anywhere.</summary>
public enum AuditAction
{
    ViewedPeople,
    ViewedPerson,
    ExportedPeople,
    ViewedOverdue,
    ExportedOverdue,
    NudgedPeople,

    /// <summary>
    /// Someone downloaded their own data from "Mina uppgifter": the kommun can show that a registerutdrag was given,
    /// and a person can see if anyone else used their session to take it.
    /// </summary>
    DownloadedOwnData,
}
