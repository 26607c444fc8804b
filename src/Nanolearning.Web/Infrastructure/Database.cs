using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Nanolearning.Web.Infrastructure;

/// <summary>Chooses and prepares the database provider. SQLite is the embedded default; PostgreSQL comes for large installs.</summary>
public static class Database
{
    public const string DefaultConnectionString = "Data Source=App_Data/nanolearning.db";

    public const string Sqlite = "Sqlite";

    public const string PostgreSql = "PostgreSql";

    /// <summary>Database:Provider: <see cref="Sqlite"/> (the default) or <see cref="PostgreSql"/>.</summary>
    public static string Provider(IConfiguration configuration) => configuration["Database:Provider"] switch
    {
        null or "" or Sqlite => Sqlite,
        var named when named.Equals(PostgreSql, StringComparison.OrdinalIgnoreCase) => PostgreSql,
        var named when named.Equals(Sqlite, StringComparison.OrdinalIgnoreCase) => Sqlite,
        var named => throw new InvalidOperationException($"Database:Provider '{named}' is not supported. Use 'Sqlite' or 'PostgreSql'."),
    };

    /// <summary>
    /// Registers the pooled <see cref="AppDbContext"/> on the configured provider. On PostgreSQL the instances are
    /// <see cref="PostgreSqlDbContext"/>, which carries that provider's migrations; the app asks for AppDbContext either way.
    /// </summary>
    public static void AddAppDbContext(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var connectionString = configuration.GetConnectionString("Nanolearning");
        if (Provider(configuration) == PostgreSql)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Database:Provider is PostgreSql: set ConnectionStrings:Nanolearning to the PostgreSQL database (Host=…;Database=…;Username=…;Password=…).");
            }

            services.AddDbContextPool<AppDbContext, PostgreSqlDbContext>(db => UsePostgreSql(db, connectionString));
        }
        else
        {
            services.AddDbContextPool<AppDbContext>(db =>
                UseSqlite(db, SqliteFileUnder(environment.ContentRootPath, connectionString ?? DefaultConnectionString)));
        }
    }

    /// <summary>PostgreSQL as the app runs it.</summary>
    public static DbContextOptionsBuilder UsePostgreSql(DbContextOptionsBuilder db, string connectionString) =>
        db.UseNpgsql(WithPreparedStatements(connectionString));

    /// <summary>
    /// Npgsql prepares nothing unless told to, so PostgreSQL parsed and planned every statement of every page view
    /// anew: its CPU per lesson page fell from about 1.9 to 0.7 ms with automatic preparation
    /// (docs/benchmarks.md, issue 17). An operator's own Max Auto Prepare is kept: 0 turns it off, as a connection
    /// pooler in transaction mode may need.
    /// </summary>
    public static string WithPreparedStatements(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare"))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64 }.ToString();
    }

    /// <summary>SQLite as the app runs it; public for the benchmarks, so they measure the same settings.</summary>
    public static DbContextOptionsBuilder UseSqlite(DbContextOptionsBuilder db, string connectionString) =>
        db.UseSqlite(connectionString).AddInterceptors(WalSynchronousNormal.Instance, SqliteWriteQueue.Instance);

    /// <summary>A unique index refused the row: on SQLite, SQLITE_CONSTRAINT_UNIQUE (2067) or _PRIMARYKEY (1555); on
    /// PostgreSQL, unique_violation (23505).</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is System.Data.Common.DbException inner && IsUniqueViolation(inner);

    /// <summary>The same, for an ADO.NET command of our own.</summary>
    public static bool IsUniqueViolation(System.Data.Common.DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: 2067 or 1555 }
            or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

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

        /// <summary>The physical connections (SQLite handles) already set; the pool hands them out again and again.</summary>
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Set = [];

        private static void Pragma(System.Data.Common.DbConnection connection)
        {
            // Once per physical connection, not per open: an extra statement on every query cost about as much as
            // the query (docs/benchmarks.md, issue 18). A handle closed by the pool is collected, and its entry too.
            if (connection is SqliteConnection { Handle: { } handle })
            {
                if (Set.TryGetValue(handle, out _))
                {
                    return;
                }
            }

            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;";
            command.ExecuteNonQuery();
            if (connection is SqliteConnection { Handle: { } set })
            {
                Set.AddOrUpdate(set, set);
            }
        }
    }
}
