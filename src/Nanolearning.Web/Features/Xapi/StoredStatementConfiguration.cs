using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.Xapi;

public sealed class StoredStatementConfiguration : IEntityTypeConfiguration<StoredStatement>
{
    public void Configure(EntityTypeBuilder<StoredStatement> statement)
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
        // Few statements refer to another: partial, like VoidsId.
        statement.HasIndex(s => s.TargetId).HasFilter("\"TargetId\" IS NOT NULL");
        // The related rows are written with their statement, in its transaction, and never change or go: no
        // foreign key, whose indexes and checks made storing a batch about 15% slower (docs/benchmarks.md).
        statement.Ignore(s => s.RelatedActivities);
        statement.Ignore(s => s.RelatedAgents);
    }
}

public sealed class StoredAttachmentConfiguration : IEntityTypeConfiguration<StoredAttachment>
{
    public void Configure(EntityTypeBuilder<StoredAttachment> attachment)
    {
        attachment.ToTable("XapiAttachments");
        attachment.HasKey(a => a.Sha2);
        attachment.Property(a => a.Sha2).HasMaxLength(128);
        attachment.Property(a => a.ContentType).HasMaxLength(255);
    }
}
