using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>
/// Identity's authenticator provider (TOTP, RFC 6238) on the app's clock: Identity's own reads the wall clock, so
/// neither tests nor a clock-corrected host could set the time it checks codes against. Accepts, as Identity's does,
/// the codes of two 30-second steps either side of now.
/// </summary>
public sealed class AuthenticatorCodes(TimeProvider time) : IUserTwoFactorTokenProvider<AppUser>
{
    private static readonly VerificationWindow TwoStepsEitherSide = new(previous: 2, future: 2);

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<AppUser> manager, AppUser user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    /// <summary>The phone makes the codes; the server never sends one.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<AppUser> manager, AppUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<AppUser> manager, AppUser user) =>
        token.Length == 6 && token.All(char.IsAsciiDigit)
        && await manager.GetAuthenticatorKeyAsync(user) is { Length: > 0 } key
        && new Totp(Base32Encoding.ToBytes(key)).VerifyTotp(time.GetUtcNow().UtcDateTime, token, out _, TwoStepsEitherSide);
}
