using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>
/// Identity's default token provider (the password links the admin commands print) on the app's clock: Identity's own
/// <see cref="DataProtectorTokenProvider{TUser}"/> stamps and checks the token with the wall clock, so a link's "one
/// day" could be neither tested nor held to by a host whose clock the app corrects. The same token as Identity's: when
/// it was made, whose it is, what for and the account's security stamp, protected with Data Protection; setting a
/// password changes the stamp, so a link works once.
/// </summary>
public sealed class LinkTokens(IDataProtectionProvider protection, TimeProvider time) : IUserTwoFactorTokenProvider<AppUser>
{
    private static readonly TimeSpan Lifespan = TimeSpan.FromDays(1);

    private readonly IDataProtector protector = protection.CreateProtector("Nanolearning.Web.LinkTokens");

    /// <summary>Links are sent by hand or printed, never as a second factor.</summary>
    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<AppUser> manager, AppUser user) => Task.FromResult(false);

    public async Task<string> GenerateAsync(string purpose, UserManager<AppUser> manager, AppUser user)
    {
        using var content = new MemoryStream();
        using (var writer = new BinaryWriter(content, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(time.GetUtcNow().UtcTicks);
            writer.Write(await manager.GetUserIdAsync(user));
            writer.Write(purpose);
            writer.Write(await manager.GetSecurityStampAsync(user) ?? "");
        }

        return Convert.ToBase64String(protector.Protect(content.ToArray()));
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<AppUser> manager, AppUser user)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(protector.Unprotect(Convert.FromBase64String(token))), Encoding.UTF8);
            var made = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            return made + Lifespan >= time.GetUtcNow()
                && reader.ReadString() == await manager.GetUserIdAsync(user)
                && reader.ReadString() == purpose
                && reader.ReadString() == (await manager.GetSecurityStampAsync(user) ?? "");
        }
        catch (Exception e) when (e is FormatException or CryptographicException or EndOfStreamException or ArgumentException)
        {
            return false;
        }
    }
}
