using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.Xapi;

public sealed class StoredDocumentConfiguration : IEntityTypeConfiguration<StoredDocument>
{
    public void Configure(EntityTypeBuilder<StoredDocument> document)
    {
        document.ToTable("XapiDocuments");
        document.Property(d => d.Kind).HasConversion<string>().HasMaxLength(20);
        document.Property(d => d.ActivityId).HasMaxLength(DocumentAddress.MaxIdLength);
        document.Property(d => d.AgentKey).HasMaxLength(DocumentAddress.MaxIdLength);
        document.Property(d => d.Registration).HasMaxLength(36);
        document.Property(d => d.DocumentId).HasMaxLength(DocumentAddress.MaxIdLength);
        document.Property(d => d.ContentType).HasMaxLength(255);
        document.Property(d => d.Etag).HasMaxLength(40)
            // An update is written only if the document is still the one read: two clients merging at once
            // cannot lose one merge, and an If-Match checked on read still holds when the write lands.
            .IsConcurrencyToken();
        // What identifies a document; the agent before the activity, so an agent's profiles are a prefix too.
        document.HasIndex(d => new { d.Kind, d.AgentKey, d.ActivityId, d.Registration, d.DocumentId }).IsUnique();
    }
}
