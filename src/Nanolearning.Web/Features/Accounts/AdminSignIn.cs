using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>
/// Admin powers come only with a strong sign-in: a password and an authenticator code, the kommun's identity provider
/// (which does its own strong authentication), or demo mode's one-click persona. A session signed in with a password
/// alone keeps the person's other roles but not the admin role, so every check of it (admin pages, the kommun-wide
/// follow-up, the job dashboard) refuses such a session in one place, and the person is sent to set up or enter a code.
/// </summary>
public static class AdminSignIn
{
    /// <summary>Identity's "authentication methods" claim: "pwd" after a password, "mfa" after a password and a code.</summary>
    public const string MethodClaim = "amr";

    public const string SecondFactor = "mfa";

    /// <summary>The method of demo mode's one-click persona login.</summary>
    public const string Demo = "demo";

    /// <summary>Marks a session of an admin whose admin role was withheld for want of a second factor.</summary>
    public const string PendingClaim = "nanolearning:admin-pending";

    public static IServiceCollection AddStrongAdminSignIn(this IServiceCollection services)
    {
        services.AddTransient<IClaimsTransformation, WithholdAdminRole>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, SendToSecondFactor>();
        // Identity rebuilds the principal from the database every half hour (the security stamp check) and would drop
        // how the person signed in; without this an admin would lose the admin role half an hour into the session.
        services.Configure<SecurityStampValidatorOptions>(stamp => stamp.OnRefreshingPrincipal = context =>
        {
            if (context.CurrentPrincipal?.Identity is ClaimsIdentity current && context.NewPrincipal?.Identity is ClaimsIdentity renewed)
            {
                renewed.AddClaims(current.FindAll(c => c.Type is MethodClaim or ClaimTypes.AuthenticationMethod).Select(c => new Claim(c.Type, c.Value)));
            }

            return Task.CompletedTask;
        });
        return services;
    }

    /// <summary>Whether the session proved more than a password.</summary>
    public static bool IsStrong(ClaimsPrincipal user, bool demo) =>
        user.HasClaim(MethodClaim, SecondFactor)
        || user.HasClaim(ClaimTypes.AuthenticationMethod, OpenIdConnectSettings.Scheme)
        || demo && user.HasClaim(MethodClaim, Demo);

    /// <summary>The session of an admin who has signed in with a password only.</summary>
    public static bool IsPending(ClaimsPrincipal user) => user.HasClaim(PendingClaim, "true");

    private sealed class WithholdAdminRole(IOptions<IdentityOptions> identity, IOptions<NanolearningOptions> options) : IClaimsTransformation
    {
        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            var roleType = identity.Value.ClaimsIdentity.RoleClaimType;
            if (!principal.HasClaim(roleType, Roles.Admin) || IsStrong(principal, options.Value.Demo))
            {
                return Task.FromResult(principal);
            }

            // A copy: the principal may be cached by the authentication handler.
            var withheld = principal.Clone();
            foreach (var identityOf in withheld.Identities)
            {
                foreach (var role in identityOf.FindAll(c => c.Type == roleType && c.Value == Roles.Admin).ToList())
                {
                    identityOf.RemoveClaim(role);
                }
            }

            withheld.Identities.First().AddClaim(new Claim(PendingClaim, "true"));
            return Task.FromResult(withheld);
        }
    }

    /// <summary>An admin page refused for want of a second factor leads to the code set-up, not to "Åtkomst nekad".</summary>
    private sealed class SendToSecondFactor : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (authorizeResult.Forbidden && IsPending(context.User) && HttpMethods.IsGet(context.Request.Method))
            {
                var setUp = context.RequestServices.GetRequiredService<LinkGenerator>().GetPathByPage(
                    context, "/Accounts/TwoFactorSetUp", values: new { returnUrl = (context.Request.PathBase + context.Request.Path + context.Request.QueryString).ToString() });
                context.Response.Redirect(setUp ?? throw new InvalidOperationException("No route to the two-factor set-up page."));
                return Task.CompletedTask;
            }

            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
