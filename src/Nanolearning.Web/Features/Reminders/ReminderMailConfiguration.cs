using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.Reminders;

public sealed class ReminderMailConfiguration : IEntityTypeConfiguration<ReminderMail>
{
    public void Configure(EntityTypeBuilder<ReminderMail> mail)
    {
        mail.Property(m => m.State).HasConversion<string>().HasMaxLength(20);
        mail.Property(m => m.LastError).HasMaxLength(1000);
        mail.HasIndex(m => new { m.LearnerId, m.Day }).IsUnique();
        mail.HasIndex(m => new { m.State, m.NextAttemptAt });
        mail.HasOne(m => m.Learner).WithMany().HasForeignKey(m => m.LearnerId);
    }
}
