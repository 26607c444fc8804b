using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.Xapi;

public sealed class StatementActivityConfiguration : IEntityTypeConfiguration<StatementActivity>
{
    public void Configure(EntityTypeBuilder<StatementActivity> activity)
    {
        activity.ToTable("XapiStatementActivities");
        activity.HasKey(a => new { a.ActivityId, a.StatementSequence });
        activity.Property(a => a.ActivityId).HasMaxLength(2048);
    }
}
