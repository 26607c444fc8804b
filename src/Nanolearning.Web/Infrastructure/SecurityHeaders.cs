using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Accounts;

namespace Nanolearning.Web.Infrastructure;

/// <summary>Headers every response carries. Course HTML is sanitized already; the policy is a second line of defence.</summary>
public sealed class SecurityHeaders(RequestDelegate next, IOptions<OpenIdConnectSettings> oidc)
{
    // The kommunkonto button posts a form that redirects to the identity provider; browsers check form-action
    // against that redirect, so the provider's origin must be allowed too.
    private readonly string _policy =
        "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; " +
        $"object-src 'none'; base-uri 'self'; form-action 'self'{ProviderOrigin(oidc.Value)}; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = _policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.XFrameOptions = "DENY";
        return next(context);
    }

    private static string ProviderOrigin(OpenIdConnectSettings settings) =>
        settings.IsConfigured && Uri.TryCreate(settings.Authority, UriKind.Absolute, out var authority)
            ? " " + authority.GetLeftPart(UriPartial.Authority)
            : "";
}
