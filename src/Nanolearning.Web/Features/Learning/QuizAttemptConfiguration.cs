using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.Learning;

public sealed class QuizAttemptConfiguration : IEntityTypeConfiguration<QuizAttempt>
{
    public void Configure(EntityTypeBuilder<QuizAttempt> attempt)
    {
        attempt.HasIndex(a => new { a.EnrolmentId, a.SubmissionId }).IsUnique();
        attempt.HasIndex(a => new { a.EnrolmentId, a.Number }).IsUnique();
        attempt.HasMany(a => a.Answers).WithOne().HasForeignKey(a => a.QuizAttemptId);
    }
}
