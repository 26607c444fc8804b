using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.FollowUp;

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public const int SubjectLength = 1000;

    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("AuditEntries");
        entry.Property(e => e.UserId).HasMaxLength(450);
        entry.Property(e => e.UserName).HasMaxLength(256);
        entry.Property(e => e.Action).HasConversion<string>().HasMaxLength(30);
        entry.Property(e => e.Subject).HasMaxLength(SubjectLength);
        // The admin page reads newest first, a page at a time.
        entry.HasIndex(e => e.At);
    }
}
