using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.Learning;

public sealed class EnrolmentConfiguration : IEntityTypeConfiguration<Enrolment>
{
    public void Configure(EntityTypeBuilder<Enrolment> enrolment)
    {
        // Ids made by the app (they double as xAPI registration and statement ids), so new rows reached through a
        // tracked enrolment are inserted, not updated.
        enrolment.Property(e => e.Id).ValueGeneratedNever();
        enrolment.Property(e => e.CourseId).HasMaxLength(100);
        enrolment.Property(e => e.CourseVersion).HasMaxLength(64);
        enrolment.Property(e => e.CurrentLessonId).HasMaxLength(100);
        enrolment.Ignore(e => e.IsCompleted);
        enrolment.HasIndex(e => new { e.LearnerId, e.CourseId });
        // One open enrolment per learner and course, even if "Starta" is pressed twice at once.
        enrolment.HasIndex(e => new { e.LearnerId, e.CourseId }, "IX_Enrolments_Open").IsUnique()
            .HasFilter("\"CompletedAt\" IS NULL");
        enrolment.HasMany(e => e.CompletedLessons).WithOne().HasForeignKey(c => c.EnrolmentId);
        enrolment.HasMany(e => e.Answers).WithOne().HasForeignKey(a => a.EnrolmentId);
        enrolment.HasMany(e => e.Attempts).WithOne().HasForeignKey(a => a.EnrolmentId);
        enrolment.HasMany(e => e.Events).WithOne().HasForeignKey(e => e.EnrolmentId);
        enrolment.HasOne(e => e.Learner).WithMany().HasForeignKey(e => e.LearnerId);
    }
}
