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
public class AppDbContext : IdentityDbContext<AppUser, IdentityRole, string>, IDataProtectionKeyContext
{
    public AppDbContext(DbContextOptions<AppDbContext> options)
        : base(options)
    {
    }

    /// <summary>For <see cref="PostgreSqlDbContext"/>: the same model with its own migrations.</summary>
    protected AppDbContext(DbContextOptions options)
        : base(options)
    {
    }

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

    /// <summary>
    /// Begins a transaction for work that needs several writes to succeed or fail together (an HR import, deleting an
    /// årshjul entry with its assignments). On SQLite it holds the write queue (<see cref="SqliteWriteQueue"/>) until
    /// the transaction ends: otherwise a learner's save, queued first, would wait for this transaction's lock while
    /// this transaction's next save waited for the queue, and the learner's save would fail.
    /// </summary>
    public Task<IDbContextTransaction> BeginWriteTransactionAsync(CancellationToken cancel) => Database.BeginTransactionAsync(cancel);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        // Identity's tables first: AppUserConfiguration adds to its mapping of the user.
        base.OnModelCreating(builder);
        // Each entity's mapping lives beside it in its feature, as an IEntityTypeConfiguration<T>.
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }
}
