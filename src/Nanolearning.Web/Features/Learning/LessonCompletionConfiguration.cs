using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.Learning;

public sealed class LessonCompletionConfiguration : IEntityTypeConfiguration<LessonCompletion>
{
    public void Configure(EntityTypeBuilder<LessonCompletion> completion)
    {
        completion.Property(c => c.LessonId).HasMaxLength(100);
        completion.Property(c => c.ContentHash).HasMaxLength(64);
        completion.HasIndex(c => new { c.EnrolmentId, c.LessonId }).IsUnique();
    }
}
