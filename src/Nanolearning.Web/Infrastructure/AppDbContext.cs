using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.AnnualWheel;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.HrImport;
using Nanolearning.Web.Features.Learning;
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

    /// <summary>The built-in LRS's statements.</summary>
    public DbSet<StoredStatement> XapiStatements => Set<StoredStatement>();

    public DbSet<StatementActivity> XapiStatementActivities => Set<StatementActivity>();

    public DbSet<StatementAgent> XapiStatementAgents => Set<StatementAgent>();

    /// <summary>The built-in LRS's documents: states, activity profiles and agent profiles.</summary>
    public DbSet<StoredDocument> XapiDocuments => Set<StoredDocument>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

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
        base.OnModelCreating(builder);

        builder.Entity<Unit>(unit =>
        {
            unit.Property(u => u.Name).HasMaxLength(200);
            unit.Property(u => u.Code).HasMaxLength(50);
            unit.HasIndex(u => u.Code).IsUnique();
            unit.Property(u => u.Kind).HasConversion<string>().HasMaxLength(20);
            unit.HasOne(u => u.Parent).WithMany().HasForeignKey(u => u.ParentId).OnDelete(DeleteBehavior.Restrict);
            unit.HasOne(u => u.Manager).WithMany().HasForeignKey(u => u.ManagerId).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<Learner>(learner =>
        {
            learner.Property(l => l.EmployeeNumber).HasMaxLength(50);
            learner.HasIndex(l => l.EmployeeNumber).IsUnique();
            learner.Property(l => l.FirstName).HasMaxLength(100);
            learner.Property(l => l.LastName).HasMaxLength(100);
            learner.Property(l => l.Email).HasMaxLength(256);
            learner.HasIndex(l => l.Email);
            learner.Property(l => l.JobTitle).HasMaxLength(200);
            learner.HasIndex(l => l.PseudonymKey).IsUnique();
            learner.HasOne(l => l.Unit).WithMany().HasForeignKey(l => l.UnitId).OnDelete(DeleteBehavior.Restrict);
            learner.Ignore(l => l.FullName);
            learner.Property(l => l.DigestDay).HasConversion<string>().HasMaxLength(10);
        });

        builder.Entity<Assignment>(assignment =>
        {
            assignment.Property(a => a.CourseId).HasMaxLength(100);
            assignment.Property(a => a.Origin).HasMaxLength(200);
            assignment.HasIndex(a => new { a.LearnerId, a.CourseId, a.DueOn }).IsUnique();
            assignment.HasIndex(a => a.EntryId);
            assignment.HasOne<AnnualWheelEntry>().WithMany().HasForeignKey(a => a.EntryId).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<AnnualWheelEntry>(entry =>
        {
            entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
            entry.Property(e => e.Title).HasMaxLength(200);
            entry.Property(e => e.CourseId).HasMaxLength(100);
            entry.Property(e => e.Note).HasMaxLength(4000);
            entry.HasOne(e => e.Unit).WithMany().HasForeignKey(e => e.UnitId).OnDelete(DeleteBehavior.Cascade);
            entry.HasIndex(e => e.UnitId);
        });

        builder.Entity<PendingImport>(import =>
        {
            import.Property(i => i.Id).ValueGeneratedNever();
            import.Property(i => i.UploadedBy).HasMaxLength(450);
            import.Property(i => i.FileName).HasMaxLength(260);
        });

        builder.Entity<Enrolment>(enrolment =>
        {
            // Ids made by the app (they double as xAPI registration and statement ids), so new rows reached through a
            // tracked enrolment are inserted, not updated.
            enrolment.Property(e => e.Id).ValueGeneratedNever();
            enrolment.Property(e => e.CourseId).HasMaxLength(100);
            enrolment.Property(e => e.CourseVersion).HasMaxLength(64);
            enrolment.Property(e => e.CurrentLessonId).HasMaxLength(100);
            enrolment.Ignore(e => e.IsCompleted);
            enrolment.HasIndex(e => new { e.LearnerId, e.CourseId });
            // One open enrolment per learner and course, even if "Starta" is pressed twice at once.
            enrolment.HasIndex(e => new { e.LearnerId, e.CourseId }, "IX_Enrolments_Open").IsUnique()
                .HasFilter("\"CompletedAt\" IS NULL");
            enrolment.HasMany(e => e.CompletedLessons).WithOne().HasForeignKey(c => c.EnrolmentId);
            enrolment.HasMany(e => e.Answers).WithOne().HasForeignKey(a => a.EnrolmentId);
            enrolment.HasMany(e => e.Attempts).WithOne().HasForeignKey(a => a.EnrolmentId);
            enrolment.HasMany(e => e.Events).WithOne().HasForeignKey(e => e.EnrolmentId);
            enrolment.HasOne(e => e.Learner).WithMany().HasForeignKey(e => e.LearnerId);
        });

        builder.Entity<LessonCompletion>(completion =>
        {
            completion.Property(c => c.LessonId).HasMaxLength(100);
            completion.Property(c => c.ContentHash).HasMaxLength(64);
            completion.HasIndex(c => new { c.EnrolmentId, c.LessonId }).IsUnique();
        });

        builder.Entity<Answer>(answer =>
        {
            answer.Property(a => a.LessonId).HasMaxLength(100);
            answer.Property(a => a.QuestionId).HasMaxLength(120);
            answer.Property(a => a.Response).HasMaxLength(4000);
            answer.HasIndex(a => new { a.EnrolmentId, a.SubmissionId, a.QuestionId }).IsUnique();
            answer.Ignore(a => a.ChosenOptions);
        });

        builder.Entity<QuizAttempt>(attempt =>
        {
            attempt.HasIndex(a => new { a.EnrolmentId, a.SubmissionId }).IsUnique();
            attempt.HasIndex(a => new { a.EnrolmentId, a.Number }).IsUnique();
            attempt.HasMany(a => a.Answers).WithOne().HasForeignKey(a => a.QuizAttemptId);
        });

        builder.Entity<LearningEvent>(e =>
        {
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Verb).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.CourseId).HasMaxLength(100);
            e.Property(x => x.CourseVersion).HasMaxLength(64);
            e.Property(x => x.LessonId).HasMaxLength(100);
            e.Property(x => x.QuestionId).HasMaxLength(120);
            e.Property(x => x.Response).HasMaxLength(4000);
            e.Property(x => x.LastDeliveryError).HasMaxLength(1000);
            // The delivery job's question: which rows are undelivered and due, oldest first.
            e.HasIndex(x => new { x.DeliveredAt, x.NextAttemptAt, x.OccurredAt });
        });

        builder.Entity<Reminder>(reminder =>
        {
            reminder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
            reminder.Property(r => r.Reason).HasMaxLength(100);
            reminder.Property(r => r.CourseId).HasMaxLength(100);
            reminder.HasIndex(r => new { r.LearnerId, r.Reason, r.Date }).IsUnique();
            reminder.HasIndex(r => r.MailId);
            reminder.HasOne(r => r.Learner).WithMany().HasForeignKey(r => r.LearnerId);
            reminder.HasOne(r => r.Assignment).WithMany().HasForeignKey(r => r.AssignmentId).OnDelete(DeleteBehavior.SetNull);
            reminder.HasOne(r => r.Mail).WithMany(m => m.Reminders).HasForeignKey(r => r.MailId).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<ReminderMail>(mail =>
        {
            mail.Property(m => m.State).HasConversion<string>().HasMaxLength(20);
            mail.Property(m => m.LastError).HasMaxLength(1000);
            mail.HasIndex(m => new { m.LearnerId, m.Day }).IsUnique();
            mail.HasIndex(m => new { m.State, m.NextAttemptAt });
            mail.HasOne(m => m.Learner).WithMany().HasForeignKey(m => m.LearnerId);
        });
        StoredStatement.Configure(builder);
        StoredDocument.Configure(builder);

        builder.Entity<StoredCourseVersion>(version =>
        {
            version.HasKey(v => new { v.CourseId, v.Version });
            version.Property(v => v.CourseId).HasMaxLength(100);
            version.Property(v => v.Version).HasMaxLength(64);
            version.Property(v => v.Title).HasMaxLength(300);
        });

        builder.Entity<AppUser>().HasIndex(u => u.LearnerId).IsUnique();
        builder.Entity<AppUser>().Property(u => u.CalendarTokenHash).HasMaxLength(64);
        // Calendar apps fetch feeds by token: look the user up by its hash without reading every user.
        builder.Entity<AppUser>().HasIndex(u => u.CalendarTokenHash).IsUnique();
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
