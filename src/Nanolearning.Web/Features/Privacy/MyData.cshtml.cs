using System.Net.Mime;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Nanolearning.Web.Features.FollowUp;
using Nanolearning.Web.Features.Accounts;

namespace Nanolearning.Web.Features.Privacy;

/// <summary>
/// "Mina uppgifter": the signed-in person's own data as a readable, printable page, and as a JSON download. Takes no
/// id from the client: the record is always the login's own.
/// </summary>
public sealed class MyDataModel(PersonalData personalData, AuditTrail audit, TimeProvider time) : PageModel
{
    public PersonalDataRecord Record { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancel)
    {
        if (await personalData.ForAsync(User, cancel) is not { } record)
        {
            return Challenge();
        }

        Record = record;
        return Page();
    }

    /// <summary>The same record as a file. Each download is audited (see <see cref="AuditAction.DownloadedOwnData"/>).</summary>
    public async Task<IActionResult> OnGetJsonAsync(CancellationToken cancel)
    {
        // Audited first, so the file itself shows this download among the audit entries about the person.
        await audit.RecordAsync(User, AuditAction.DownloadedOwnData, "Mina uppgifter som JSON", unitId: null, User.LearnerId(), cancel);
        if (await personalData.ForAsync(User, cancel) is not { } record)
        {
            return Challenge();
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(record, PersonalData.Json);
        var day = Infrastructure.Format.Today(time).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Response.Headers.CacheControl = "no-store";
        return File(json, MediaTypeNames.Application.Json + "; charset=utf-8", $"mina-uppgifter-{day}.json");
    }
}
