using Microsoft.AspNetCore.Identity;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.FollowUpBenchmark;

/// <summary>
/// The roles and the only two logins of the benchmark kommun: the admin (anhörigkonsulent) and the chef of the
/// 200-person enhet, so the measuring harness can sign in over HTTP. The password is for this local benchmark only.
/// </summary>
internal static class Logins
{
    public const string Password = "uppfoljning-benchmark-2026";
    public const string AdminEmail = "anhorigkonsulent@asunda.exempel.se";
    public const string ChefEmail = "chef.hemtjanst.centrum@asunda.exempel.se";

    public static async Task AddAsync(AppDbContext db, Kommun kommun, Random random)
    {
        var normalizer = new UpperInvariantLookupNormalizer();
        var roles = Roles.All.Select(name => new IdentityRole(name)
        {
            Id = Kommun.NewGuid(random).ToString(),
            NormalizedName = normalizer.NormalizeName(name),
            ConcurrencyStamp = Kommun.NewGuid(random).ToString(),
        }).ToDictionary(r => r.Name!);
        db.Roles.AddRange(roles.Values);

        var hasher = new PasswordHasher<AppUser>();
        foreach (var (learnerId, roleNames) in new[]
        {
            (kommun.AdminId, new[] { Roles.Employee, Roles.Admin }),
            (kommun.FollowedChefId, new[] { Roles.Employee, Roles.Manager }),
        })
        {
            var person = kommun.People[learnerId - 1];
            var user = AppUser.For(new Learner { Id = person.Id, FirstName = person.FirstName, LastName = person.LastName, Email = person.Email }, normalizer);
            user.Id = Kommun.NewGuid(random).ToString();
            user.SecurityStamp = Kommun.NewGuid(random).ToString("N");
            user.ConcurrencyStamp = Kommun.NewGuid(random).ToString();
            // The hash has a random salt of its own: the one value in the file that differs between runs.
            user.PasswordHash = hasher.HashPassword(user, Password);
            db.Users.Add(user);
            db.UserRoles.AddRange(roleNames.Select(r => new IdentityUserRole<string> { UserId = user.Id, RoleId = roles[r].Id }));
        }

        await db.SaveChangesAsync();
    }
}
