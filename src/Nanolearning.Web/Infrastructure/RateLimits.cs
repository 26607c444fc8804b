using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Xapi;
using Nanolearning.Xapi;

namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// ASP.NET Core's rate limiter on what can be hammered: password sign-in (per client address), the lesson player's
/// posts (per learner) and the built-in LRS (per credential, and per address without valid credentials). A refused
/// request gets 429 with Retry-After: the Swedish error page for pages, a plain xAPI error for <c>/xapi</c>.
/// Pages and endpoints opt in with <c>[EnableRateLimiting]</c> or <c>RequireRateLimiting</c> naming a policy here.
/// </summary>
public static class RateLimits
{
    /// <summary>Password posts to the login page, per client address.</summary>
    public const string SignIn = "sign-in";

    /// <summary>Posts to the lesson player (answers, the final quiz, next lesson), per signed-in user.</summary>
    public const string Answers = "answers";

    /// <summary>Every <c>/xapi</c> request, per LRS credential, or per address for requests without valid credentials.</summary>
    public const string Xapi = "xapi";

    public static IServiceCollection AddRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section)).ValidateSettings(settings => settings.Mistakes());
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RefuseAsync;
            limiter.AddPolicy(SignIn, context =>
                HttpMethods.IsPost(context.Request.Method) && IsHandler(context, "Password")
                    ? Window($"ip:{ClientAddress(context)}", Settings(context).SignIn)
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.AddPolicy(Answers, context =>
                !HttpMethods.IsPost(context.Request.Method) ? RateLimitPartition.GetNoLimiter("")
                : context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } user ? Window($"user:{user}", Settings(context).Answers)
                // Not signed in: the page will send them to the login; count them by address meanwhile.
                : Window($"ip:{ClientAddress(context)}", Settings(context).Answers));
            limiter.AddPolicy(Xapi, context =>
            {
                var lrs = context.RequestServices.GetRequiredService<IOptions<XapiOptions>>().Value.Lrs;
                // The credential is checked here too, not just read: a made-up user name must not open a fresh partition,
                // and guesses at the password must not use up the real client's.
                return LrsBasicAuthenticationHandler.Check(context.Request, lrs) == LrsCredentials.Valid
                    ? Window($"lrs:{lrs.Username}", Settings(context).Xapi)
                    : Window($"ip:{ClientAddress(context)}", Settings(context).XapiUnauthenticated);
            });
        });
    }

    private static RateLimitOptions Settings(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;

    private static RateLimitPartition<string> Window(string key, RateLimit limit) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
        });

    // Razor Pages picks the handler from the route value, then the query string (?handler=Password), ignoring case.
    private static bool IsHandler(HttpContext context, string handler)
    {
        var asked = context.GetRouteValue("handler") as string;
        if (string.IsNullOrEmpty(asked))
        {
            asked = context.Request.Query["handler"];
        }

        return string.Equals(asked, handler, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The client's address as the connection (or a configured proxy's forwarded header) gives it. IPv6 clients count by
    /// their /64 network: one subscriber usually has a whole /64 and could otherwise change address per request.
    /// </summary>
    internal static string ClientAddress(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } address)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static async ValueTask RefuseAsync(OnRejectedContext rejected, CancellationToken cancel)
    {
        var context = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        if (context.Request.Path.StartsWithSegments("/xapi"))
        {
            // An LRS client reads a plain message, never the app's Swedish page.
            context.Response.Headers[LrsEndpoints.VersionHeader] = RemoteLrs.XapiVersion;
            await LrsEndpoints.Error(StatusCodes.Status429TooManyRequests,
                $"Too many requests to this LRS; try again in {context.Response.Headers.RetryAfter} seconds.").ExecuteAsync(context);
        }

        // Pages: the status code pages show the Swedish page /fel/429, which reads Retry-After.
    }
}

/// <summary>
/// How many requests one client may make in a window (section "RateLimits"). The defaults leave a person working
/// normally well clear of the limits; raise <see cref="SignIn"/> when many people sign in with a password from behind
/// one shared address.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Password sign-in posts per client address. Identity's lockout limits guesses per account as well.</summary>
    public RateLimit SignIn { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Posts in the lesson player per signed-in learner: answers, the final quiz, "next".</summary>
    public RateLimit Answers { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Requests to the built-in LRS per credential.</summary>
    public RateLimit Xapi { get; set; } = new() { PermitLimit = 600, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Requests to the built-in LRS without valid credentials (About, wrong passwords), per client address.</summary>
    public RateLimit XapiUnauthenticated { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };

    public IEnumerable<string> Mistakes()
    {
        foreach (var (name, limit) in new[] { (nameof(SignIn), SignIn), (nameof(Answers), Answers), (nameof(Xapi), Xapi), (nameof(XapiUnauthenticated), XapiUnauthenticated) })
        {
            if (limit.PermitLimit < 1)
            {
                yield return $"{Section}:{name}:PermitLimit must be at least 1.";
            }

            if (limit.Window <= TimeSpan.Zero)
            {
                yield return $"{Section}:{name}:Window must be positive, such as 00:01:00.";
            }
        }
    }
}

/// <summary><see cref="PermitLimit"/> requests in each <see cref="Window"/> (a fixed window: the count starts over when it ends).</summary>
public sealed class RateLimit
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }
}
