using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
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
            // Identity's own stamp validator (every 30 minutes) stays after ours: it refreshes the roles in the cookie.
            var identityCheck = cookie.Events.OnValidatePrincipal;
            cookie.Events.OnValidatePrincipal = async context =>
            {
                if (!await StandsAsync(context, sessions.Value))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }

                await identityCheck(context);
            };
        });
    }

    /// <summary>
    /// Ends the session everywhere: a new security stamp makes every cookie issued before it invalid, so signing out
    /// on one device signs the person out on all of them (a shared computer left signed in is closed from home too).
    /// </summary>
    public static async Task EndAsync(UserManager<AppUser> users, SignInManager<AppUser> signIn, System.Security.Claims.ClaimsPrincipal principal)
    {
        if (await users.GetUserAsync(principal) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
    }

    /// <remarks>
    /// One or two small reads by primary key per request (the account; the learner for the active rule). Identity's
    /// validator with a zero interval would also check the stamp each request, but it rebuilds the principal (roles,
    /// role claims) and rewrites the cookie on every response; correctness is worth a read per request, not that.
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
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var stampClaim = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        return await users.GetUserAsync(principal) is { } user
            && user.SecurityStamp is { } stamp
            && principal.FindFirst(stampClaim)?.Value == stamp
            // The sign-in rule, again: a leaver the HR import marked inactive loses the session at the next request.
            && await services.GetRequiredService<IUserConfirmation<AppUser>>().IsConfirmedAsync(users, user);
    }

    private static DateTimeOffset Now(HttpContext http) => http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
}
