using System.Net;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;

namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto the app believes (section "ForwardedHeaders").
/// Nobody by default, not even loopback: a header any client can send must not decide the client's address or
/// whether the request came over HTTPS.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>The proxies' own addresses, e.g. <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies are in, e.g. <c>10.0.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public IEnumerable<string> Mistakes()
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return $"ForwardedHeaders:KnownProxies \"{proxy}\" is not an IP address.";
        }

        foreach (var network in KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            yield return $"ForwardedHeaders:KnownNetworks \"{network}\" is not a network such as 10.0.0.0/24.";
        }
    }
}

public static class Transport
{
    /// <summary>Development on a laptop and the tests; everything else is treated as production.</summary>
    public static bool IsDevelopmentOrTesting(this IHostEnvironment environment) =>
        environment.IsDevelopment() || environment.IsEnvironment("Testing");

    public static void AddTransport(this WebApplicationBuilder builder)
    {
        var environment = builder.Environment;
        builder.Services.AddOptions<ProxyOptions>().Bind(builder.Configuration.GetSection(ProxyOptions.Section)).ValidateSettings(p => p.Mistakes());
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<Microsoft.Extensions.Options.IOptions<ProxyOptions>>((forwarded, proxies) =>
        {
            // Replaces the framework's defaults (loopback trusted) and ASPNETCORE_FORWARDEDHEADERS_ENABLED's (anyone trusted).
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // The obsolete list is still consulted; it must not keep its loopback default.
            forwarded.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in proxies.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in proxies.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }

            // With no proxy listed, empty lists would mean "trust everyone" to the middleware: so read nothing.
            forwarded.ForwardedHeaders = forwarded.KnownProxies.Count + forwarded.KnownIPNetworks.Count == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        });
        // Links in e-mail and calendars use Nanolearning:PublicUrl, but sign-in redirects and the identity provider's
        // return address are built from the Host header: outside development only the kommun's own host names count.
        builder.Services.AddOptions<HostFilteringOptions>().ValidateSettings(hosts =>
            !environment.IsDevelopmentOrTesting() && (hosts.AllowedHosts.Count == 0 || hosts.AllowedHosts.Contains("*"))
                ? [$"AllowedHosts is \"*\" in the {environment.EnvironmentName} environment: set it to the host name(s) people use, "
                    + "e.g. \"nanolearning.kommun.se\" (several separated by ;)."]
                : []);
    }

    /// <summary>First in the pipeline: the real client and scheme from a known proxy, then HTTPS only outside development.</summary>
    public static void UseTransport(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
    }
}
