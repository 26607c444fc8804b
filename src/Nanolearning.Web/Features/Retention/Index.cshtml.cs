using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Accounts;

namespace Nanolearning.Web.Features.Retention;

/// <summary>
/// For admins: what the next gallring will remove, per kind of record with its retention period and cut-off, and a
/// button that runs it now.
/// </summary>
[Authorize(Policy = Roles.Admin)]
public sealed class IndexModel(RetentionSweep sweep, IOptions<RetentionOptions> options) : PageModel
{
    public IReadOnlyList<RetentionCount> Due { get; private set; } = [];

    public RetentionOptions Settings => options.Value;

    /// <summary>What the last press of "Gallra nu" removed, carried over the redirect.</summary>
    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancel) => Due = await sweep.PreviewAsync(cancel);

    public async Task<IActionResult> OnPostRunAsync(CancellationToken cancel)
    {
        var removed = await sweep.RunAsync(cancel);
        var total = removed.Sum(r => r.Count);
        Message = total == 0
            ? "Gallringen är klar. Det fanns inget att gallra."
            : "Gallringen är klar: " + string.Join(", ", removed.Where(r => r.Count > 0).Select(r => $"{Label(r.Kind).ToLowerInvariant()} {r.Count}")) + ".";
        return RedirectToPage();
    }

    /// <summary>The kind of record as the admin page names it.</summary>
    public static string Label(RecordKind kind) => kind switch
    {
        RecordKind.Reflections => "Reflektionstexter",
        RecordKind.Answers => "Svar på kunskapsfrågor",
        RecordKind.Reminders => "Påminnelser",
        RecordKind.ReminderMails => "Påminnelsemejl (logg)",
        RecordKind.MailFiles => "E-postfiler i mappen",
        RecordKind.StaffFiles => "Uppladdade personalfiler",
        RecordKind.Statements => "xAPI-uttalanden",
        RecordKind.LearningEvents => "Lärandehändelser (kö)",
        RecordKind.AuditEntries => "Granskningslogg",
        RecordKind.ErrorReports => "Hanterade felrapporter",
        RecordKind.Leavers => "Personer som slutat",
        RecordKind.Progress => "Kursomgångar för personer som slutat",
        _ => kind.ToString(),
    };

    /// <summary>What happens to a record of the kind when it is due.</summary>
    public static string Action(RecordKind kind) => kind switch
    {
        RecordKind.Reflections => "Texten töms",
        RecordKind.Leavers => "Namn, e-post och anställningsnummer byts mot en pseudonym, inloggningen och fritexter tas bort",
        RecordKind.Progress => "Tas bort med lektioner, prov och svar",
        _ => "Tas bort",
    };

    /// <summary>How long the kind is kept, in Swedish.</summary>
    public string Period(RecordKind kind) => kind switch
    {
        RecordKind.Reflections => Days(Settings.ReflectionDays),
        RecordKind.Answers => Months(Settings.AnswerMonths),
        RecordKind.Reminders or RecordKind.ReminderMails => Months(Settings.ReminderMonths),
        RecordKind.MailFiles => Days(Settings.MailFileDays),
        RecordKind.StaffFiles => Days(Settings.StaffFileDays),
        RecordKind.Statements or RecordKind.LearningEvents => Months(Settings.StatementMonths),
        RecordKind.AuditEntries => Months(Settings.AuditMonths),
        RecordKind.ErrorReports => Months(Settings.ErrorReportMonths) + " efter att de markerats som hanterade",
        RecordKind.Leavers => Months(Settings.LeaverMonths) + " efter sista anställningsdag",
        RecordKind.Progress => Months(Settings.ProgressMonths) + " efter sista anställningsdag",
        _ => "",
    };

    private static string Days(int days) => days == 1 ? "1 dag" : $"{days} dagar";

    private static string Months(int months) => months % 12 == 0
        ? months == 12 ? "1 år" : $"{months / 12} år"
        : months == 1 ? "1 månad" : $"{months} månader";
}
