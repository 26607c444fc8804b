using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>
/// Where the link from <see cref="AccountCommands"/> leads: the person chooses a password. The link carries Identity's
/// password reset token, which lasts a day and dies when used (setting the password changes the security stamp).
/// </summary>
[AllowAnonymous]
public sealed class NewPasswordModel(UserManager<AppUser> users) : PageModel
{
    /// <summary>The page's address (its @page template), for links made outside a request.</summary>
    public const string Address = "/konto/nytt-losenord";

    public const string InvalidLink = "Länken fungerar inte längre. Den gäller en gång och i ett dygn. Be kommunens IT om en ny.";

    public string? UserId { get; private set; }

    public string? Code { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public bool Done { get; private set; }

    /// <summary>The link is spent or was never ours: no form, only the message.</summary>
    public bool Invalid { get; private set; }

    public int MinimumLength => users.Options.Password.RequiredLength;

    public async Task<IActionResult> OnGetAsync(string? anvandare, string? kod)
    {
        UserId = anvandare;
        Code = kod;
        if (await ValidUserAsync(anvandare, kod) is null)
        {
            return Refused();
        }

        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(string? anvandare, string? kod, string? password, string? repeated)
    {
        UserId = anvandare;
        Code = kod;
        if (await ValidUserAsync(anvandare, kod) is not { } user)
        {
            return Refused();
        }

        if (string.IsNullOrEmpty(password) || password != repeated)
        {
            return Failed([string.IsNullOrEmpty(password) ? "Skriv ett lösenord." : "Lösenorden är inte likadana. Skriv samma lösenord två gånger."]);
        }

        var result = await users.ResetPasswordAsync(user, kod!, password);
        if (!result.Succeeded)
        {
            return Failed([.. result.Errors.Select(e => e.Description)]);
        }

        // A new password is a fresh start: earlier wrong guesses no longer count.
        await users.ResetAccessFailedCountAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        Done = true;
        return Page();
    }

    private async Task<AppUser?> ValidUserAsync(string? userId, string? code) =>
        !string.IsNullOrEmpty(userId) && !string.IsNullOrEmpty(code) && await users.FindByIdAsync(userId) is { } user
        && await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<AppUser>.ResetPasswordTokenPurpose, code)
            ? user
            : null;

    private PageResult Refused()
    {
        Invalid = true;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    private PageResult Failed(IReadOnlyList<string> errors)
    {
        Errors = errors;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
