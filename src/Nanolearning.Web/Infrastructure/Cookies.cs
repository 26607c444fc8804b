using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// Every cookie the app sets is a <c>__Host-</c> cookie: sent only over HTTPS, for this host only (no Domain), for
/// the whole site (Path=/), out of reach of script. Browsers refuse a <c>__Host-</c> cookie that breaks any of these,
/// so a sibling subdomain or a plain-HTTP page cannot plant or overwrite one. The sign-in cookies are SameSite=Lax, so
/// a link from an e-mail opens the page signed in; the antiforgery cookie is Strict. OpenID Connect's own correlation
/// and nonce cookies keep the handler's defaults (Secure, SameSite=None, on the callback path), which the provider's
/// form post back to the app needs.
/// </summary>
/// <remarks>
/// Development alone (<c>dotnet run</c> on http://localhost:5080) keeps plain names and marks cookies Secure only over
/// HTTPS: antiforgery refuses to work over HTTP with Secure cookies, and browsers drop a <c>__Host-</c> cookie that is
/// not Secure. Every other environment, the tests' included, gets the strict rules.
/// </remarks>
public static class Cookies
{
    public const string Prefix = "__Host-";

    public static void AddCookieRules(this IServiceCollection services, IHostEnvironment environment)
    {
        var strict = !environment.IsDevelopment();
        // Identity's cookies (sign-in, external sign-in, two-factor) and any added later.
        services.PostConfigureAll<CookieAuthenticationOptions>(cookie => Harden(cookie.Cookie, strict));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "nanolearning-af";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            Harden(antiforgery.Cookie, strict);
        });
        services.Configure<CookieTempDataProviderOptions>(tempData =>
        {
            tempData.Cookie.Name = "nanolearning-tempdata";
            Harden(tempData.Cookie, strict);
        });
    }

    private static void Harden(CookieBuilder cookie, bool strict)
    {
        if (strict && cookie.Name is { } name && !name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            cookie.Name = Prefix + name;
        }

        cookie.SecurePolicy = strict ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        cookie.HttpOnly = true;
        cookie.Path = "/";
        cookie.Domain = null;
    }
}
