using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Errors;

namespace Nanolearning.Web.Features.HrImport;

/// <summary>
/// What an uploaded staff file would change, for the admin who uploaded it, and the go-ahead that imports it. An
/// upload is found only by its own admin within the hour; any other id is a plain 404.
/// </summary>
[Authorize(Policy = Roles.Admin)]
public sealed class PreviewModel(HrImport import, UserManager<AppUser> users) : PageModel
{
    /// <summary>The longest list the page shows of one kind; the counts are always whole.</summary>
    public const int ListLimit = 200;

    public string FileName { get; private set; } = "";

    public DateTime UploadedAt { get; private set; }

    public ImportPreview Preview { get; private set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancel)
    {
        return await LoadAsync(id, null, cancel) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostConfirmAsync(Guid id, CancellationToken cancel)
    {
        var result = await import.ConfirmAsync(id, UserId, cancel);
        if (result is null)
        {
            return NotFound();
        }

        if (!result.IsValid)
        {
            // The database changed since the preview: the upload stays, shown again with what is wrong now.
            return await LoadAsync(id, result, cancel) ? Page() : NotFound();
        }

        TempData[UploadModel.DoneKey] = result.Summary();
        return RedirectToPage("/HrImport/Upload");
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken cancel)
    {
        await import.Pending(id, UserId).ExecuteDeleteAsync(cancel);
        return RedirectToPage("/HrImport/Upload");
    }

    private string UserId => users.GetUserId(User)!;

    /// <summary>The upload and its preview; <paramref name="checkedNow"/> is the preview a refused confirmation already made.</summary>
    private async Task<bool> LoadAsync(Guid id, ImportPreview? checkedNow, CancellationToken cancel)
    {
        var pending = await import.Pending(id, UserId).AsNoTracking().FirstOrDefaultAsync(cancel);
        if (pending is null)
        {
            return false;
        }

        FileName = pending.FileName;
        UploadedAt = pending.UploadedAt;
        Preview = checkedNow ?? await import.PreviewAsync(pending.Content, User.LearnerId(), cancel);
        if (!Preview.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        return true;
    }

    private new IActionResult NotFound() =>
        Problem.Show(this, StatusCodes.Status404NotFound, "Filen finns inte",
            "Vi hittar ingen uppladdad fil med den adressen. En uppladdad fil väntar en timme på att bli godkänd och kan bara godkännas av den som laddade upp den. Ladda upp filen igen.",
            Url.Page("/HrImport/Upload"));
}
