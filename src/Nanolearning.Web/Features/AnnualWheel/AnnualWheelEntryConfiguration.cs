using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.AnnualWheel;

public sealed class AnnualWheelEntryConfiguration : IEntityTypeConfiguration<AnnualWheelEntry>
{
    public void Configure(EntityTypeBuilder<AnnualWheelEntry> entry)
    {
        entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
        entry.Property(e => e.Title).HasMaxLength(200);
        entry.Property(e => e.CourseId).HasMaxLength(100);
        entry.Property(e => e.Note).HasMaxLength(4000);
        entry.HasOne(e => e.Unit).WithMany().HasForeignKey(e => e.UnitId).OnDelete(DeleteBehavior.Cascade);
        entry.HasIndex(e => e.UnitId);
    }
}
