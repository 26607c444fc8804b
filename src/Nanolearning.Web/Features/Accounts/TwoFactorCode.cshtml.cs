using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>
/// The second step of signing in, for accounts with an authenticator (admins): the code from the app, or a recovery
/// code. Between the steps Identity keeps who passed the password in a short-lived cookie of its own.
/// </summary>
[AllowAnonymous]
public sealed class TwoFactorCodeModel(SignInManager<AppUser> signIn) : PageModel
{
    private const string WrongCode = "Koden stämmer inte. Försök igen.";

    public string ReturnUrl { get; private set; } = "/";

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        ReturnUrl = LocalOrHome(returnUrl);
        return await signIn.GetTwoFactorAuthenticationUserAsync() is null ? StartOver() : Page();
    }

    public async Task<IActionResult> OnPostCodeAsync(string? code, string? returnUrl) =>
        await SignInAsync(code, returnUrl, token => signIn.TwoFactorAuthenticatorSignInAsync(token, isPersistent: false, rememberClient: false));

    public async Task<IActionResult> OnPostRecoveryAsync(string? recoveryCode, string? returnUrl) =>
        await SignInAsync(recoveryCode, returnUrl, signIn.TwoFactorRecoveryCodeSignInAsync);

    private async Task<IActionResult> SignInAsync(string? code, string? returnUrl, Func<string, Task<Microsoft.AspNetCore.Identity.SignInResult>> signInWith)
    {
        ReturnUrl = LocalOrHome(returnUrl);
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return StartOver();
        }

        var token = (code ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (token.Length == 0)
        {
            return Failed("Skriv koden.");
        }

        // A wrong authenticator code counts towards the lockout like a wrong password (Identity does that); recovery codes
        // are random and long enough not to need it.
        var result = await signInWith(token);
        if (result.Succeeded)
        {
            return LocalRedirect(ReturnUrl);
        }

        return Failed(result.IsLockedOut
            ? "Du har försökt logga in för många gånger. Vänta en kvart och försök igen."
            : WrongCode);
    }

    /// <summary>No password step behind this request (it expired after five minutes, or never was): from the start.</summary>
    private RedirectToPageResult StartOver() => RedirectToPage("/Accounts/Login", new { returnUrl = ReturnUrl });

    private PageResult Failed(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }

    private string LocalOrHome(string? url) => Url.IsLocalUrl(url) ? url : Url.Content("~/");
}
