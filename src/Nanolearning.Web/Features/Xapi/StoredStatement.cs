using Nanolearning.Xapi;

namespace Nanolearning.Web.Features.Xapi;

/// <summary>
/// A statement in the built-in LRS: the statement as stored (JSON, with <c>stored</c>, <c>authority</c> and
/// <c>version</c> set), and the columns the query parameters filter on, each indexed with the storage order so that
/// a filtered page reads only the rows it returns.
/// </summary>
public sealed class StoredStatement
{
    /// <summary>The order statements were stored in: results are sorted by it and <c>more</c> continues after it.</summary>
    public long Sequence { get; set; }

    public Guid Id { get; set; }

    /// <summary>When the LRS stored it (UTC, whole milliseconds like the JSON); <c>since</c> and <c>until</c> compare with it.</summary>
    public DateTime Stored { get; set; }

    /// <summary>The actor's inverse functional identifier as a key (<see cref="AgentKeys"/>); null for an anonymous group.</summary>
    public string? ActorKey { get; set; }

    /// <summary>The object's key when the object is an agent or identified group.</summary>
    public string? ObjectAgentKey { get; set; }

    public required string VerbId { get; set; }

    /// <summary>The object's id when the object is an activity.</summary>
    public string? ActivityId { get; set; }

    public Guid? Registration { get; set; }

    /// <summary>For a voiding statement, the id of the statement it voids.</summary>
    public Guid? VoidsId { get; set; }

    /// <summary>
    /// The id of the statement this one's object refers to (a StatementRef, voiding or not): a query returns the
    /// statements that match it and those that target a match (Communication 2.1.3), voided targets included.
    /// </summary>
    public Guid? TargetId { get; set; }

    /// <summary>Voided by a voiding statement: found only by <c>voidedStatementId</c>.</summary>
    public bool Voided { get; set; }

    public required string Json { get; set; }

    /// <summary>Every activity in the statement (object, context activities, sub-statement), for <c>related_activities</c>.</summary>
    public List<StatementActivity> RelatedActivities { get; set; } = [];

    /// <summary>Every agent and identified group in the statement (authority, instructor, team, members, sub-statement), for <c>related_agents</c>.</summary>
    public List<StatementAgent> RelatedAgents { get; set; } = [];
}

/// <summary>
/// The bytes of an attachment sent in a multipart request, once per SHA-2 (statements that carry the same file share
/// it). Attachments with a <c>fileUrl</c> and no part are not stored: the LRS keeps only their metadata.
/// </summary>
public sealed class StoredAttachment
{
    /// <summary>Lower-case hex SHA-2 of <see cref="Content"/>, as the statement's attachment names it.</summary>
    public required string Sha2 { get; set; }

    public required string ContentType { get; set; }

    public required byte[] Content { get; set; }
}

public sealed class StatementActivity
{
    public long StatementSequence { get; set; }

    public required string ActivityId { get; set; }
}

public sealed class StatementAgent
{
    public long StatementSequence { get; set; }

    public required string AgentKey { get; set; }
}

/// <summary>
/// Agents as comparable keys: xAPI says two agents are the same when their inverse functional identifier is, whatever
/// their names. One key per identifier kind, so an mbox never equals an openid with the same text.
/// </summary>
public static class AgentKeys
{
    public static string? Of(Agent agent) => agent switch
    {
        { Mbox: { } mbox } => "mbox " + mbox,
        { MboxSha1Sum: { } sha1 } => "sha1 " + sha1.ToLowerInvariant(),
        { OpenId: { } openId } => "openid " + openId,
        { Account: { } account } => "account " + account.HomePage + " " + account.Name,
        _ => null,
    };
}
