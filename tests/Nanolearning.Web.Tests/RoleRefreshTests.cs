using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Accounts;

namespace Nanolearning.Web.Tests;

/// <summary>
/// Identity rebuilds a session's principal from the database when its security stamp check falls due, 30 minutes after
/// the cookie was issued. With the default idle timeout (30 minutes, the cookie renewed half-way) that never comes; a
/// kommun that sets a longer one gets it. The app's own session check must not stand in its way, and an admin's
/// second factor must survive it.
/// </summary>
public sealed class RoleRefreshTests(RoleRefreshTests.Fixture app) : IClassFixture<RoleRefreshTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Sessions:IdleTimeout"] = "02:00:00",
        };
    }

    [Fact]
    public async Task A_role_given_in_the_database_reaches_the_session_when_identity_s_check_falls_due()
    {
        var email = await app.NewLearner();
        var visitor = app.NewVisitor();
        await visitor.LogIn(email);
        Assert.Null((await visitor.Open("/")).QuerySelector("a[href='/arshjul']"));

        var login = await app.Query(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        var chef = await app.Query(db => db.Roles.Where(r => r.Name == Roles.Manager).Select(r => r.Id).SingleAsync());
        // By hand, so the security stamp stays and the session goes on: only Identity's check reads the roles again.
        await app.Query(db =>
        {
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = login, RoleId = chef });
            return db.SaveChangesAsync();
        });

        app.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Null((await visitor.Open("/")).QuerySelector("a[href='/arshjul']"));

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.NotNull((await visitor.Open("/")).QuerySelector("a[href='/arshjul']"));
    }

    [Fact]
    public async Task An_admin_keeps_admin_pages_when_identity_rebuilds_the_session_from_the_database()
    {
        var email = await app.NewAdmin();
        var key = await app.EnableAuthenticator(email);
        var visitor = app.NewVisitor();
        await visitor.LogInWithCode(email, key, app.Clock);
        await visitor.Open("/admin/import");

        // The rebuilt principal comes from the database, which knows nothing of how the admin signed in: the second
        // factor must be carried over (AdminSignIn's OnRefreshingPrincipal), or the admin pages would send her to set-up.
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        await visitor.Open("/admin/import");
        await visitor.Open("/admin/kurser");
    }
}
