using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Nanolearning.Xapi;

namespace Nanolearning.Web.Features.Xapi;

/// <summary>
/// The built-in LRS's own HTTP Basic credentials (<see cref="XapiOptions.Lrs"/>), never a user's login. The scheme is
/// never the default: only the LRS's policy names it, so a login cookie opens no LRS resource and these credentials
/// sign nobody into a page. Without a configured password it authenticates no one.
/// </summary>
public sealed class LrsBasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<XapiOptions> xapi)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "XapiBasic";

    /// <summary>The authorization policy of every LRS resource but About: an identity from this scheme alone.</summary>
    public const string PolicyName = "XapiLrs";

    private const string Challenge = "Basic realm=\"Nanolearning xAPI\", charset=\"UTF-8\"";

    /// <summary>
    /// The scheme beside Identity's cookie, never the default, and the LRS's policy, which alone names it: so a login
    /// cookie opens no LRS resource and these credentials open no page. The app and the LRS benchmark both call this.
    /// </summary>
    public static void AddTo(IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, LrsBasicAuthenticationHandler>(SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(PolicyName, policy => policy.AddAuthenticationSchemes(SchemeName).RequireAuthenticatedUser());
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var lrs = xapi.Value.Lrs;
        // The failure messages go to the log: they say what was wrong with the header, never what it held.
        return Task.FromResult(Check(Request, lrs) switch
        {
            LrsCredentials.None => AuthenticateResult.NoResult(),
            LrsCredentials.NotBase64 => AuthenticateResult.Fail("The Basic credentials are not base64."),
            LrsCredentials.Wrong => AuthenticateResult.Fail("The Basic credentials are not this LRS's."),
            _ => AuthenticateResult.Success(new AuthenticationTicket(
                new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, lrs.Username)], Scheme.Name)), Scheme.Name)),
        });
    }

    /// <summary>
    /// What the request's Basic credentials are to this LRS. Also the rate limiter's question (RateLimits), which runs
    /// before authentication so that guesses at the password are limited per address, not per credential.
    /// </summary>
    public static LrsCredentials Check(HttpRequest request, LrsOptions lrs)
    {
        if (!lrs.IsOpenToClients
            || request.Headers.Authorization is not [var value]
            || !AuthenticationHeaderValue.TryParse(value, out var header)
            || !header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return LrsCredentials.None;
        }

        var parameter = header.Parameter ?? "";
        var sent = new byte[Base64.GetMaxDecodedFromUtf8Length(parameter.Length)];
        if (!Convert.TryFromBase64String(parameter, sent, out var length))
        {
            return LrsCredentials.NotBase64;
        }

        // "user:password" as sent against the configured pair in constant time; the user name holds no colon.
        var expected = Encoding.UTF8.GetBytes($"{lrs.Username}:{lrs.Password}");
        return CryptographicOperations.FixedTimeEquals(sent.AsSpan(0, length), expected) ? LrsCredentials.Valid : LrsCredentials.Wrong;
    }

    /// <summary>401 as xAPI clients expect it: the Basic challenge and a plain message, never the app's Swedish error page.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers[LrsEndpoints.VersionHeader] = RemoteLrs.XapiVersion;
        Response.Headers.WWWAuthenticate = Challenge;
        return LrsEndpoints.Error(StatusCodes.Status401Unauthorized, "Credentials for this LRS are required (HTTP Basic).").ExecuteAsync(Context);
    }
}

/// <summary>What a request's Basic credentials are to the built-in LRS.</summary>
public enum LrsCredentials
{
    None,
    NotBase64,
    Wrong,
    Valid,
}
