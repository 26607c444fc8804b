using Microsoft.AspNetCore.Identity;
using Nanolearning.Web.Features.Accounts;
using OtpNet;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The phone's authenticator app in tests: RFC 6238 codes from the key the set-up page shows, for the app's own clock
/// (<see cref="AuthenticatorCodes"/> checks them against it), so no test depends on the time it runs.
/// </summary>
public static class Authenticator
{
    public static string CodeNow(string key, TimeProvider clock) => Totp(key).ComputeTotp(clock.GetUtcNow().UtcDateTime);

    /// <summary>A six-digit code the app refuses now: none of the steps it accepts gives it.</summary>
    public static string WrongCodeNow(string key, TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var accepted = Enumerable.Range(-3, 7).Select(i => Totp(key).ComputeTotp(now.AddSeconds(30 * i))).ToHashSet();
        return Enumerable.Range(0, 100).Select(i => (123_456 + i * 7_919).ToString("D6")).First(code => !accepted.Contains(code));
    }

    /// <summary>Turns two-factor sign-in on for a user, as the set-up page would, and returns the key.</summary>
    public static async Task<string> EnableAsync(UserManager<AppUser> users, AppUser user)
    {
        await users.ResetAuthenticatorKeyAsync(user);
        var key = (await users.GetAuthenticatorKeyAsync(user))!;
        Assert.True((await users.SetTwoFactorEnabledAsync(user, true)).Succeeded);
        return key;
    }

    /// <summary>Signs in with password and the current code; returns the page the sign-in leads to.</summary>
    public static async Task<AngleSharp.Dom.IDocument> LogInWithCode(
        this Visitor visitor, string email, string key, TimeProvider clock, string password = AppFixture.Password)
    {
        var codePage = await visitor.LogIn(email, password);
        Assert.NotNull(codePage.QuerySelector("form[action*='handler=Code']"));
        return await visitor.SubmitAndFollow(codePage, "form[action*='handler=Code']", ("code", CodeNow(key, clock)));
    }

    private static Totp Totp(string key) => new(Base32Encoding.ToBytes(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()));
}
