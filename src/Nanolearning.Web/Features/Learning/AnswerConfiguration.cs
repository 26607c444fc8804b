using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.Learning;

public sealed class AnswerConfiguration : IEntityTypeConfiguration<Answer>
{
    public void Configure(EntityTypeBuilder<Answer> answer)
    {
        answer.Property(a => a.LessonId).HasMaxLength(100);
        answer.Property(a => a.QuestionId).HasMaxLength(120);
        answer.Property(a => a.Response).HasMaxLength(4000);
        answer.HasIndex(a => new { a.EnrolmentId, a.SubmissionId, a.QuestionId }).IsUnique();
        answer.Ignore(a => a.ChosenOptions);
    }
}
