using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>
/// A session is the sign-in cookie, and the server decides on every request whether it still stands: it ends at
/// sign-out (the account's security stamp changes, so an old cookie replayed is refused), when the learner has left,
/// after <see cref="SessionOptions.IdleTimeout"/> without requests and <see cref="SessionOptions.AbsoluteLifetime"/>
/// after sign-in.
/// </summary>
public static class Sessions
{
    /// <summary>When the person signed in, kept in the cookie's properties across renewals (which move IssuedUtc).</summary>
    private const string SignedInAt = "nanolearning:signed-in";

    public static void AddSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionOptions>().Bind(configuration.GetSection(SessionOptions.Section)).ValidateSettings(s => s.Mistakes());
        services.AddMemoryCache();
        services.AddSingleton<SessionChecks>();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IOptions<SessionOptions>>((cookie, sessions) =>
        {
            cookie.ExpireTimeSpan = sessions.Value.IdleTimeout;
            cookie.SlidingExpiration = true;
            var signingIn = cookie.Events.OnSigningIn;
            cookie.Events.OnSigningIn = context =>
            {
                // A refresh (new roles, the stamp validator) signs in again with the same properties: the time stays.
                context.Properties.Items.TryAdd(SignedInAt, Now(context.HttpContext).ToString("O", CultureInfo.InvariantCulture));
                return signingIn(context);
            };
            // Identity's own stamp validator stays after ours: it refreshes the roles in the cookie 30 minutes after the
            // cookie was issued. With an idle timeout of 30 minutes or less the cookie is renewed before that comes.
            var identityCheck = cookie.Events.OnValidatePrincipal;
            cookie.Events.OnValidatePrincipal = async context =>
            {
                if (!await StandsAsync(context, sessions.Value))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }

                if (IdentityCheckIsDue(context))
                {
                    await identityCheck(context);
                }
            };
        });
    }

    /// <summary>
    /// Ends the session everywhere: a new security stamp makes every cookie issued before it invalid, so signing out
    /// on one device signs the person out on all of them (a shared computer left signed in is closed from home too).
    /// </summary>
    public static async Task EndAsync(UserManager<AppUser> users, SignInManager<AppUser> signIn, SessionChecks checks, System.Security.Claims.ClaimsPrincipal principal)
    {
        if (await users.GetUserAsync(principal) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
            // This app's memory of the session goes with it: the old cookie, replayed here, meets the database again.
            checks.Forget(user.Id);
        }

        await signIn.SignOutAsync();
    }

    /// <remarks>
    /// Two small reads by primary key (the account; the learner for the active rule), done at most once per
    /// <see cref="SessionOptions.CheckInterval"/> for each account and security stamp (<see cref="SessionChecks"/>):
    /// on every request they cost more than rendering a lesson page (docs/benchmarks.md, issue 18). Identity's
    /// validator with a zero interval would also check the stamp each request, but it rebuilds the principal (roles,
    /// role claims) and rewrites the cookie on every response. The lifetimes above are in the cookie and checked on
    /// every request as before.
    /// </remarks>
    private static async Task<bool> StandsAsync(CookieValidatePrincipalContext context, SessionOptions sessions)
    {
        if (context.Principal is not { } principal
            || !context.Properties.Items.TryGetValue(SignedInAt, out var text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var signedInAt)
            || Now(context.HttpContext) - signedInAt >= sessions.AbsoluteLifetime)
        {
            return false;
        }

        var services = context.HttpContext.RequestServices;
        var claims = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var checks = services.GetRequiredService<SessionChecks>();
        var userId = principal.FindFirst(claims.UserIdClaimType)?.Value;
        var cookieStamp = principal.FindFirst(claims.SecurityStampClaimType)?.Value;
        if (userId is null || cookieStamp is null)
        {
            return false;
        }

        if (checks.StoodRecently(userId, cookieStamp))
        {
            return true;
        }

        // Resolved only here: a UserManager is a dozen services to build, on every request that would be.
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var generation = checks.Generation;
        var stands = await users.FindByIdAsync(userId) is { } user
            && user.SecurityStamp is { } stamp
            && cookieStamp == stamp
            // The sign-in rule, again: a leaver the HR import marked inactive loses the session at the next request.
            && await services.GetRequiredService<IUserConfirmation<AppUser>>().IsConfirmedAsync(users, user);
        if (stands)
        {
            checks.Stood(userId, cookieStamp, generation);
        }

        return stands;
    }

    /// <summary>
    /// Identity's validator, resolved on every request, builds a SignInManager and a UserManager only to find that its
    /// <see cref="SecurityStampValidatorOptions.ValidationInterval"/> since the cookie was issued has not passed, and do
    /// nothing. The same test first, on the same clock, spares that.
    /// </summary>
    private static bool IdentityCheckIsDue(CookieValidatePrincipalContext context)
    {
        var stamps = context.HttpContext.RequestServices.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value;
        var now = stamps.TimeProvider?.GetUtcNow() ?? Now(context.HttpContext);
        return context.Properties.IssuedUtc is not { } issued || now - issued > stamps.ValidationInterval;
    }

    private static DateTimeOffset Now(HttpContext http) => http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
}

/// <summary>
/// Which sessions were found standing in the database lately, so a busy learner's requests do not each read their
/// account and learner again. An entry holds for <see cref="SessionOptions.CheckInterval"/> on the app's clock, for one
/// account and one security stamp only. Sign-out here forgets the account at once (<see cref="Sessions.EndAsync"/>);
/// an HR import that made leavers forgets everybody (<see cref="ForgetAll"/>). What this app instance cannot see (a
/// stamp changed by the operator's command line, sign-out on another instance in front of the same PostgreSQL
/// database, a learner set inactive by hand in the database) takes effect within the interval.
/// </summary>
public sealed class SessionChecks(IMemoryCache cache, TimeProvider time, IOptions<SessionOptions> options)
{
    private long _generation;

    /// <summary>Bumped by <see cref="ForgetAll"/>: an entry made from a read that began before it does not count.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool StoodRecently(string userId, string stamp) =>
        cache.TryGetValue(Key(userId), out Entry? entry)
        && entry is not null
        && entry.Stamp == stamp
        && entry.Generation == Generation
        && time.GetUtcNow() - entry.CheckedAt < options.Value.CheckInterval;

    public void Stood(string userId, string stamp, long generation)
    {
        var interval = options.Value.CheckInterval;
        if (interval > TimeSpan.Zero && generation == Generation)
        {
            // The memory cache's own (real) clock only clears old entries away; the app's clock decides above.
            cache.Set(Key(userId), new Entry(stamp, generation, time.GetUtcNow()), interval);
        }
    }

    /// <summary>
    /// Forgets the account, and makes any look at the database already under way count for nothing (it may have read
    /// the old stamp just before it changed), which costs every other session one read too. Sign-outs are rare.
    /// </summary>
    public void Forget(string userId)
    {
        cache.Remove(Key(userId));
        ForgetAll();
    }

    public void ForgetAll() => Interlocked.Increment(ref _generation);

    private static (Type, string) Key(string userId) => (typeof(SessionChecks), userId);

    private sealed record Entry(string Stamp, long Generation, DateTimeOffset CheckedAt);
}
