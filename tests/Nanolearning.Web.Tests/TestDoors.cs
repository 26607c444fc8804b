using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Accounts;

namespace Nanolearning.Web.Tests;

/// <summary>
/// What the in-memory test server cannot give a test by itself, added in front of the app's own pipeline:
/// a client address (the header <see cref="ClientHeader"/>, as Kestrel would report the connection's), and the
/// kommun's identity provider having said who someone is (<see cref="KommunkontoPath"/>: the external cookie the
/// OpenID Connect handler would set on its callback, after which the browser goes to <c>/logga-in/extern</c>).
/// </summary>
public sealed class TestDoors : IStartupFilter
{
    public const string ClientHeader = "X-Test-Client-Address";

    public const string KommunkontoPath = "/test/kommunkonto";

    public static void AddTo(IServiceCollection services) => services.AddSingleton<IStartupFilter, TestDoors>();

    /// <summary>A visitor coming from <paramref name="address"/>.</summary>
    public static Visitor From(Visitor visitor, string address)
    {
        visitor.Client.DefaultRequestHeaders.Add(ClientHeader, address);
        return visitor;
    }

    /// <summary>Signs <paramref name="email"/> in at the identity provider (verified address) and comes back to the app.</summary>
    public static async Task<HttpResponseMessage> SignInWithKommunkonto(Visitor visitor, string email)
    {
        (await visitor.Client.GetAsync($"{KommunkontoPath}?email={Uri.EscapeDataString(email)}")).Dispose();
        return await visitor.Client.GetAsync("/logga-in/extern");
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, following) =>
        {
            if (context.Request.Headers[ClientHeader] is [{ } address])
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(address);
            }

            if (context.Request.Path == KommunkontoPath)
            {
                var email = context.Request.Query["email"].ToString();
                var identity = new ClaimsIdentity(
                    [new Claim(ClaimTypes.NameIdentifier, "subject-" + email), new Claim("email", email), new Claim("email_verified", "true")],
                    OpenIdConnectSettings.Scheme);
                var properties = new AuthenticationProperties { Items = { ["LoginProvider"] = OpenIdConnectSettings.Scheme } };
                await context.SignInAsync(IdentityConstants.ExternalScheme, new ClaimsPrincipal(identity), properties);
                return;
            }

            await following();
        });
        next(app);
    };
}

/// <summary>The app's password hasher, counting how many hashes it verifies.</summary>
public sealed class CountingPasswordHasher(IOptions<PasswordHasherOptions> options) : IPasswordHasher<AppUser>
{
    private readonly PasswordHasher<AppUser> _hasher = new(options);

    private int _verified;

    public int Verified => Volatile.Read(ref _verified);

    public static void AddTo(IServiceCollection services)
    {
        services.AddSingleton<CountingPasswordHasher>();
        services.AddSingleton<IPasswordHasher<AppUser>>(provider => provider.GetRequiredService<CountingPasswordHasher>());
    }

    public string HashPassword(AppUser user, string password) => _hasher.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verified);
        return _hasher.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
