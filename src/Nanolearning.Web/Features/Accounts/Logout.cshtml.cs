using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Nanolearning.Web.Features.Accounts;

public sealed class LogoutModel(SignInManager<AppUser> signIn, UserManager<AppUser> users, SessionChecks checks) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await Sessions.EndAsync(users, signIn, checks, User);
        return RedirectToPage("/Accounts/Login");
    }
}
