using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>
/// An admin sets up an authenticator app: scans the QR code (or types the key), confirms with a code, and gets
/// recovery codes once. Until then the admin's session has no admin role (<see cref="AdminSignIn"/>).
/// </summary>
public sealed class TwoFactorSetUpModel(UserManager<AppUser> users, SignInManager<AppUser> signIn) : PageModel
{
    private const string Issuer = "Nanolearning";

    public string ReturnUrl { get; private set; } = "/";

    /// <summary>The shared key in groups of four, for typing it in.</summary>
    public string Key { get; private set; } = "";

    /// <summary>The QR code of the authenticator address, a PNG as a data URI (the CSP allows data: images).</summary>
    public string QrCode { get; private set; } = "";

    public string? Error { get; private set; }

    /// <summary>Shown once, right after the code was confirmed; only their hashes are kept.</summary>
    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    public bool AlreadyOn { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        ReturnUrl = LocalOrHome(returnUrl);
        if (await AdminAsync() is not { } user)
        {
            return NotFound();
        }

        if (user.TwoFactorEnabled)
        {
            return await AlreadySetUpAsync();
        }

        await ShowKeyAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(string? code, string? returnUrl)
    {
        ReturnUrl = LocalOrHome(returnUrl);
        if (await AdminAsync() is not { } user)
        {
            return NotFound();
        }

        if (user.TwoFactorEnabled)
        {
            return await AlreadySetUpAsync();
        }

        var token = (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (await users.IsLockedOutAsync(user)
            || token.Length == 0
            || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, token))
        {
            // Guessing counts towards the lockout, as at sign-in.
            if (token.Length > 0)
            {
                await users.AccessFailedAsync(user);
            }

            Error = await users.IsLockedOutAsync(user)
                ? "Du har skrivit fel kod för många gånger. Vänta en kvart och försök igen."
                : "Koden stämmer inte. Skriv den sexsiffriga kod som appen visar just nu.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await ShowKeyAsync(user);
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        await users.ResetAccessFailedCountAsync(user);
        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) ?? []];
        // The person just proved both factors; enabling them changed the security stamp, so the old cookie is void.
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(AdminSignIn.MethodClaim, AdminSignIn.SecondFactor)]);
        return Page();
    }

    /// <summary>The signed-in admin (by the database, not the session: a password-only session lacks the role).</summary>
    private async Task<AppUser?> AdminAsync() =>
        await users.GetUserAsync(User) is { } user && await users.IsInRoleAsync(user, Roles.Admin) ? user : null;

    private async Task<IActionResult> AlreadySetUpAsync()
    {
        if (!AdminSignIn.IsPending(User))
        {
            AlreadyOn = true;
            return Page();
        }

        // Set up from another session meanwhile: this one signs in again, this time with the code.
        await signIn.SignOutAsync();
        return RedirectToPage("/Accounts/Login", new { returnUrl = ReturnUrl });
    }

    private async Task ShowKeyAsync(AppUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            // A new key changes the security stamp, which ends every session (Sessions): this one carries on.
            await signIn.RefreshSignInAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("No authenticator key after reset.");
        }

        Key = string.Join(' ', key.Chunk(4).Select(group => new string(group))).ToLowerInvariant();
        var label = Uri.EscapeDataString($"{Issuer}:{await users.GetEmailAsync(user)}");
        var address = $"otpauth://totp/{label}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";
        using var data = QRCodeGenerator.GenerateQrCode(address, QRCodeGenerator.ECCLevel.Q);
        QrCode = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }

    private string LocalOrHome(string? url) => Url.IsLocalUrl(url) ? url : Url.Content("~/");
}
