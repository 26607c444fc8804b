using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.ErrorReports;

public sealed class ErrorReportConfiguration : IEntityTypeConfiguration<ErrorReport>
{
    public void Configure(EntityTypeBuilder<ErrorReport> report)
    {
        report.ToTable("ErrorReports");
        report.Property(r => r.CourseId).HasMaxLength(100);
        report.Property(r => r.CourseVersion).HasMaxLength(40);
        report.Property(r => r.LessonId).HasMaxLength(100);
        report.Property(r => r.LessonTitle).HasMaxLength(300);
        report.Property(r => r.Text).HasMaxLength(ErrorReport.MaxTextLength);
        // The admin list shows open reports first, newest first; gallring finds old handled ones.
        report.HasIndex(r => new { r.HandledAt, r.ReportedAt });
    }
}
