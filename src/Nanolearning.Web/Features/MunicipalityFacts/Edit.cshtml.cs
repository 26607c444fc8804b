using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.MunicipalityFacts;

/// <summary>The admin enters the kommun's facts that lessons name; every lesson shows them at once.</summary>
[Authorize(Policy = Roles.Admin)]
public sealed partial class EditModel(AppDbContext db, FactFilling facts, TimeProvider time) : PageModel
{
    [BindProperty]
    [StringLength(KommunFactsRowConfiguration.NameLength, ErrorMessage = "Kommunens namn får vara högst {1} tecken.")]
    public string? Name { get; set; }

    [BindProperty]
    [StringLength(KommunFactsRowConfiguration.PhoneLength, ErrorMessage = "Telefonnumret får vara högst {1} tecken.")]
    public string? Phone { get; set; }

    [BindProperty]
    [StringLength(KommunFactsRowConfiguration.EmailLength, ErrorMessage = "E-postadressen får vara högst {1} tecken.")]
    public string? Email { get; set; }

    [BindProperty]
    [StringLength(KommunFactsRowConfiguration.WebPageLength, ErrorMessage = "Webbadressen får vara högst {1} tecken.")]
    public string? WebPage { get; set; }

    [BindProperty]
    [StringLength(KommunFactsRowConfiguration.OffersLength, ErrorMessage = "Erbjudandena får vara högst {1} tecken.")]
    public string? Offers { get; set; }

    /// <summary>The fields in the order of the form, for the error summary.</summary>
    public static readonly string[] Fields = [nameof(Name), nameof(Phone), nameof(Email), nameof(WebPage), nameof(Offers)];

    public bool Saved { get; private set; }

    public DateTime? UpdatedAt { get; private set; }

    public async Task OnGetAsync(bool sparat, CancellationToken cancel)
    {
        var row = await db.KommunFacts.AsNoTracking().FirstOrDefaultAsync(r => r.Id == KommunFactsRow.SingleId, cancel);
        (Name, Phone, Email, WebPage, Offers, UpdatedAt) = (row?.Name, row?.Phone, row?.Email, row?.WebPage, row?.Offers, row?.UpdatedAt);
        Saved = sparat;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancel)
    {
        (Name, Phone, Email, WebPage, Offers) = (Clean(Name), Clean(Phone), Clean(Email), Clean(WebPage), Clean(Offers)?.Replace("\r\n", "\n"));
        if (Phone is not null && !PhoneNumber().IsMatch(Phone))
        {
            ModelState.AddModelError(nameof(Phone), "Skriv telefonnumret med siffror, till exempel 0123-456 78 eller +46 123 456 78.");
        }

        if (Email is not null && !FilledFacts.IsEmail(Email))
        {
            ModelState.AddModelError(nameof(Email), "Skriv en e-postadress, till exempel anhorigstod@kommun.se.");
        }

        if (WebPage is not null && FilledFacts.WebAddress(WebPage) is null)
        {
            ModelState.AddModelError(nameof(WebPage), "Skriv hela webbadressen, med https:// först, till exempel https://www.kommun.se/anhorigstod.");
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        // Saved again unchanged, the facts keep the date they were last changed: that date is what the page shows.
        var row = await db.KommunFacts.FirstOrDefaultAsync(r => r.Id == KommunFactsRow.SingleId, cancel);
        if ((row?.Name, row?.Phone, row?.Email, row?.WebPage, row?.Offers) != (Name, Phone, Email, WebPage, Offers))
        {
            if (row is null)
            {
                row = new KommunFactsRow();
                db.KommunFacts.Add(row);
            }

            (row.Name, row.Phone, row.Email, row.WebPage, row.Offers) = (Name, Phone, Email, WebPage, Offers);
            row.UpdatedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancel);
        }

        facts.Forget();
        return RedirectToPage(new { sparat = true });
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"^\+?[0-9][0-9 ()\-]{3,38}$")]
    private static partial Regex PhoneNumber();
}
