using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>
/// Who may sign in at all: only people still employed (or still in a nämnd), so a login whose learner is marked
/// inactive is refused, by password and by the kommun's identity provider alike; accounts without a learner (admins)
/// pass. Demo accounts share a published password, so with demo mode off they are refused too. Identity asks this
/// before it looks at the password, and the login page answers every refusal with the same message.
/// </summary>
public sealed class ActiveLearnerConfirmation(AppDbContext db, IOptions<NanolearningOptions> options) : IUserConfirmation<AppUser>
{
    public async Task<bool> IsConfirmedAsync(UserManager<AppUser> manager, AppUser user) =>
        (options.Value.Demo || !DemoSeeder.IsDemoAccount(user))
        && (user.LearnerId is not { } id || await db.Learners.AnyAsync(l => l.Id == id && l.IsActive));
}
