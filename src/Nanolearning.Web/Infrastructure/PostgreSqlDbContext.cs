using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// The app's database on PostgreSQL: the same model as <see cref="AppDbContext"/>, which the app injects everywhere,
/// with migrations of its own (Infrastructure/Migrations/PostgreSql), since a migration's SQL and column types are
/// the provider's. Add one beside each SQLite migration:
/// <c>dotnet ef migrations add Name --project src/Nanolearning.Web --context PostgreSqlDbContext --output-dir Infrastructure/Migrations/PostgreSql</c>.
/// </summary>
public sealed class PostgreSqlDbContext(DbContextOptions<PostgreSqlDbContext> options) : AppDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        base.ConfigureConventions(configuration);
        // The entities store UTC DateTimes (timestamptz here). Npgsql refuses a DateTime of another kind, and some
        // come back from the app unmarked (read from a form, from SQLite-era code paths): all are UTC by convention.
        configuration.Properties<DateTime>().HaveConversion<UtcDateTime>();
        configuration.Properties<DateTime?>().HaveConversion<UtcDateTime>();
    }

    private sealed class UtcDateTime() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>For <c>dotnet ef</c>: a PostgreSQL context to diff the model with; it never connects.</summary>
public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlDbContext>
{
    public PostgreSqlDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<PostgreSqlDbContext>)Database.UsePostgreSql(new DbContextOptionsBuilder<PostgreSqlDbContext>(), "Host=localhost;Database=nanolearning").Options);
}
