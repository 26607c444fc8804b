using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// Lets one SaveChanges or one transaction at a time write to a SQLite file. SQLite has a single writer anyway; when
/// writers collide, Microsoft.Data.Sqlite retries a busy database with 150 ms sleeps, so many learners answering at
/// once would queue on sleeps and, past the command timeout, fail with "database is locked". Queueing them here
/// instead costs nothing and never fails. SQLite only: it serves one app instance, and PostgreSQL, which several
/// instances share, locks rows itself and needs no queue.
/// </summary>
/// <remarks>
/// An interceptor, so the pooled <see cref="AppDbContext"/> carries no state of its own. A transaction takes the queue
/// when it begins and gives it back when it is committed or rolled back, or when its connection closes (a transaction
/// disposed without either); a SaveChanges outside a transaction holds it for the save. Which connection holds the
/// queue, and since what, is kept here beside the queue, keyed by the connection.
/// </remarks>
public sealed class SqliteWriteQueue : DbConnectionInterceptor, ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Writers = new(StringComparer.Ordinal);

    public static readonly SqliteWriteQueue Instance = new();

    /// <summary>What made a connection take the queue: a save of its own or a transaction.</summary>
    private enum Holder { Save, Transaction }

    private sealed class Hold(SemaphoreSlim queue, Holder holder)
    {
        public SemaphoreSlim Queue { get; } = queue;

        public Holder Holder { get; } = holder;
    }

    private readonly ConditionalWeakTable<DbConnection, Hold> _holds = new();

    private SqliteWriteQueue()
    {
    }

    /// <summary>The queue of one SQLite file, for work that writes outside EF's saves (a WAL checkpoint).</summary>
    public static SemaphoreSlim For(string dataSource) => Writers.GetOrAdd(dataSource, _ => new SemaphoreSlim(1, 1));

    // A transaction: the queue from its start to its end.
    InterceptionResult<DbTransaction> IDbTransactionInterceptor.TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Take(connection, Holder.Transaction, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    async ValueTask<InterceptionResult<DbTransaction>> IDbTransactionInterceptor.TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancel)
    {
        await Take(connection, Holder.Transaction, cancel);
        return result;
    }

    void IDbTransactionInterceptor.TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Give(Connection(eventData, transaction), Holder.Transaction);

    Task IDbTransactionInterceptor.TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancel)
    {
        Give(Connection(eventData, transaction), Holder.Transaction);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Give(Connection(eventData, transaction), Holder.Transaction);

    Task IDbTransactionInterceptor.TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancel)
    {
        Give(Connection(eventData, transaction), Holder.Transaction);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Give(Connection(eventData, transaction), Holder.Transaction);

    Task IDbTransactionInterceptor.TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancel)
    {
        Give(Connection(eventData, transaction), Holder.Transaction);
        return Task.CompletedTask;
    }

    // A save outside a transaction: the queue for the save (its own transaction, if EF begins one, finds it held).
    InterceptionResult<int> ISaveChangesInterceptor.SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Take(Connection(eventData), Holder.Save, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    async ValueTask<InterceptionResult<int>> ISaveChangesInterceptor.SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancel)
    {
        await Take(Connection(eventData), Holder.Save, cancel);
        return result;
    }

    int ISaveChangesInterceptor.SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Give(Connection(eventData), Holder.Save);
        return result;
    }

    ValueTask<int> ISaveChangesInterceptor.SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancel)
    {
        Give(Connection(eventData), Holder.Save);
        return ValueTask.FromResult(result);
    }

    void ISaveChangesInterceptor.SaveChangesFailed(DbContextErrorEventData eventData) => Give(Connection(eventData), Holder.Save);

    Task ISaveChangesInterceptor.SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancel)
    {
        Give(Connection(eventData), Holder.Save);
        return Task.CompletedTask;
    }

    void ISaveChangesInterceptor.SaveChangesCanceled(DbContextEventData eventData) => Give(Connection(eventData), Holder.Save);

    Task ISaveChangesInterceptor.SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancel)
    {
        Give(Connection(eventData), Holder.Save);
        return Task.CompletedTask;
    }

    // A transaction disposed without a commit or a rollback ends when its connection closes; so does anything left.
    public override void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Give(connection, holder: null);

    public override Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Give(connection, holder: null);
        return Task.CompletedTask;
    }

    /// <summary>A committed transaction has let go of its connection; the context has not.</summary>
    private static DbConnection? Connection(TransactionEventData eventData, DbTransaction transaction) =>
        eventData.Context is { } context ? Connection(context) : transaction.Connection;

    private static DbConnection Connection(DbContextEventData eventData) => Connection(eventData.Context!);

    private static DbConnection Connection(Microsoft.EntityFrameworkCore.DbContext context) =>
        Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetDbConnection(context.Database);

    /// <summary>Waits for the queue unless this connection holds it already (a save inside its transaction).</summary>
    private async Task Take(DbConnection connection, Holder holder, CancellationToken cancel)
    {
        if (_holds.TryGetValue(connection, out _))
        {
            return;
        }

        var queue = For(connection.DataSource);
        await queue.WaitAsync(cancel);
        _holds.AddOrUpdate(connection, new Hold(queue, holder));
    }

    /// <summary>Gives the queue back if <paramref name="holder"/> took it (null: whoever took it).</summary>
    private void Give(DbConnection? connection, Holder? holder)
    {
        if (connection is not null && _holds.TryGetValue(connection, out var hold) && (holder is null || hold.Holder == holder) && _holds.Remove(connection))
        {
            hold.Queue.Release();
        }
    }
}
