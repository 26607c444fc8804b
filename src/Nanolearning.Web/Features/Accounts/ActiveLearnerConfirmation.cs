using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>
/// Only people still employed (or still in a nämnd) may sign in: a login whose learner is marked inactive is
/// refused, by password and by the kommun's identity provider alike. Accounts without a learner (admins) pass.
/// </summary>
public sealed class ActiveLearnerConfirmation(AppDbContext db) : IUserConfirmation<AppUser>
{
    public async Task<bool> IsConfirmedAsync(UserManager<AppUser> manager, AppUser user) =>
        user.LearnerId is not { } id || await db.Learners.AnyAsync(l => l.Id == id && l.IsActive);
}
