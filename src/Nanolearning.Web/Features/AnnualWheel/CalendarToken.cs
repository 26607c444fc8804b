using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>
/// The secret in a user's calendar feed links. Only its SHA-256 is stored (<c>AppUser.CalendarTokenHash</c>), so a
/// copy of the database opens no feed. A salt or a slow hash is not needed: the token is 256 random bits, not a password.
/// </summary>
public static class CalendarToken
{
    /// <summary>Base64url of 32 random bytes: 43 characters that need no escaping in a URL path.</summary>
    public const int Length = 43;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
