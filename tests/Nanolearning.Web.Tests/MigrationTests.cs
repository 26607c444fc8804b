using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>
/// Both providers' migrations describe the model: a change to an entity without a migration for SQLite and one for
/// PostgreSQL fails here, whichever provider the rest of the suite runs on. Neither context connects to a database.
/// </summary>
public sealed class MigrationTests
{
    [Fact]
    public void The_sqlite_migrations_describe_the_model()
    {
        using var db = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.False(db.Database.HasPendingModelChanges(),
            "The model differs from the SQLite migrations' snapshot: add a migration (dotnet ef migrations add Name --project src/Nanolearning.Web --context AppDbContext).");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void The_postgresql_migrations_describe_the_model()
    {
        using var db = new PostgreSqlDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(),
            "The model differs from the PostgreSQL migrations' snapshot: add a migration (dotnet ef migrations add Name --project src/Nanolearning.Web --context PostgreSqlDbContext --output-dir Infrastructure/Migrations/PostgreSql).");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void Each_provider_sees_only_its_own_migrations()
    {
        using var sqlite = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseSqlite("Data Source=:memory:").Options);
        using var postgreSql = new PostgreSqlDesignTimeFactory().CreateDbContext([]);
        Assert.Empty(sqlite.Database.GetMigrations().Intersect(postgreSql.Database.GetMigrations()));
    }
}
