namespace Nanolearning.Web.Features.Retention;

/// <summary>
/// How long each kind of record is kept before gallring removes it (section "Retention"). The defaults, and why a
/// kommun would pick them, are in docs/privacy.md; a kommun sets its own from its dokumenthanteringsplan.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>When the gallring job runs (cron, UTC); empty turns the schedule off, leaving the admin's button.</summary>
    public string Schedule { get; set; } = "30 1 * * *";

    /// <summary>Months after leaving (<c>Learner.LeftOn</c>) before a leaver's name, e-mail, login and free texts go.</summary>
    public int LeaverMonths { get; set; } = 24;

    /// <summary>Months after leaving before a leaver's enrolments, with their lessons, quiz attempts and answers, go.</summary>
    public int ProgressMonths { get; set; } = 60;

    /// <summary>Months before the choices in answers to check and quiz questions go; scores and completions stay.</summary>
    public int AnswerMonths { get; set; } = 12;

    /// <summary>Days before the text of a reflection (a free-text answer) is emptied.</summary>
    public int ReflectionDays { get; set; } = 90;

    /// <summary>Months before reminders and the record of the e-mails they went out in go.</summary>
    public int ReminderMonths { get; set; } = 12;

    /// <summary>Days before an e-mail written to the pickup folder (no mail server configured) is deleted.</summary>
    public int MailFileDays { get; set; } = 30;

    /// <summary>Days before an uploaded staff file that was never imported goes (an import removes it at once).</summary>
    public int StaffFileDays { get; set; } = 1;

    /// <summary>Months before xAPI statements in the built-in LRS, and learning events in the delivery queue, go.</summary>
    public int StatementMonths { get; set; } = 24;

    /// <summary>Months before entries in the granskningslogg go.</summary>
    public int AuditMonths { get; set; } = 24;

    /// <summary>
    /// Months after an admin marked a learner's error report handled before it goes. An open report stays until it is
    /// handled: removing it would lose a fault in a lesson that no one has looked at.
    /// </summary>
    public int ErrorReportMonths { get; set; } = 6;

    /// <summary>
    /// The follow-up trend looks back over twelve month ends, counting leavers while they were employed: their
    /// enrolments must outlive it, or the trend would change when they go.
    /// </summary>
    public const int ShortestProgressMonths = 13;

    /// <summary>Settings that cannot work, named for the start-up error.</summary>
    public IEnumerable<string> Mistakes()
    {
        var periods = new (string Name, int Value)[]
        {
            (nameof(LeaverMonths), LeaverMonths), (nameof(ProgressMonths), ProgressMonths), (nameof(AnswerMonths), AnswerMonths),
            (nameof(ReflectionDays), ReflectionDays), (nameof(ReminderMonths), ReminderMonths), (nameof(MailFileDays), MailFileDays),
            (nameof(StaffFileDays), StaffFileDays), (nameof(StatementMonths), StatementMonths), (nameof(AuditMonths), AuditMonths),
            (nameof(ErrorReportMonths), ErrorReportMonths),
        };
        foreach (var (name, value) in periods.Where(p => p.Value < 1))
        {
            yield return $"Retention:{name} {value} must be at least 1.";
        }

        if (ProgressMonths < ShortestProgressMonths)
        {
            yield return $"Retention:ProgressMonths {ProgressMonths} must be at least {ShortestProgressMonths}: the follow-up trend counts leavers' courses for twelve months.";
        }
    }
}
