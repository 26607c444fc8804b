using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Organisation;

/// <summary>
/// Who may act as a unit's chef: the unit's <see cref="Unit.ManagerId"/> names them, and their login holds the chef
/// role (<see cref="Roles.Manager"/>) while they are still employed. Both are needed, so a ManagerId left behind (a
/// chef who moved on, a row edited by hand) gives no unit, no follow-up and no digest on its own.
/// </summary>
public static class ManagerRole
{
    /// <summary>The active learners whose login holds the chef role, as a subquery.</summary>
    public static IQueryable<int> Holders(AppDbContext db) =>
        from user in db.Users
        join userRole in db.UserRoles on user.Id equals userRole.UserId
        join role in db.Roles on userRole.RoleId equals role.Id
        where role.Name == Roles.Manager && user.LearnerId != null
        join learner in db.Learners on user.LearnerId equals learner.Id
        where learner.IsActive
        select learner.Id;
}
