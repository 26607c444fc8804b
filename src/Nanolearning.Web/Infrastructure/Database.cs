using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Nanolearning.Web.Infrastructure;

/// <summary>Chooses and prepares the database provider. SQLite is the embedded default; PostgreSQL comes for large installs.</summary>
public static class Database
{
    public const string DefaultConnectionString = "Data Source=App_Data/nanolearning.db";

    public static void Configure(DbContextOptionsBuilder db, IConfiguration configuration, IHostEnvironment environment)
    {
        var provider = configuration["Database:Provider"] ?? "Sqlite";
        var connectionString = configuration.GetConnectionString("Nanolearning") ?? DefaultConnectionString;
        switch (provider)
        {
            case "Sqlite":
                UseSqlite(db, SqliteFileUnder(environment.ContentRootPath, connectionString));
                break;
            default:
                throw new InvalidOperationException($"Database:Provider '{provider}' is not supported. Use 'Sqlite'.");
        }
    }

    /// <summary>SQLite as the app runs it; public for the benchmarks, so they measure the same settings.</summary>
    public static DbContextOptionsBuilder UseSqlite(DbContextOptionsBuilder db, string connectionString) =>
        db.UseSqlite(connectionString).AddInterceptors(WalSynchronousNormal.Instance);

    /// <summary>A unique index refused the row: on SQLite, SQLITE_CONSTRAINT_UNIQUE (2067) or _PRIMARYKEY (1555).</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is System.Data.Common.DbException inner && IsUniqueViolation(inner);

    /// <summary>The same, for an ADO.NET command of our own.</summary>
    public static bool IsUniqueViolation(System.Data.Common.DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: 2067 or 1555 };

    /// <summary>Applies migrations. On SQLite also turns on WAL, so readers never wait for the writer.</summary>
    public static async Task MigrateAsync(AppDbContext db, CancellationToken cancel = default)
    {
        await db.Database.MigrateAsync(cancel);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancel);
        }
    }

    /// <summary>A relative SQLite file is relative to the app's content root, and its folder is created.</summary>
    private static string SqliteFileUnder(string contentRoot, string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is not ("" or ":memory:") && builder.Mode != SqliteOpenMode.Memory)
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }

        return builder.ToString();
    }

    /// <summary>
    /// In WAL mode SQLite's default (FULL) syncs the disk on every commit; NORMAL syncs at checkpoints. The database
    /// stays consistent; a power cut may undo the last commits (a second of progress). Secure delete zeroes what a
    /// delete or an update frees, so personal data removed by gallring (or replaced by a pseudonym) does not linger in
    /// the file's free space; in WAL mode whole pages are written anyway, so it costs little. Both are per connection.
    /// </summary>
    private sealed class WalSynchronousNormal : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
    {
        public static readonly WalSynchronousNormal Instance = new();

        public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData) =>
            Pragma(connection);

        public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancel = default)
        {
            Pragma(connection);
            return Task.CompletedTask;
        }

        private static void Pragma(System.Data.Common.DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;";
            command.ExecuteNonQuery();
        }
    }
}
