using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>
/// HTTPS only outside development, forwarded headers believed only from the configured proxy, and links read outside
/// the app built on Nanolearning:PublicUrl whatever Host header a request brings.
/// </summary>
public sealed class TransportTests(TransportTests.Fixture app) : IClassFixture<TransportTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["ForwardedHeaders:KnownProxies:0"] = "10.0.0.5",
            ["https_port"] = "443",
            ["Nanolearning:PublicUrl"] = "https://nanolearning.kommun.se",
        };
    }

    [Fact]
    public async Task A_plain_http_request_is_sent_to_https_and_https_answers_carry_hsts()
    {
        var plain = await Send("/logga-in", "203.0.113.9", scheme: "http");
        Assert.Equal(StatusCodes.Status307TemporaryRedirect, plain.Response.StatusCode);
        Assert.Equal("https://nanolearning.kommun.se/logga-in", plain.Response.Headers.Location.ToString());

        var secure = await Send("/logga-in", "203.0.113.9", scheme: "https");
        Assert.Equal(StatusCodes.Status200OK, secure.Response.StatusCode);
        Assert.StartsWith("max-age=", secure.Response.Headers.StrictTransportSecurity.ToString());
    }

    [Fact]
    public async Task Forwarded_headers_from_the_configured_proxy_apply()
    {
        var proxied = await Send("/logga-in", "10.0.0.5", scheme: "http", forwardedFor: "198.51.100.7", forwardedProto: "https");

        Assert.Equal(IPAddress.Parse("198.51.100.7"), proxied.Connection.RemoteIpAddress);
        Assert.Equal("https", proxied.Request.Scheme);
        Assert.Equal(StatusCodes.Status200OK, proxied.Response.StatusCode);
    }

    [Theory]
    [InlineData("203.0.113.9")]
    // Loopback is trusted by the framework's default; here only what is configured counts.
    [InlineData("127.0.0.1")]
    public async Task Forwarded_headers_from_anyone_else_are_ignored(string client)
    {
        var spoofed = await Send("/logga-in", client, scheme: "http", forwardedFor: "198.51.100.7", forwardedProto: "https");

        Assert.Equal(IPAddress.Parse(client), spoofed.Connection.RemoteIpAddress);
        Assert.Equal("http", spoofed.Request.Scheme);
        Assert.Equal(StatusCodes.Status307TemporaryRedirect, spoofed.Response.StatusCode);
    }

    [Fact]
    public async Task Calendar_links_are_on_the_configured_address_whatever_host_the_request_named()
    {
        var foreign = new Visitor(app.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            BaseAddress = new Uri("https://angripare.example"),
        }), app.Errors);
        await foreign.LogInAs("chef");
        using var created = await foreign.Submit(await foreign.Open("/arshjul/kalender"), "main form");
        var links = (await Parse(created)).QuerySelectorAll("input[id^=lank-]").Select(i => i.GetAttribute("value")!).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.StartsWith("https://nanolearning.kommun.se/kalender/", link));

        using var feed = await foreign.Client.GetAsync(new Uri(links[0]).PathAndQuery);
        var calendar = (await feed.Content.ReadAsStringAsync()).Replace("\r\n ", "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Contains("URL:https://nanolearning.kommun.se/arshjul/", calendar);
        Assert.DoesNotContain("angripare", calendar);
    }

    private Task<HttpContext> Send(string path, string client, string scheme, string? forwardedFor = null, string? forwardedProto = null) =>
        app.Server.SendAsync(http =>
        {
            http.Request.Method = HttpMethods.Get;
            http.Request.Scheme = scheme;
            http.Request.Host = new HostString("nanolearning.kommun.se");
            http.Request.Path = path;
            http.Connection.RemoteIpAddress = IPAddress.Parse(client);
            if (forwardedFor is not null)
            {
                http.Request.Headers["X-Forwarded-For"] = forwardedFor;
                http.Request.Headers["X-Forwarded-Proto"] = forwardedProto;
            }
        });
}

/// <summary>The app in the Production environment, as a kommun runs it: what it needs, and what it refuses to run without.</summary>
public sealed class ProductionSettingsTests
{
    [Fact]
    public void Production_refuses_to_start_with_keys_in_the_clear_or_any_host()
    {
        using var app = new InProduction(root => new Dictionary<string, string>
        {
            ["Nanolearning:Demo"] = "false",
            ["Nanolearning:PublicUrl"] = "https://nanolearning.kommun.se",
        });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var messages = string.Join("\n", SettingsFailures(failure));
        Assert.Contains("DataProtection:CertificatePath is not set in the Production environment", messages);
        Assert.Contains("AllowedHosts is \"*\" in the Production environment", messages);
    }

    [Fact]
    public void Production_refuses_to_start_on_a_plain_http_address()
    {
        using var app = new InProduction(root => new Dictionary<string, string>(InProduction.Required(root))
        {
            ["Nanolearning:Demo"] = "false",
            ["Nanolearning:PublicUrl"] = "http://nanolearning.kommun.se",
        });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Nanolearning:PublicUrl \"http://nanolearning.kommun.se\" is not an https address", string.Join("\n", SettingsFailures(failure)));
    }

    [Fact]
    public async Task A_request_for_another_host_is_refused()
    {
        using var app = new InProduction(root => new Dictionary<string, string>(InProduction.Required(root)) { ["Nanolearning:Demo"] = "false" });

        using var own = await app.CreateClient().GetAsync("https://localhost/logga-in");
        using var other = await app.CreateClient().GetAsync("https://angripare.example/logga-in");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }

    [Fact]
    public async Task The_keys_are_stored_encrypted_with_the_configured_certificate()
    {
        using var app = new InProduction(root => new Dictionary<string, string>(InProduction.Required(root)) { ["Nanolearning:Demo"] = "false" });

        await app.NewVisitor().Open("/logga-in");

        var keys = await app.Query(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<encryptedSecret", xml);
            Assert.DoesNotContain("<masterKey", xml);
        });
    }

    [Fact]
    public void A_certificate_that_cannot_be_read_stops_the_app()
    {
        using var app = new InProduction(root => new Dictionary<string, string>(InProduction.Required(root))
        {
            ["Nanolearning:Demo"] = "false",
            ["DataProtection:CertificatePassword"] = "fel lösenord",
        });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("cannot be read as a PFX file with DataProtection:CertificatePassword", string.Join("\n", SettingsFailures(failure)));
    }

    [Fact]
    public void Impossible_session_settings_stop_the_app()
    {
        using var app = new InProduction(root => new Dictionary<string, string>(InProduction.Required(root))
        {
            ["Nanolearning:Demo"] = "false",
            ["Sessions:IdleTimeout"] = "02:00:00",
            ["Sessions:AbsoluteLifetime"] = "01:00:00",
        });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Sessions:AbsoluteLifetime must be at least Sessions:IdleTimeout", string.Join("\n", SettingsFailures(failure)));
    }

    public static IEnumerable<string> SettingsFailures(Exception e) =>
        Flatten(e).OfType<OptionsValidationException>().SelectMany(v => v.Failures);

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException many ? many.InnerExceptions.SelectMany(Flatten) : e.InnerException is { } inner ? [e, .. Flatten(inner)] : [e];
}

/// <summary>The app in the Production environment with the settings <paramref name="settings"/> makes for its folder.</summary>
public sealed class InProduction(Func<string, IReadOnlyDictionary<string, string>> settings) : AppFixture
{
    public const string CertificatePassword = "ett lösenord för nyckelcertifikatet";

    protected override IReadOnlyDictionary<string, string> Settings => settings(Root);

    /// <summary>What production needs to start: a key certificate (written to <paramref name="root"/>), its host names, an https address.</summary>
    public static IReadOnlyDictionary<string, string> Required(string root)
    {
        var path = Path.Combine(root, "nycklar.pfx");
        if (!File.Exists(path))
        {
            using var certificate = NewCertificate("CN=Nanolearning nycklar");
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, CertificatePassword));
        }

        return new Dictionary<string, string>
        {
            ["DataProtection:CertificatePath"] = path,
            ["DataProtection:CertificatePassword"] = CertificatePassword,
            ["AllowedHosts"] = "localhost",
            ["Nanolearning:PublicUrl"] = "https://localhost",
        };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}
