using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Organisation;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// A reason to nudge someone on a day: a course assigned, due soon, due today or overdue, the weekly digest for a
/// chef, a repetition question. The scan writes it before anything is sent (the outbox), and the unique key
/// (recipient, reason, date) makes a scan that runs twice, or on two instances, add nothing. It is also the notice
/// on "Mina kurser". Each reminder goes out in at most one <see cref="ReminderMail"/>, bundled with the day's others.
/// </summary>
public sealed class Reminder
{
    public long Id { get; set; }

    public int LearnerId { get; set; }

    public Learner? Learner { get; set; }

    public ReminderKind Kind { get; set; }

    /// <summary>The occasion as a key: kind, assignment or enrolment, and which one (<c>overdue:123:2</c>).</summary>
    public required string Reason { get; set; }

    /// <summary>The day the reminder is for (the due date, the window's first day, the digest's weekday).</summary>
    public DateOnly Date { get; set; }

    /// <summary>The assignment it nudges about; null for a digest or a repetition, and once the assignment is withdrawn.</summary>
    public int? AssignmentId { get; set; }

    public Assignment? Assignment { get; set; }

    /// <summary>The course of a repetition question, or of the assignment.</summary>
    public string? CourseId { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The e-mail it went out in (or was dropped from); null while it waits for one.</summary>
    public long? MailId { get; set; }

    public ReminderMail? Mail { get; set; }

    /// <summary>When the learner hid the notice on "Mina kurser".</summary>
    public DateTime? DismissedAt { get; set; }
}

public enum ReminderKind
{
    /// <summary>A course assigned: the window opened, or the learner joined while it was open.</summary>
    Assigned,
    DueSoon,
    DueToday,
    Overdue,
    Digest,
    Repetition,
    /// <summary>
    /// A chef pressed "Påminn nu" for an overdue assignment (reason <c>nudge:{assignmentId}</c>, dated the day pressed).
    /// Stored by name, like every kind, so appending it changes no existing row.
    /// </summary>
    ManagerNudge,
}

/// <summary>
/// The one e-mail a person gets on a day, bundling that day's reminders. A row in the outbox: written before sending,
/// claimed (Pending → Sending) by exactly one sender, then Sent, retried later, or Failed for an admin to see.
/// </summary>
public sealed class ReminderMail
{
    public long Id { get; set; }

    public int LearnerId { get; set; }

    public Learner? Learner { get; set; }

    /// <summary>Unique with the learner: nobody gets two e-mails on one day.</summary>
    public DateOnly Day { get; set; }

    public ReminderMailState State { get; set; }

    public int Attempts { get; set; }

    /// <summary>When a sender may take it next: now when new, later after a failure, or after a lease while queued.</summary>
    public DateTime NextAttemptAt { get; set; }

    /// <summary>When a sender took it; a Sending row claimed long ago belongs to a sender that died.</summary>
    public DateTime? ClaimedAt { get; set; }

    public DateTime? SentAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>The SMTP reply code of the last refusal (550, 554 …), for the admin page's explanation; null without one.</summary>
    public int? LastErrorCode { get; set; }

    public List<Reminder> Reminders { get; set; } = [];
}

public enum ReminderMailState
{
    Pending,
    Sending,
    Sent,
    /// <summary>Given up after the last attempt, or refused for good (an unknown address).</summary>
    Failed,
    /// <summary>
    /// The sender stopped between sending and recording, again and again (<see cref="ReminderOptions.MaxAttempts"/>
    /// times): it may have arrived, and it may be what stops the sender, so it waits for an admin. A single
    /// interruption is retried by itself after the lease.
    /// </summary>
    Uncertain,
    /// <summary>Nothing left to say when its turn came (the courses were done): not sent.</summary>
    Dropped,
}
