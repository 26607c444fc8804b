using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Nanolearning.Xapi;

namespace Nanolearning.Web.Tests;

/// <summary>The app on a real Kestrel port on 127.0.0.1 (HTTPS) with its built-in LRS open to clients with Basic credentials.</summary>
public class XapiLrsFixture : AppFixture, IAsyncLifetime
{
    public const string Username = "lrs-klient";
    public const string LrsPassword = "ett hemligt LRS-lösenord";

    public XapiLrsFixture() => UseHttpsKestrel();

    public string BaseUrl { get; private set; } = "";

    public Uri Endpoint => new(BaseUrl + "/xapi/");

    public HttpClient Http { get; } = new(TrustingTestCertificate());

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(ExtraSettings)
    {
        ["Xapi:HomePage"] = "https://www.exempelkommun.se/",
        ["Xapi:Lrs:Username"] = Username,
        ["Xapi:Lrs:Password"] = LrsPassword,
    };

    protected virtual IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>();

    /// <summary>A visitor over the Kestrel port (the factory's own client would talk to an in-memory server that is not there).</summary>
    public Visitor NewKestrelVisitor() =>
        new(new HttpClient(WithoutRedirects(TrustingTestCertificate())) { BaseAddress = new Uri(BaseUrl) }, Errors);

    private static HttpClientHandler WithoutRedirects(HttpClientHandler handler)
    {
        handler.AllowAutoRedirect = false;
        return handler;
    }

    public RemoteLrs Client(string password = LrsPassword) => new(Http, Endpoint, Username, password);

    /// <summary>A raw request with the LRS's credentials and, unless left out, the version header.</summary>
    public HttpRequestMessage Request(HttpMethod method, string relative, string? json = null, bool version = true, string? password = LrsPassword, string username = Username)
    {
        var request = new HttpRequestMessage(method, new Uri(Endpoint, relative));
        if (password is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        }

        if (version)
        {
            request.Headers.Add("X-Experience-API-Version", "1.0.3");
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    public virtual Task InitializeAsync()
    {
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        Http.Dispose();
        await base.DisposeAsync();
    }
}
