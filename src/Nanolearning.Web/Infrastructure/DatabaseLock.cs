using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// A lock shared by every app instance on one PostgreSQL database: a session-level advisory lock
/// (<c>pg_advisory_lock</c>) on a connection of its own, outside the pool, so it is let go when the holder disposes it
/// or when its process dies and the server closes the session. On SQLite there is one instance and nothing to lock.
/// </summary>
public sealed class DatabaseLock : IAsyncDisposable
{
    /// <summary>Migrations, roles, publishing the courses, the demo seed and the first planning run: one instance at a time.</summary>
    public const string StartUp = "nanolearning:start-up";

    /// <summary>The assignment planner: at start-up, hourly, after a save or an import; one run at a time across instances.</summary>
    public const string Planning = "nanolearning:assignment-planning";

    /// <summary>The xAPI outbox: one instance delivers at a time, so no statement travels twice (<c>StatementDelivery</c>).</summary>
    public const string XapiDelivery = "nanolearning:xapi-delivery";

    private readonly NpgsqlConnection? _connection;

    private DatabaseLock(NpgsqlConnection? connection) => _connection = connection;

    /// <summary>
    /// Waits until this instance holds <paramref name="name"/>. With <paramref name="createDatabase"/> a database that
    /// does not exist yet is created first (as migrations would), so instances starting on an empty server can lock it.
    /// </summary>
    public static async Task<DatabaseLock> AcquireAsync(AppDbContext db, string name, CancellationToken cancel = default, bool createDatabase = false)
    {
        if (!db.Database.IsNpgsql())
        {
            return new(null);
        }

        if (createDatabase)
        {
            await CreateIfMissingAsync(db, cancel);
        }

        return (await LockAsync(db, "pg_advisory_lock", name, cancel))!;
    }

    /// <summary>This instance holds <paramref name="name"/>, or null at once when another instance holds it.</summary>
    public static async Task<DatabaseLock?> TryAcquireAsync(AppDbContext db, string name, CancellationToken cancel = default) =>
        db.Database.IsNpgsql() ? await LockAsync(db, "pg_try_advisory_lock", name, cancel) : new(null);

    private static async Task<DatabaseLock?> LockAsync(AppDbContext db, string function, string name, CancellationToken cancel)
    {

        var connectionString = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString())
        {
            // The lock belongs to the session: a pooled connection would keep it after Dispose.
            Pooling = false,
            // Waiting for the lock is not a slow query.
            CommandTimeout = 0,
        };
        var connection = new NpgsqlConnection(connectionString.ToString());
        try
        {
            await connection.OpenAsync(cancel);
            await using var command = new NpgsqlCommand($"SELECT {function}(hashtext(@name))::text", connection);
            command.Parameters.AddWithValue("name", name);
            // pg_advisory_lock returns void (""), pg_try_advisory_lock whether it got the lock.
            if (await command.ExecuteScalarAsync(cancel) is "false")
            {
                await connection.DisposeAsync();
                return null;
            }

            return new(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            // Closing the session lets the lock go.
            await _connection.DisposeAsync();
        }
    }

    /// <summary>
    /// Two instances may both find the database missing; the one that loses the race finds it made (42P04, or 23505 on
    /// pg_database's own index). Done here rather than by EF's creator, which logs the lost race as an error.
    /// </summary>
    private static async Task CreateIfMissingAsync(AppDbContext db, CancellationToken cancel)
    {
        var target = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
        var name = target.Database ?? throw new InvalidOperationException("ConnectionStrings:Nanolearning names no Database.");
        var maintenance = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancel);
        await using (var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection))
        {
            exists.Parameters.AddWithValue("name", name);
            if ((long)(await exists.ExecuteScalarAsync(cancel))! > 0)
            {
                return;
            }
        }

        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancel);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
        }
    }
}
