using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// The reminder outbox for admins: how many e-mails wait, went out or failed, and the ones that need a person (failed
/// after the last attempt, or interrupted mid-send), each with the reason and a way to send it again.
/// </summary>
[Authorize(Policy = Roles.Admin)]
public sealed class OutboxModel(AppDbContext db, TimeProvider time) : PageModel
{
    public const int Shown = 100;

    public Dictionary<ReminderMailState, int> Counts { get; private set; } = [];

    public int Waiting { get; private set; }

    public List<Problem> Problems { get; private set; } = [];

    public bool Resent { get; private set; }

    public async Task OnGetAsync(CancellationToken cancel)
    {
        Resent = Request.Query.ContainsKey("skickas");
        Counts = await db.ReminderMails.GroupBy(m => m.State).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancel);
        Waiting = await db.Reminders.CountAsync(r => r.MailId == null, cancel);
        Problems = await db.ReminderMails.AsNoTracking()
            .Where(m => m.State == ReminderMailState.Failed || m.State == ReminderMailState.Uncertain)
            .OrderByDescending(m => m.Day).ThenBy(m => m.Id)
            .Take(Shown)
            .Select(m => new Problem(m.Id, m.Learner!.FirstName + " " + m.Learner.LastName, m.Learner.Email, m.Day, m.State, m.Attempts, m.LastError))
            .ToListAsync(cancel);
    }

    /// <summary>Puts a failed or uncertain e-mail back in the queue, as new: it goes out with the next dispatch.</summary>
    public async Task<IActionResult> OnPostResendAsync(long mail, CancellationToken cancel)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var reset = await db.ReminderMails
            .Where(m => m.Id == mail && (m.State == ReminderMailState.Failed || m.State == ReminderMailState.Uncertain))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, ReminderMailState.Pending)
                .SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.NextAttemptAt, now), cancel);
        if (reset == 0)
        {
            return Errors.Problem.Show(this, StatusCodes.Status404NotFound, "E-postmeddelandet finns inte",
                "Det finns inget misslyckat e-postmeddelande med det numret. Det kan redan vara skickat igen.", Url.Page("/Reminders/Outbox"));
        }

        return RedirectToPage(new { skickas = 1 });
    }

    public static string Swedish(ReminderMailState state) => state switch
    {
        ReminderMailState.Pending => "Väntar",
        ReminderMailState.Sending => "Skickas just nu",
        ReminderMailState.Sent => "Skickade",
        ReminderMailState.Failed => "Misslyckade",
        ReminderMailState.Uncertain => "Ovissa (avbröts under sändning)",
        ReminderMailState.Dropped => "Inte skickade (inget kvar att påminna om)",
        _ => state.ToString(),
    };

    public sealed record Problem(long Id, string Name, string Email, DateOnly Day, ReminderMailState State, int Attempts, string? LastError);
}
