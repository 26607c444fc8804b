using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nanolearning.Web.Features.AnnualWheel;

namespace Nanolearning.Web.Features.Assignments;

public sealed class AssignmentConfiguration : IEntityTypeConfiguration<Assignment>
{
    public void Configure(EntityTypeBuilder<Assignment> assignment)
    {
        assignment.Property(a => a.CourseId).HasMaxLength(100);
        assignment.Property(a => a.Origin).HasMaxLength(200);
        assignment.HasIndex(a => new { a.LearnerId, a.CourseId, a.DueOn }).IsUnique();
        assignment.HasIndex(a => a.EntryId);
        assignment.HasOne<AnnualWheelEntry>().WithMany().HasForeignKey(a => a.EntryId).OnDelete(DeleteBehavior.SetNull);
    }
}
