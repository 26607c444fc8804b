using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.Reminders;

public sealed class ReminderConfiguration : IEntityTypeConfiguration<Reminder>
{
    public void Configure(EntityTypeBuilder<Reminder> reminder)
    {
        reminder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
        reminder.Property(r => r.Reason).HasMaxLength(100);
        reminder.Property(r => r.CourseId).HasMaxLength(100);
        reminder.HasIndex(r => new { r.LearnerId, r.Reason, r.Date }).IsUnique();
        reminder.HasIndex(r => r.MailId);
        reminder.HasOne(r => r.Learner).WithMany().HasForeignKey(r => r.LearnerId);
        reminder.HasOne(r => r.Assignment).WithMany().HasForeignKey(r => r.AssignmentId).OnDelete(DeleteBehavior.SetNull);
        reminder.HasOne(r => r.Mail).WithMany(m => m.Reminders).HasForeignKey(r => r.MailId).OnDelete(DeleteBehavior.SetNull);
    }
}
