using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Nanolearning.Web.Data;

/// <summary>
/// Lets one SaveChanges at a time write to SQLite. SQLite has a single writer anyway; when writers collide,
/// Microsoft.Data.Sqlite retries a busy database with 150 ms sleeps, so many learners answering at once would queue
/// on sleeps and, past the command timeout, fail with "database is locked". Queueing them here instead costs
/// nothing and never fails. SQLite serves one app instance; several instances run on PostgreSQL.
/// </summary>
public sealed class SqliteWriteLock : SaveChangesInterceptor
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        _writer.Wait();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await _writer.WaitAsync(cancellationToken);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result) => Release(result);

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Release(result));

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Release(0);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(0);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Release(0);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(0);
        return Task.CompletedTask;
    }

    private int Release(int result)
    {
        _writer.Release();
        return result;
    }
}
