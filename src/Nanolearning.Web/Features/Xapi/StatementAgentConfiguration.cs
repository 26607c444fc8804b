using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.Xapi;

public sealed class StatementAgentConfiguration : IEntityTypeConfiguration<StatementAgent>
{
    public void Configure(EntityTypeBuilder<StatementAgent> agent)
    {
        agent.ToTable("XapiStatementAgents");
        agent.HasKey(a => new { a.AgentKey, a.StatementSequence });
        agent.Property(a => a.AgentKey).HasMaxLength(2048);
    }
}
