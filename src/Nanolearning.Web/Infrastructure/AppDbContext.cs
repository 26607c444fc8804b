using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.AnnualWheel;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.FollowUp;
using Nanolearning.Web.Features.HrImport;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Features.MunicipalityFacts;
using Nanolearning.Web.Features.ErrorReports;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Features.Xapi;

namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// The app's one database: organisation, progress, outbox, Identity and Data Protection keys. Written so the same
/// model runs on SQLite and PostgreSQL: UTC DateTime and DateOnly, no provider-specific column types.
/// </summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options)
    : IdentityDbContext<AppUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    public DbSet<Unit> Units => Set<Unit>();

    public DbSet<Learner> Learners => Set<Learner>();

    public DbSet<Assignment> Assignments => Set<Assignment>();

    public DbSet<AnnualWheelEntry> AnnualWheelEntries => Set<AnnualWheelEntry>();

    public DbSet<PendingImport> PendingImports => Set<PendingImport>();

    public DbSet<Enrolment> Enrolments => Set<Enrolment>();

    public DbSet<LessonCompletion> LessonCompletions => Set<LessonCompletion>();

    public DbSet<Answer> Answers => Set<Answer>();

    public DbSet<QuizAttempt> QuizAttempts => Set<QuizAttempt>();

    public DbSet<LearningEvent> LearningEvents => Set<LearningEvent>();

    public DbSet<Reminder> Reminders => Set<Reminder>();

    public DbSet<ReminderMail> ReminderMails => Set<ReminderMail>();

    public DbSet<StoredCourseVersion> CourseVersions => Set<StoredCourseVersion>();

    /// <summary>The kommun's own facts that lessons name (one row).</summary>
    public DbSet<KommunFactsRow> KommunFacts => Set<KommunFactsRow>();

    /// <summary>Learners' "Rapportera fel" notes about a lesson.</summary>
    public DbSet<ErrorReport> ErrorReports => Set<ErrorReport>();

    /// <summary>The built-in LRS's statements.</summary>
    public DbSet<StoredStatement> XapiStatements => Set<StoredStatement>();

    public DbSet<StatementActivity> XapiStatementActivities => Set<StatementActivity>();

    public DbSet<StatementAgent> XapiStatementAgents => Set<StatementAgent>();

    /// <summary>The built-in LRS's documents: states, activity profiles and agent profiles.</summary>
    public DbSet<StoredDocument> XapiDocuments => Set<StoredDocument>();
    public DbSet<StoredAttachment> XapiAttachments => Set<StoredAttachment>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>A delivery channel (the mail server, the external LRS) failing as a whole, while it does.</summary>
    public DbSet<DeliveryProblem> DeliveryProblems => Set<DeliveryProblem>();

    /// <summary>The granskningslogg: who saw or acted on person-level data, and when.</summary>
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>Set while this context holds the SQLite write queue for a whole transaction of its own.</summary>
    private bool _holdsWriter;

    /// <summary>
    /// Begins a transaction for work that needs several writes to succeed or fail together (an HR import, deleting an
    /// årshjul entry with its assignments). On SQLite it holds the write queue until the transaction ends: otherwise a
    /// learner's save, queued first, would wait for this transaction's lock while this transaction's next save waited
    /// for the queue, and the learner's save would fail.
    /// </summary>
    public async Task<WriteTransaction> BeginWriteTransactionAsync(CancellationToken cancel)
    {
        var writer = SqliteWriter();
        if (writer is not null)
        {
            await writer.WaitAsync(cancel);
        }

        try
        {
            var transaction = await Database.BeginTransactionAsync(cancel);
            _holdsWriter = writer is not null;
            return new WriteTransaction(transaction, () =>
            {
                _holdsWriter = false;
                writer?.Release();
            });
        }
        catch
        {
            writer?.Release();
            throw;
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var writer = _holdsWriter ? null : SqliteWriter();
        writer?.Wait();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            writer?.Release();
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var writer = _holdsWriter ? null : SqliteWriter();
        if (writer is not null)
        {
            await writer.WaitAsync(cancellationToken);
        }

        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            writer?.Release();
        }
    }

    /// <summary>On SQLite, the queue every save to this file waits in (see <see cref="SqliteWriteQueue"/>).</summary>
    private SemaphoreSlim? SqliteWriter() =>
        Database.IsSqlite() ? SqliteWriteQueue.For(Database.GetDbConnection().DataSource) : null;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        // Identity's tables first: AppUserConfiguration adds to its mapping of the user.
        base.OnModelCreating(builder);
        // Each entity's mapping lives beside it in its feature, as an IEntityTypeConfiguration<T>.
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }
}

/// <summary>A transaction that, on SQLite, keeps the write queue until it is committed or disposed.</summary>
public sealed class WriteTransaction(IDbContextTransaction transaction, Action release) : IAsyncDisposable
{
    private bool _released;

    public Task CommitAsync(CancellationToken cancel) => transaction.CommitAsync(cancel);

    public async ValueTask DisposeAsync()
    {
        // Disposing without a commit rolls back; the queue is released either way, once.
        await transaction.DisposeAsync();
        if (!_released)
        {
            _released = true;
            release();
        }
    }
}
