using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Nanolearning.Web.Tests;

/// <summary>The app on a real Kestrel port on 127.0.0.1 over HTTPS, and Debian's Chromium driven by Playwright.</summary>
public sealed class BrowserFixture : AppFixture, IAsyncLifetime
{
    private IPlaywright? _playwright;

    public BrowserFixture() => UseHttpsKestrel();

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // CI machines have two cores shared by parallel test classes; expectations wait as long as actions do.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
    }

    public async Task<IPage> NewPage(int width, bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl,
            // The fixture's own self-signed certificate.
            IgnoreHTTPSErrors = true,
            ViewportSize = new() { Width = width, Height = 800 },
            JavaScriptEnabled = javaScript,
            Locale = "sv-SE",
        });
        return await context.NewPageAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}
