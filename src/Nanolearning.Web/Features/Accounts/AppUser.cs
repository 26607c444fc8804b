using Microsoft.AspNetCore.Identity;
using Nanolearning.Web.Features.Organisation;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>A login. Most logins belong to a learner; an admin account may not.</summary>
public sealed class AppUser : IdentityUser
{
    public int? LearnerId { get; set; }

    /// <summary>
    /// A learner's login, made in bulk (demo seeding, HR import) rather than one UserManager call each: the e-mail is
    /// the user name, and no password (the caller may set a hash).
    /// </summary>
    public static AppUser For(Learner learner, ILookupNormalizer normalizer) => new()
    {
        UserName = learner.Email,
        NormalizedUserName = normalizer.NormalizeName(learner.Email),
        Email = learner.Email,
        NormalizedEmail = normalizer.NormalizeEmail(learner.Email),
        EmailConfirmed = true,
        SecurityStamp = Guid.NewGuid().ToString("N"),
        LockoutEnabled = true,
        LearnerId = learner.Id,
    };

    /// <summary>SHA-256 of the secret in the user's calendar feed links; a new link replaces the old.</summary>
    public string? CalendarTokenHash { get; set; }
}

/// <summary>The app's roles, named as users say them.</summary>
public static class Roles
{
    public const string Employee = "medarbetare";
    public const string Manager = "chef";
    public const string Politician = "politiker";
    public const string Admin = "admin";

    public static readonly string[] All = [Employee, Manager, Politician, Admin];
}
