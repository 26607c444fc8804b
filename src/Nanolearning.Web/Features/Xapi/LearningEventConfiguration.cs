using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.Xapi;

public sealed class LearningEventConfiguration : IEntityTypeConfiguration<LearningEvent>
{
    public void Configure(EntityTypeBuilder<LearningEvent> e)
    {
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.Verb).HasConversion<string>().HasMaxLength(20);
        e.Property(x => x.CourseId).HasMaxLength(100);
        e.Property(x => x.CourseVersion).HasMaxLength(64);
        e.Property(x => x.LessonId).HasMaxLength(100);
        e.Property(x => x.QuestionId).HasMaxLength(120);
        e.Property(x => x.Response).HasMaxLength(4000);
        e.Property(x => x.LastDeliveryError).HasMaxLength(1000);
        // The delivery job's question: which rows are undelivered and due, oldest first.
        e.HasIndex(x => new { x.DeliveredAt, x.NextAttemptAt, x.OccurredAt });
    }
}
