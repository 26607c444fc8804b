using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>
/// Puts the learner id and display name in the auth cookie, so a lesson page needs no user lookup per request.
/// </summary>
public sealed class LearnerClaimsFactory(
    UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    public const string LearnerIdClaim = "nanolearning:learner";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.LearnerId is { } learnerId)
        {
            identity.AddClaim(new Claim(LearnerIdClaim, learnerId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return identity;
    }
}

public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in person's learner id, or null for an account with no learner record.</summary>
    public static int? LearnerId(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(LearnerClaimsFactory.LearnerIdClaim), out var id) ? id : null;
}
