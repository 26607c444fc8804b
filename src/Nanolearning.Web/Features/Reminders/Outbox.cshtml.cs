using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// The reminder outbox for admins: how many e-mails wait, went out or failed; what is wrong with the mail server while
/// it fails (and the pause, with a way to resume); and the e-mails that need a person (failed, or interrupted too
/// often), each with the reason in Swedish and a way to send it, or all of them, again.
/// </summary>
[Authorize(Policy = Roles.Admin)]
public sealed class OutboxModel(AppDbContext db, IOptions<ReminderOptions> options, TimeProvider time) : PageModel
{
    public const int Shown = 100;

    public Dictionary<ReminderMailState, int> Counts { get; private set; } = [];

    public int Waiting { get; private set; }

    public List<Problem> Problems { get; private set; } = [];

    /// <summary>Every failed and uncertain e-mail, not only the ones listed.</summary>
    public int ProblemCount { get; private set; }

    /// <summary>The newest of them: "send all again" covers those the admin confirmed, not one that failed since.</summary>
    public long LastProblemId { get; private set; }

    /// <summary>The mail server failing as a whole; null while it works.</summary>
    public DeliveryProblem? Server { get; private set; }

    public TimeSpan ProbeEvery => options.Value.ProbeEvery;

    /// <summary>The admin pressed "Skicka igen" for all: the page asks them to confirm.</summary>
    public bool Confirming { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync([FromQuery(Name = "bekrafta")] bool confirm, CancellationToken cancel)
    {
        Counts = await db.ReminderMails.GroupBy(m => m.State).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancel);
        Waiting = await db.Reminders.CountAsync(r => r.MailId == null, cancel);
        Server = await db.DeliveryProblems.AsNoTracking().SingleOrDefaultAsync(p => p.Channel == DeliveryProblem.Smtp, cancel);
        var problems = db.ReminderMails.AsNoTracking()
            .Where(m => m.State == ReminderMailState.Failed || m.State == ReminderMailState.Uncertain);
        ProblemCount = await problems.CountAsync(cancel);
        LastProblemId = await problems.MaxAsync(m => (long?)m.Id, cancel) ?? 0;
        Confirming = confirm && ProblemCount > 0;
        Problems = await problems
            .OrderByDescending(m => m.Day).ThenBy(m => m.Id)
            .Take(Shown)
            .Select(m => new Problem(m.Id, m.Learner!.FirstName + " " + m.Learner.LastName, m.Learner.Email, m.Day, m.State, m.Attempts, m.LastError, m.LastErrorCode))
            .ToListAsync(cancel);
    }

    /// <summary>Puts a failed or uncertain e-mail back in the queue, as new: it goes out with the next dispatch.</summary>
    public async Task<IActionResult> OnPostResendAsync(long mail, CancellationToken cancel)
    {
        var reset = await Resend(db.ReminderMails.Where(m => m.Id == mail), cancel);
        if (reset == 0)
        {
            return Errors.Problem.Show(this, StatusCodes.Status404NotFound, "E-postmeddelandet finns inte",
                "Det finns inget misslyckat e-postmeddelande med det numret. Det kan redan vara skickat igen.", Url.Page("/Reminders/Outbox"));
        }

        Message = "Meddelandet ligger i kön igen och skickas inom någon minut (under dagtid).";
        return RedirectToPage();
    }

    /// <summary>
    /// Puts every failed and uncertain e-mail up to <paramref name="upTo"/> (the newest the confirmation counted) back in
    /// the queue. They keep their Message-ID, so one that did arrive before is recognisable as a repeat.
    /// </summary>
    public async Task<IActionResult> OnPostResendAllAsync(long upTo, CancellationToken cancel)
    {
        var reset = await Resend(db.ReminderMails.Where(m => m.Id <= upTo), cancel);
        Message = reset == 1
            ? "1 meddelande ligger i kön igen och skickas inom någon minut (under dagtid)."
            : $"{reset} meddelanden ligger i kön igen och skickas inom någon minut (under dagtid).";
        return RedirectToPage();
    }

    /// <summary>The admin says the mail server is fixed: the pause ends and the waiting e-mails go with the next dispatch.</summary>
    public async Task<IActionResult> OnPostResumeAsync(CancellationToken cancel)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await DeliveryProblem.ClearAsync(db, DeliveryProblem.Smtp, cancel);
        var waiting = await db.ReminderMails.Where(m => m.State == ReminderMailState.Pending && m.NextAttemptAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, now), cancel);
        Message = $"Sändningen är återupptagen. {waiting} väntande meddelanden skickas inom någon minut (under dagtid). Nekar servern igen pausas sändningen på nytt.";
        return RedirectToPage();
    }

    private Task<int> Resend(IQueryable<ReminderMail> mails, CancellationToken cancel)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return mails
            .Where(m => m.State == ReminderMailState.Failed || m.State == ReminderMailState.Uncertain)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, ReminderMailState.Pending)
                .SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.NextAttemptAt, now), cancel);
    }

    public static string Swedish(ReminderMailState state) => state switch
    {
        ReminderMailState.Pending => "Väntar",
        ReminderMailState.Sending => "Skickas just nu",
        ReminderMailState.Sent => "Skickade",
        ReminderMailState.Failed => "Misslyckade",
        ReminderMailState.Uncertain => "Ovissa (avbröts under sändning gång på gång)",
        ReminderMailState.Dropped => "Inte skickade (inget kvar att påminna om)",
        _ => state.ToString(),
    };

    public sealed record Problem(long Id, string Name, string Email, DateOnly Day, ReminderMailState State, int Attempts, string? LastError, int? LastErrorCode);
}
