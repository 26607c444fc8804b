using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>Where the identity provider sends the user back: the claim is matched to a learner, who is then signed in.</summary>
[AllowAnonymous]
public sealed class ExternalModel(SignInManager<AppUser> signIn, ExternalAccounts accounts, IOptions<OpenIdConnectSettings> oidc) : PageModel
{
    public string Error { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null)
        {
            return Failed("Vi fick inget svar från kommunens inloggning. Försök igen.", StatusCodes.Status400BadRequest);
        }

        var learner = await accounts.FindLearnerAsync(info.Principal, oidc.Value, HttpContext.RequestAborted);
        if (learner is null)
        {
            await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
            return Failed("Du är inloggad hos kommunen, men vi hittar dig inte bland de anställda här. Kontakta din chef eller anhörigkonsulenten.", StatusCodes.Status403Forbidden);
        }

        var user = await accounts.EnsureUserAsync(learner, info);
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        // Identity's lockout counts wrong passwords only; it must not block the kommunkonto, or five guesses by anyone
        // would keep an employee out for a quarter of an hour. Whether the person may sign in at all is CanSignIn's.
        if (user is null || !await signIn.CanSignInAsync(user))
        {
            return Failed("Ditt kommunkonto kan inte användas för att logga in här. Kontakta anhörigkonsulenten.", StatusCodes.Status403Forbidden);
        }

        await signIn.SignInAsync(user, isPersistent: false, info.LoginProvider);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : Url.Content("~/"));
    }

    private PageResult Failed(string message, int status)
    {
        Error = message;
        Response.StatusCode = status;
        return Page();
    }
}
