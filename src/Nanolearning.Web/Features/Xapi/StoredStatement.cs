using Microsoft.EntityFrameworkCore;
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

    /// <summary>Voided by a voiding statement: found only by <c>voidedStatementId</c>.</summary>
    public bool Voided { get; set; }

    public required string Json { get; set; }

    /// <summary>Every activity in the statement (object, context activities, sub-statement), for <c>related_activities</c>.</summary>
    public List<StatementActivity> RelatedActivities { get; set; } = [];

    /// <summary>Every agent and identified group in the statement (authority, instructor, team, members, sub-statement), for <c>related_agents</c>.</summary>
    public List<StatementAgent> RelatedAgents { get; set; } = [];

    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<StoredStatement>(statement =>
        {
            statement.ToTable("XapiStatements");
            statement.HasKey(s => s.Sequence);
            statement.HasIndex(s => s.Id).IsUnique();
            statement.Property(s => s.ActorKey).HasMaxLength(2048);
            statement.Property(s => s.ObjectAgentKey).HasMaxLength(2048);
            statement.Property(s => s.VerbId).HasMaxLength(2048);
            statement.Property(s => s.ActivityId).HasMaxLength(2048);
            // Each filter with the order of the results: the newest (or oldest) matching rows come straight off the index.
            // "Did this learner complete …": with the verb in the index the database need not guess which is rarer.
            // It serves the agent alone too: one learner's statements are few, and the agent query sorts them anyway.
            statement.HasIndex(s => new { s.ActorKey, s.VerbId, s.Sequence });
            // Few statements have an agent as object: a partial index, so no planner takes it for a scan of nulls.
            statement.HasIndex(s => new { s.ObjectAgentKey, s.VerbId, s.Sequence }).HasFilter("\"ObjectAgentKey\" IS NOT NULL");
            statement.HasIndex(s => new { s.VerbId, s.Sequence });
            statement.HasIndex(s => new { s.ActivityId, s.Sequence });
            statement.HasIndex(s => new { s.Registration, s.Sequence });
            statement.HasIndex(s => s.Stored);
            // Few statements void another: a partial index, so storing an ordinary statement adds nothing to it.
            statement.HasIndex(s => s.VoidsId).HasFilter("\"VoidsId\" IS NOT NULL");
            // The related rows are written with their statement, in its transaction, and never change or go: no
            // foreign key, whose indexes and checks made storing a batch about 15% slower (docs/benchmarks.md).
            statement.Ignore(s => s.RelatedActivities);
            statement.Ignore(s => s.RelatedAgents);
        });

        builder.Entity<StatementActivity>(activity =>
        {
            activity.ToTable("XapiStatementActivities");
            activity.HasKey(a => new { a.ActivityId, a.StatementSequence });
            activity.Property(a => a.ActivityId).HasMaxLength(2048);
        });

        builder.Entity<StatementAgent>(agent =>
        {
            agent.ToTable("XapiStatementAgents");
            agent.HasKey(a => new { a.AgentKey, a.StatementSequence });
            agent.Property(a => a.AgentKey).HasMaxLength(2048);
        });
    }
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
