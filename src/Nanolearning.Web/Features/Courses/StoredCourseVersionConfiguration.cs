using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.Courses;

public sealed class StoredCourseVersionConfiguration : IEntityTypeConfiguration<StoredCourseVersion>
{
    public void Configure(EntityTypeBuilder<StoredCourseVersion> version)
    {
        version.HasKey(v => new { v.CourseId, v.Version });
        version.Property(v => v.CourseId).HasMaxLength(100);
        version.Property(v => v.Version).HasMaxLength(64);
        version.Property(v => v.Title).HasMaxLength(300);
    }
}
