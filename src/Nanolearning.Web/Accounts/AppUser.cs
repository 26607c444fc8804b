using Microsoft.AspNetCore.Identity;

namespace Nanolearning.Web.Accounts;

/// <summary>A login. Most logins belong to a learner; an admin account may not.</summary>
public sealed class AppUser : IdentityUser
{
    public int? LearnerId { get; set; }

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
