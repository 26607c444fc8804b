using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>
/// Identity's sign-in with two changes to password sign-in, so that it tells an attacker nothing and cannot be used to
/// lock people out:
/// <list type="bullet">
/// <item>Every attempt verifies one password hash, whatever the outcome: against the account's own hash, or against a
/// fixed dummy hash when there is no such account or it has no password. An unknown address, an account without a
/// password, an inactive or locked account and a refused demo account then take as long as a wrong password (the
/// hash is what took ~90 ms; the rest was 7–13 ms).</item>
/// <item>An account without a password (an imported employee who signs in through the kommun's identity provider)
/// counts no failures, so password guesses can never lock it.</item>
/// </list>
/// The page shows one message for every failure (<see cref="LoginModel"/>); the kommunkonto sign-in ignores the
/// password lockout (<see cref="ExternalModel"/>).
/// </summary>
public sealed class AppSignInManager(
    UserManager<AppUser> users,
    IHttpContextAccessor context,
    IUserClaimsPrincipalFactory<AppUser> claims,
    IOptions<IdentityOptions> options,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation)
    : SignInManager<AppUser>(users, context, claims, options, logger, schemes, confirmation)
{
    // Made once per process with the configured hasher, so verifying it costs what verifying a real hash costs.
    private static string? _dummyHash;

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        if (await UserManager.FindByNameAsync(userName) is { } user)
        {
            return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        }

        VerifyDummy(password);
        return SignInResult.Failed;
    }

    public override async Task<SignInResult> CheckPasswordSignInAsync(AppUser user, string password, bool lockoutOnFailure)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.PasswordHash is null)
        {
            VerifyDummy(password);
            return SignInResult.Failed;
        }

        // Refused before the password is looked at (inactive, demo account with demo off, locked): the hash is still
        // verified, and its result ignored, so the refusal takes as long as a wrong password and reveals nothing.
        if (await PreSignInCheck(user) is { } refused)
        {
            UserManager.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash, password);
            return refused;
        }

        return await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
    }

    private void VerifyDummy(string password)
    {
        var nobody = new AppUser();
        _dummyHash ??= UserManager.PasswordHasher.HashPassword(nobody, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        UserManager.PasswordHasher.VerifyHashedPassword(nobody, _dummyHash, password);
    }
}
