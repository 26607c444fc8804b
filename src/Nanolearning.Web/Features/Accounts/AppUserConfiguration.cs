using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>What the app adds to Identity's own mapping of the user (AppDbContext applies Identity's first).</summary>
public sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> user)
    {
        user.HasIndex(u => u.LearnerId).IsUnique();
        user.Property(u => u.CalendarTokenHash).HasMaxLength(64);
        // Calendar apps fetch feeds by token: look the user up by its hash without reading every user.
        user.HasIndex(u => u.CalendarTokenHash).IsUnique();
    }
}
