using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>Settings for signing in with the municipality's identity provider (Entra ID or similar), section "OpenIdConnect".</summary>
public sealed class OpenIdConnectSettings
{
    public const string Section = "OpenIdConnect";
    public const string Scheme = "kommunkonto";

    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The claim that identifies the employee, for example "employeeid" (Entra ID) or "email".</summary>
    public string Claim { get; set; } = "email";

    /// <summary>What the claim is matched against: the learner's employee number or e-mail.</summary>
    public LearnerKey MatchOn { get; set; } = LearnerKey.Email;

    /// <summary>
    /// When matching on e-mail, require the provider's <c>email_verified</c> claim to be true. Turn off only for a
    /// provider where users cannot change their own address; an unchangeable claim (employee id) is better still.
    /// </summary>
    public bool RequireVerifiedEmail { get; set; } = true;

    /// <summary>The name on the login button.</summary>
    public string DisplayName { get; set; } = "Logga in med ditt kommunkonto";

    /// <summary>
    /// The e-mail and password form. Turn it off to send everyone through the kommun's identity provider: the login
    /// page then offers only its button (and the demo's, in demo mode), and a posted password is refused with 404.
    /// Only with an identity provider configured; admins then sign in through it too, so their login must belong to
    /// an employee the provider knows.
    /// </summary>
    public bool PasswordSignIn { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);

    /// <summary>Settings that cannot work, named for the start-up error.</summary>
    public IEnumerable<string> Mistakes()
    {
        if (!PasswordSignIn && !IsConfigured)
        {
            yield return "OpenIdConnect:PasswordSignIn is false, but no identity provider is configured (OpenIdConnect:Authority and ClientId): "
                + "nobody could sign in. Configure the kommun's identity provider, or leave password sign-in on.";
        }
    }
}

public enum LearnerKey
{
    Email,
    EmployeeNumber,
}

public static class OpenIdConnectSignIn
{
    /// <summary>Adds OpenID Connect next to password sign-in when the "OpenIdConnect" section names an authority and client.</summary>
    public static void AddIfConfigured(IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(OpenIdConnectSettings.Section);
        services.AddOptions<OpenIdConnectSettings>().Bind(section).ValidateSettings(settings => settings.Mistakes());
        var settings = section.Get<OpenIdConnectSettings>() ?? new();
        if (!settings.IsConfigured)
        {
            return;
        }

        services.AddAuthentication().AddOpenIdConnect(OpenIdConnectSettings.Scheme, settings.DisplayName, oidc =>
        {
            oidc.SignInScheme = IdentityConstants.ExternalScheme;
            oidc.Authority = settings.Authority;
            oidc.ClientId = settings.ClientId;
            oidc.ClientSecret = settings.ClientSecret;
            oidc.ResponseType = OpenIdConnectResponseType.Code;
            oidc.UsePkce = true;
            oidc.MapInboundClaims = false;
            oidc.GetClaimsFromUserInfoEndpoint = true;
            oidc.Scope.Add("email");
            oidc.CallbackPath = "/signin-oidc";
            // Cancelled at the provider, or the provider refused: back to the login page with a plain message.
            oidc.Events.OnRemoteFailure = context =>
            {
                var login = context.HttpContext.RequestServices.GetRequiredService<LinkGenerator>()
                    .GetPathByPage(context.HttpContext, "/Accounts/Login", values: new { kommunkonto = "misslyckades" });
                context.Response.Redirect(login ?? throw new InvalidOperationException("No route to the login page."));
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
    }
}

/// <summary>
/// Turns an external sign-in into a learner's account: the configured claim is matched to a learner record, and
/// the learner's login is created or reused. Only people in the staff register (or added as politicians) get in.
/// </summary>
public sealed class ExternalAccounts(AppDbContext db, UserManager<AppUser> users)
{
    public async Task<Learner?> FindLearnerAsync(ClaimsPrincipal external, OpenIdConnectSettings settings, CancellationToken cancel = default)
    {
        var value = external.FindFirstValue(settings.Claim)?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        // An address the user could type in themselves must not open somebody else's account.
        if (settings.MatchOn == LearnerKey.Email && settings.RequireVerifiedEmail
            && !string.Equals(external.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var active = db.Learners.Where(l => l.IsActive);
        return settings.MatchOn switch
        {
            LearnerKey.EmployeeNumber => await active.FirstOrDefaultAsync(l => l.EmployeeNumber == value, cancel),
            // E-mail addresses are case-insensitive in practice; the register may spell them differently.
            _ => await active.FirstOrDefaultAsync(l => l.Email.ToUpper() == value.ToUpperInvariant(), cancel),
        };
    }

    /// <summary>
    /// The learner's login, created with the learner's roles the first time they sign in externally. Null when the
    /// learner's login is already tied to another identity at the same provider: one person, one external identity.
    /// </summary>
    public async Task<AppUser?> EnsureUserAsync(Learner learner, UserLoginInfo login)
    {
        var user = await users.Users.FirstOrDefaultAsync(u => u.LearnerId == learner.Id);
        if (user is null)
        {
            user = new AppUser { UserName = learner.Email, Email = learner.Email, EmailConfirmed = true, LearnerId = learner.Id };
            Check(await users.CreateAsync(user));
            Check(await users.AddToRolesAsync(user, RolesOf(learner)));
        }

        var linked = (await users.GetLoginsAsync(user)).Where(l => l.LoginProvider == login.LoginProvider).ToList();
        if (linked.Count == 0)
        {
            Check(await users.AddLoginAsync(user, login));
        }
        else if (linked.All(l => l.ProviderKey != login.ProviderKey))
        {
            return null;
        }

        return user;
    }

    /// <summary>Roles follow from the learner's audiences: chefer lead units, politicians sit in a nämnd.</summary>
    public static IEnumerable<string> RolesOf(Learner learner)
    {
        if (learner.Audiences.Contains(Audience.Politician))
        {
            yield return Roles.Politician;
            yield break;
        }

        yield return Roles.Employee;
        if (learner.Audiences.Contains(Audience.Manager))
        {
            yield return Roles.Manager;
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
