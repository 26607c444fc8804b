using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Accounts;

namespace Nanolearning.Web.Features.HrImport;

/// <summary>Upload of the HR system's staff file. Nothing is imported here: the file waits for the admin's go-ahead on its preview.</summary>
[Authorize(Policy = Roles.Admin)]
public sealed class UploadModel(HrImport import, UserManager<AppUser> users, IOptions<HrImportOptions> options) : PageModel
{
    public const string DoneKey = "ImportDone";

    public HrImportOptions Settings => options.Value;

    public string? Error { get; private set; }

    public string? Done { get; private set; }

    public void OnGet() => Done = TempData[DoneKey] as string;

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancel)
    {
        if (file is null)
        {
            return Refuse(StatusCodes.Status422UnprocessableEntity, "Välj filen från personalsystemet innan du trycker på Förhandsgranska.");
        }

        if (file.Length == 0)
        {
            return Refuse(StatusCodes.Status422UnprocessableEntity, $"Filen {file.FileName} är tom. Den ska ha en rubrikrad och en rad per anställd.");
        }

        // Checked before reading: a file this size is not a staff list.
        if (file.Length > Settings.MaxFileBytes)
        {
            var megabytes = (file.Length / 1024d / 1024d).ToString("0.#", Swedish.Culture);
            return Refuse(StatusCodes.Status413PayloadTooLarge, $"Filen är {megabytes} MB. Den får vara högst {Settings.MaxFileMegabytes} MB.");
        }

        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancel);
        var content = HrFile.Decode(buffer.ToArray());
        if (content.Contains('\0'))
        {
            // A picture, a zip or an .xlsx: no staff list in text has NUL characters, and PostgreSQL cannot store them.
            return Refuse(StatusCodes.Status422UnprocessableEntity,
                $"Filen {file.FileName} är ingen textfil. Spara personallistan i Excel som \"CSV (semikolonavgränsad)\" och välj den filen.");
        }

        var id = await import.HoldAsync(content, file.FileName, users.GetUserId(User)!, cancel);
        return RedirectToPage("/HrImport/Preview", new { id });
    }

    private PageResult Refuse(int status, string error)
    {
        Response.StatusCode = status;
        Error = error;
        return Page();
    }
}
