using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.FollowUp;
using Nanolearning.Web.Features.Xapi;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Privacy;

/// <summary>
/// Everything the app stores about one signed-in person (GDPR art. 15, "Mina uppgifter"), gathered from every table that
/// holds it. Which tables hold personal data, and which do not, is written down in docs/privacy.md; a new entity with a
/// person's id must be added both there and here.
/// </summary>
/// <remarks>
/// The person is always the signed-in user, found from the login's own id: no id from the client, so nobody can ask
/// for anybody else's record.
/// </remarks>
public sealed class PersonalData(
    AppDbContext db, UserManager<AppUser> users, CourseCatalog catalog, StatementProfile profile, TimeProvider time)
{
    /// <summary>
    /// Indented, camelCase, and Swedish letters written as themselves (å, not \u00E5) so the file reads in any editor;
    /// characters that matter to HTML are still escaped.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The signed-in person's record; null when the login no longer exists.</summary>
    public async Task<PersonalDataRecord?> ForAsync(ClaimsPrincipal principal, CancellationToken cancel)
    {
        if (await users.GetUserAsync(principal) is not { } user)
        {
            return null;
        }

        var roles = (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList();
        var externalLogins = await db.UserLogins.Where(l => l.UserId == user.Id)
            .Select(l => l.ProviderDisplayName ?? l.LoginProvider).ToListAsync(cancel);
        var account = new AccountData(
            user.UserName, user.Email, user.EmailConfirmed, roles, SignInMethods(user, externalLogins), user.CalendarTokenHash is not null,
            user.LockoutEnd, user.AccessFailedCount);
        var auditBy = await db.AuditEntries.Where(a => a.UserId == user.Id).OrderBy(a => a.At)
            .Select(a => new AuditData(a.At, a.UserName, a.Action, a.Subject)).ToListAsync(cancel);

        if (user.LearnerId is not { } learnerId
            || await db.Learners.Include(l => l.Unit).FirstOrDefaultAsync(l => l.Id == learnerId, cancel) is not { } learner)
        {
            return new PersonalDataRecord(time.GetUtcNow().UtcDateTime, account, null, [], [], [], [], [], [], [], [], [], [], [], [], auditBy);
        }

        var profileData = new ProfileData(
            learner.Id, learner.FirstName, learner.LastName, learner.Email, learner.EmployeeNumber, learner.JobTitle,
            learner.Unit?.Name ?? "", learner.Unit?.Code, learner.StartDate, learner.IsActive, learner.LeftOn,
            [.. learner.Audiences], learner.PseudonymKey, learner.DigestDay, !learner.DigestOff);
        var unitsLed = await db.Units.Where(u => u.ManagerId == learner.Id).OrderBy(u => u.Name).Select(u => u.Name).ToListAsync(cancel);
        var assignments = (await db.Assignments.Where(a => a.LearnerId == learner.Id).OrderBy(a => a.DueOn).ThenBy(a => a.Id).ToListAsync(cancel))
            .Select(a => new AssignmentData(a.Id, a.CourseId, Title(a.CourseId), a.OpensOn, a.DueOn, a.AssignedAt, a.Origin)).ToList();
        var enrolmentRows = await db.Enrolments.Where(e => e.LearnerId == learner.Id).OrderBy(e => e.StartedAt).ToListAsync(cancel);
        var enrolments = enrolmentRows
            .Select(e => new EnrolmentData(e.Id, e.CourseId, Title(e.CourseId), e.CourseVersion, e.StartedAt, e.CompletedAt, e.BestScore, e.CurrentLessonId))
            .ToList();
        var mine = db.Enrolments.Where(e => e.LearnerId == learner.Id).Select(e => e.Id);
        var lessons = await db.LessonCompletions.Where(c => mine.Contains(c.EnrolmentId)).OrderBy(c => c.CompletedAt).ThenBy(c => c.Id)
            .Select(c => new LessonCompletionData(c.EnrolmentId, c.LessonId, c.CompletedAt, c.CarriedOver)).ToListAsync(cancel);
        var attempts = await db.QuizAttempts.Where(q => mine.Contains(q.EnrolmentId)).OrderBy(q => q.SubmittedAt).ThenBy(q => q.Id)
            .Select(q => new QuizAttemptData(q.EnrolmentId, q.Number, q.SubmittedAt, q.QuestionCount, q.CorrectCount, q.ScorePercent, q.Passed))
            .ToListAsync(cancel);
        var answers = await db.Answers.Where(a => mine.Contains(a.EnrolmentId)).OrderBy(a => a.AnsweredAt).ThenBy(a => a.Id)
            .Select(a => new AnswerData(a.EnrolmentId, a.LessonId, a.QuestionId, a.IsCorrect == null, a.Response, a.IsCorrect, a.AnsweredAt))
            .ToListAsync(cancel);
        var events = await db.LearningEvents.Where(e => e.LearnerId == learner.Id).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .Select(e => new LearningEventData(e.Id, e.Verb, e.CourseId, e.LessonId, e.QuestionId, e.OccurredAt, e.DeliveredAt))
            .ToListAsync(cancel);
        var reminders = await db.Reminders.Where(r => r.LearnerId == learner.Id).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .Select(r => new ReminderData(r.Id, r.Kind, r.Date, r.CourseId, r.AssignmentId, r.CreatedAt, r.MailId, r.DismissedAt))
            .ToListAsync(cancel);
        var mails = await db.ReminderMails.Where(m => m.LearnerId == learner.Id).OrderBy(m => m.Day).ThenBy(m => m.Id)
            .Select(m => new ReminderMailData(m.Id, m.Day, m.State, m.Attempts, m.SentAt)).ToListAsync(cancel);

        // The built-in LRS knows a learner by the pseudonymous account the statement profile writes; a client of the
        // LRS could also have named them by e-mail, so those identifiers count too.
        var agentKeys = AgentKeysOf(learner.PseudonymKey, learner.Email);
        var statementRows = await db.XapiStatements.Where(s => s.ActorKey != null && agentKeys.Contains(s.ActorKey)).OrderBy(s => s.Sequence)
            .Select(s => new { s.Id, s.Stored, s.Json }).ToListAsync(cancel);
        var statements = statementRows.Select(s => new StatementData(s.Id, s.Stored, JsonDocument.Parse(s.Json).RootElement.Clone())).ToList();
        var documents = await db.XapiDocuments.Where(d => agentKeys.Contains(d.AgentKey)).OrderBy(d => d.Id)
            .Select(d => new DocumentData(d.Kind, d.ActivityId, d.DocumentId, d.ContentType, d.Updated)).ToListAsync(cancel);
        var auditAbout = await db.AuditEntries.Where(a => a.LearnerId == learner.Id).OrderBy(a => a.At)
            .Select(a => new AuditData(a.At, a.UserName, a.Action, a.Subject)).ToListAsync(cancel);

        return new PersonalDataRecord(
            time.GetUtcNow().UtcDateTime, account, profileData, unitsLed, assignments, enrolments, lessons, attempts, answers,
            reminders, mails, events, statements, documents, auditAbout, auditBy);

        string? Title(string courseId) => catalog.FindLive(courseId)?.Title;
    }

    private List<string> AgentKeysOf(Guid pseudonymKey, string email)
    {
        var mbox = "mailto:" + email;
        var keys = new List<string> { AgentKeys.Of(profile.Actor(pseudonymKey))!, "mbox " + mbox };
        keys.Add("sha1 " + Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(mbox))));
        return keys;
    }

    private static List<string> SignInMethods(AppUser user, List<string> externalLogins)
    {
        List<string> methods = [];
        if (user.PasswordHash is not null)
        {
            methods.Add("Lösenord");
        }

        methods.AddRange(externalLogins.Select(l => "Inloggning via " + l));
        return methods;
    }
}

/// <summary>The download's shape. Property names are the JSON's; each list is one kind of stored record.</summary>
public sealed record PersonalDataRecord(
    DateTime GeneratedAt,
    AccountData Account,
    ProfileData? Profile,
    List<string> UnitsYouLead,
    List<AssignmentData> Assignments,
    List<EnrolmentData> Enrolments,
    List<LessonCompletionData> LessonCompletions,
    List<QuizAttemptData> QuizAttempts,
    List<AnswerData> Answers,
    List<ReminderData> Reminders,
    List<ReminderMailData> ReminderMails,
    List<LearningEventData> LearningEvents,
    List<StatementData> XapiStatements,
    List<DocumentData> XapiDocuments,
    List<AuditData> AuditEntriesAboutYou,
    List<AuditData> AuditEntriesByYou);

public sealed record AccountData(
    string? UserName, string? Email, bool EmailConfirmed, List<string> Roles, List<string> SignInMethods, bool HasCalendarFeed,
    DateTimeOffset? LockedOutUntil, int FailedSignIns);

public sealed record ProfileData(
    int LearnerId, string FirstName, string LastName, string Email, string? EmployeeNumber, string? JobTitle, string Unit,
    string? UnitCode, DateOnly StartDate, bool IsActive, DateOnly? LeftOn, List<string> Audiences, Guid PseudonymKey,
    DayOfWeek DigestDay, bool DigestOn);

public sealed record AssignmentData(int Id, string CourseId, string? CourseTitle, DateOnly OpensOn, DateOnly DueOn, DateTime AssignedAt, string Origin);

public sealed record EnrolmentData(
    Guid Id, string CourseId, string? CourseTitle, string CourseVersion, DateTime StartedAt, DateTime? CompletedAt, int? BestScore,
    string CurrentLessonId);

public sealed record LessonCompletionData(Guid EnrolmentId, string LessonId, DateTime CompletedAt, bool CarriedOver);

public sealed record QuizAttemptData(
    Guid EnrolmentId, int Number, DateTime SubmittedAt, int QuestionCount, int CorrectCount, int ScorePercent, bool Passed);

/// <summary>An answer; <see cref="IsReflection"/> marks free text, whose <see cref="Response"/> is the learner's own words.</summary>
public sealed record AnswerData(
    Guid EnrolmentId, string LessonId, string QuestionId, bool IsReflection, string Response, bool? IsCorrect, DateTime AnsweredAt);

public sealed record ReminderData(
    long Id, Reminders.ReminderKind Kind, DateOnly Date, string? CourseId, int? AssignmentId, DateTime CreatedAt, long? MailId,
    DateTime? DismissedAt);

public sealed record ReminderMailData(long Id, DateOnly Day, Reminders.ReminderMailState State, int Attempts, DateTime? SentAt);

public sealed record LearningEventData(
    Guid Id, LearningVerb Verb, string CourseId, string? LessonId, string? QuestionId, DateTime OccurredAt, DateTime? DeliveredAt);

public sealed record StatementData(Guid Id, DateTime Stored, JsonElement Statement);

public sealed record DocumentData(DocumentKind Kind, string ActivityId, string DocumentId, string ContentType, DateTime Updated);

public sealed record AuditData(DateTime At, string ByName, AuditAction Action, string Subject);
