using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Accounts;

[EnableRateLimiting(RateLimits.SignIn)]
public sealed class LoginModel(
    SignInManager<AppUser> signIn,
    UserManager<AppUser> users,
    IOptions<NanolearningOptions> options,
    IOptions<OpenIdConnectSettings> oidc) : PageModel
{
    /// <summary>
    /// Every failed sign-in gets this, whatever the reason (unknown address, wrong or no password, inactive, locked,
    /// demo account refused): a different message would tell a stranger which addresses have accounts and in what
    /// state. Not even a right password earns a "locked" message: during a lockout it would tell a guesser which guess
    /// was right.
    /// </summary>
    public const string SignInFailed =
        "Inloggningen gick inte. Kontrollera e-postadressen och lösenordet och försök igen. Efter flera misslyckade försök i rad behöver du vänta en kvart.";

    public string? Error { get; private set; }

    public string? Email { get; private set; }

    public string ReturnUrl { get; private set; } = "/";

    public bool Demo => options.Value.Demo;

    public string? ExternalSignIn => oidc.Value.IsConfigured ? oidc.Value.DisplayName : null;

    /// <summary>Off when the kommun wants everyone through its identity provider (<see cref="OpenIdConnectSettings.PasswordSignIn"/>).</summary>
    public bool PasswordSignIn => oidc.Value.PasswordSignIn;

    /// <summary>The learner was sent here because their session ran out while they were on a page.</summary>
    public bool Expired { get; private set; }

    public void OnGet(string? returnUrl, bool utgangen = false, string? kommunkonto = null)
    {
        ReturnUrl = LocalOrHome(returnUrl);
        Expired = utgangen;
        if (kommunkonto is not null)
        {
            Error = PasswordSignIn
                ? "Inloggningen med kommunkontot avbröts eller gick inte igenom. Försök igen, eller logga in med lösenord."
                : "Inloggningen med kommunkontot avbröts eller gick inte igenom. Försök igen.";
        }
    }

    public async Task<IActionResult> OnPostPasswordAsync(string? email, string? password, string? returnUrl)
    {
        // With password sign-in off the handler does not exist, like the demo's outside demo mode.
        if (!PasswordSignIn)
        {
            return NotFound();
        }

        ReturnUrl = LocalOrHome(returnUrl);
        Email = email;
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return Failed("Skriv din e-postadress och ditt lösenord.");
        }

        // AppSignInManager does the same work for every failure; demo accounts with demo off are refused by
        // ActiveLearnerConfirmation. Lockout counts only accounts that have a password.
        var result = await signIn.PasswordSignInAsync(email.Trim(), password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            // An admin without an authenticator yet sets one up first (AdminSignIn); nobody else is asked.
            return await users.FindByNameAsync(email.Trim()) is { } admin && await users.IsInRoleAsync(admin, Roles.Admin)
                ? RedirectToPage("/Accounts/TwoFactorSetUp", new { returnUrl = ReturnUrl })
                : LocalRedirect(ReturnUrl);
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/Accounts/TwoFactorCode", new { returnUrl = ReturnUrl });
        }

        return Failed(SignInFailed);
    }

    public async Task<IActionResult> OnPostDemoAsync(string? persona, string? returnUrl)
    {
        // One-click login exists only in demo mode; in production the handler does not.
        var match = DemoSeeder.Personas.FirstOrDefault(p => p.Key == persona);
        if (!Demo || match is null || await users.FindByEmailAsync(match.Email) is not { } user || !await signIn.CanSignInAsync(user))
        {
            return NotFound();
        }

        // Marked as the demo's login: it carries admin powers only while demo mode is on (AdminSignIn).
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(AdminSignIn.MethodClaim, AdminSignIn.Demo)]);
        return LocalRedirect(LocalOrHome(returnUrl));
    }

    public IActionResult OnPostExternal(string? returnUrl)
    {
        if (ExternalSignIn is null)
        {
            return NotFound();
        }

        var callback = Url.Page("/Accounts/External", new { returnUrl = LocalOrHome(returnUrl) });
        return Challenge(signIn.ConfigureExternalAuthenticationProperties(OpenIdConnectSettings.Scheme, callback), OpenIdConnectSettings.Scheme);
    }

    private PageResult Failed(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }

    private string LocalOrHome(string? url) => Url.IsLocalUrl(url) ? url : Url.Content("~/");
}
