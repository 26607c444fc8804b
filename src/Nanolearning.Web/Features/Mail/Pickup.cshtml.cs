using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Mail;

/// <summary>
/// The e-mail the app would have sent, when no mail server is configured: the pickup folder's messages, newest first,
/// and one message's plain text. The HTML part is never shown: it would run in the admin's session.
/// </summary>
[Authorize(Policy = Roles.Admin)]
public sealed class PickupModel(MailPickup pickup, Mailer mailer) : PageModel
{
    public const int Shown = 100;

    public IReadOnlyList<PickedUpMail> Messages { get; private set; } = [];

    public PickedUpMail? Message { get; private set; }

    public string Folder => mailer.PickupFolder;

    public async Task<IActionResult> OnGetAsync(string? fil, CancellationToken cancel)
    {
        if (fil is not null)
        {
            Message = await pickup.FindAsync(fil, cancel);
            if (Message is null)
            {
                return Problem.Show(this, StatusCodes.Status404NotFound, "Meddelandet finns inte",
                    "Det finns inget e-postmeddelande med den adressen i mappen. Det kan ha tagits bort.", Url.Page("/Mail/Pickup", new { fil = (string?)null }));
            }

            return Page();
        }

        Messages = await pickup.NewestAsync(Shown, cancel);
        return Page();
    }
}
