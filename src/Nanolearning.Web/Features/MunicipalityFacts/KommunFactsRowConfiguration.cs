using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.MunicipalityFacts;

public sealed class KommunFactsRowConfiguration : IEntityTypeConfiguration<KommunFactsRow>
{
    public const int NameLength = 100;
    public const int PhoneLength = 40;
    public const int EmailLength = 254;
    public const int WebPageLength = 500;
    public const int OffersLength = 2000;

    public void Configure(EntityTypeBuilder<KommunFactsRow> row)
    {
        row.ToTable("KommunFacts");
        row.Property(r => r.Id).ValueGeneratedNever();
        row.Property(r => r.Name).HasMaxLength(NameLength);
        row.Property(r => r.Phone).HasMaxLength(PhoneLength);
        row.Property(r => r.Email).HasMaxLength(EmailLength);
        row.Property(r => r.WebPage).HasMaxLength(WebPageLength);
        row.Property(r => r.Offers).HasMaxLength(OffersLength);
    }
}
