using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.Organisation;

public sealed class LearnerConfiguration : IEntityTypeConfiguration<Learner>
{
    public void Configure(EntityTypeBuilder<Learner> learner)
    {
        learner.Property(l => l.EmployeeNumber).HasMaxLength(50);
        learner.HasIndex(l => l.EmployeeNumber).IsUnique();
        learner.Property(l => l.FirstName).HasMaxLength(100);
        learner.Property(l => l.LastName).HasMaxLength(100);
        learner.Property(l => l.Email).HasMaxLength(256);
        learner.HasIndex(l => l.Email);
        learner.Property(l => l.JobTitle).HasMaxLength(200);
        learner.HasIndex(l => l.PseudonymKey).IsUnique();
        learner.HasOne(l => l.Unit).WithMany().HasForeignKey(l => l.UnitId).OnDelete(DeleteBehavior.Restrict);
        learner.Ignore(l => l.FullName);
        learner.Property(l => l.DigestDay).HasConversion<string>().HasMaxLength(10);
    }
}
