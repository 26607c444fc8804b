using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Nanolearning.Web.Features.Accounts;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The phone's authenticator app in tests: RFC 6238 codes (HMAC-SHA1, 30-second steps, six digits) from the key the
/// set-up page shows. Identity's AuthenticatorTokenProvider reads the wall clock (DateTimeOffset.UtcNow, not the app's
/// TimeProvider, in .NET 10), so the codes are computed for the real current time, not <see cref="AppFixture.Clock"/>;
/// Identity accepts two steps either side, so a code stays good for a minute and a half and tests do not race it.
/// </summary>
public static class Authenticator
{
    public static string CodeNow(string key) => Code(key, DateTimeOffset.UtcNow);

    public static string Code(string key, DateTimeOffset at) => Code(key, at.ToUnixTimeSeconds() / 30);

    /// <summary>A six-digit code Identity refuses now: none of the steps it accepts gives it.</summary>
    public static string WrongCodeNow(string key)
    {
        var step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        var accepted = Enumerable.Range(-3, 7).Select(i => Code(key, step + i)).ToHashSet();
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
    public static async Task<AngleSharp.Dom.IDocument> LogInWithCode(this Visitor visitor, string email, string key, string password = AppFixture.Password)
    {
        var codePage = await visitor.LogIn(email, password);
        Assert.NotNull(codePage.QuerySelector("form[action*='handler=Code']"));
        return await visitor.SubmitAndFollow(codePage, "form[action*='handler=Code']", ("code", CodeNow(key)));
    }

    private static string Code(string key, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(Base32(key), counter);
        var offset = hash[^1] & 0x0f;
        var number = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff) % 1_000_000;
        return number.ToString("D6");
    }

    private static byte[] Base32(string key)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var bytes = new List<byte>();
        foreach (var c in key.ToUpperInvariant().Where(c => c is not (' ' or '=')))
        {
            value = (value << 5) | alphabet.IndexOf(c);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(value >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }
}
