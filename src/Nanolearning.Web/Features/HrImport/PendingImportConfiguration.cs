using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.HrImport;

public sealed class PendingImportConfiguration : IEntityTypeConfiguration<PendingImport>
{
    public void Configure(EntityTypeBuilder<PendingImport> import)
    {
        import.Property(i => i.Id).ValueGeneratedNever();
        import.Property(i => i.UploadedBy).HasMaxLength(450);
        import.Property(i => i.FileName).HasMaxLength(260);
    }
}
