using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// Leaving the weekly digest from its e-mail, without logging in: the signed link says whose digest it is. The link
/// opens a question and the button turns the digest off, so a mail filter that follows links turns nothing off.
/// </summary>
public sealed class UnsubscribeModel(AppDbContext db, ReminderLinks links) : PageModel
{
    public string? Name { get; private set; }

    public bool Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? t, CancellationToken cancel) => await ShowAsync(t, turnOff: false, cancel);

    public async Task<IActionResult> OnPostAsync(string? t, CancellationToken cancel) => await ShowAsync(t, turnOff: true, cancel);

    private async Task<IActionResult> ShowAsync(string? token, bool turnOff, CancellationToken cancel)
    {
        var learnerId = links.ReadUnsubscribe(token);
        var learner = learnerId is null ? null : await db.Learners.FirstOrDefaultAsync(l => l.Id == learnerId, cancel);
        if (learner is null)
        {
            return Problem.Show(this, StatusCodes.Status400BadRequest, "Länken fungerar inte",
                "Länken för att avsluta veckosammanfattningen är inte hel. Öppna den igen från e-postmeddelandet, eller logga in och ändra under Inställningar.", Url.Page("/Reminders/DigestSettings"));
        }

        Name = learner.FirstName;
        if (turnOff)
        {
            learner.DigestOff = true;
            await db.SaveChangesAsync(cancel);
            Done = true;
        }
        else
        {
            Done = learner.DigestOff;
        }

        return Page();
    }
}
