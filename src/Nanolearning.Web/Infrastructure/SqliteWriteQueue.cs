using System.Collections.Concurrent;

namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// Lets one SaveChanges at a time write to a SQLite file. SQLite has a single writer anyway; when writers collide,
/// Microsoft.Data.Sqlite retries a busy database with 150 ms sleeps, so many learners answering at once would queue
/// on sleeps and, past the command timeout, fail with "database is locked". Queueing them here instead costs
/// nothing and never fails. SQLite serves one app instance; several instances run on PostgreSQL.
/// </summary>
public static class SqliteWriteQueue
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Writers = new(StringComparer.Ordinal);

    public static SemaphoreSlim For(string dataSource) => Writers.GetOrAdd(dataSource, _ => new SemaphoreSlim(1, 1));
}
