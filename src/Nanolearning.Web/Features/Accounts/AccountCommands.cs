using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Accounts;

/// <summary>
/// The operator's commands, run instead of the web server (<c>dotnet Nanolearning.Web.dll admin create --email …</c>),
/// on the same settings and database, through Identity so its rules apply. No password ever passes through them: they
/// print a single-use link, valid for a day, where the person chooses their own password (<see cref="NewPasswordModel"/>).
/// The operator hands the link over; it lands in no log and no shell history, and dies once used.
/// </summary>
public static class AccountCommands
{
    public const string Usage = """
        Användning:
          admin create --email <e-postadress>      skapa en administratör (eller gör ett befintligt konto till administratör)
                                                   och skriv ut en länk där hen väljer sitt lösenord
          password reset --email <e-postadress>    skriv ut en länk där personen väljer ett nytt lösenord
          admin reset-2fa --email <e-postadress>   stäng av en administratörs tvåstegsverifiering (tappad telefon och
                                                   reservkoder); nästa inloggning ber hen ställa in appen på nytt
        """;

    /// <summary>Whether the command line asks for one of these commands rather than the web server.</summary>
    public static bool IsCommand(string[] args) => args is ["admin" or "password", ..];

    /// <summary>Runs the command on the app's services; returns the process exit code.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        var email = ValueOf(args, "--email")?.Trim();
        if (email is null || !new EmailAddressAttribute().IsValid(email))
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }

        using var scope = services.CreateScope();
        // Not in the middle of a starting instance's migrations.
        await using (await DatabaseLock.AcquireAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), DatabaseLock.StartUp, createDatabase: true))
        {
            await Startup.PrepareDatabaseAsync(scope.ServiceProvider);
            BackgroundJobs.InstallSchema(scope.ServiceProvider.GetRequiredService<IConfiguration>());
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var command = string.Join(' ', args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)));
        switch (command)
        {
            case "admin create":
                var created = await CreateAdminAsync(scope.ServiceProvider, users, email, output);
                return created is null ? 1 : await PrintLinkAsync(scope.ServiceProvider, users, created, output);
            case "password reset":
                if (await users.FindByEmailAsync(email) is not { } user)
                {
                    await output.WriteLineAsync($"Det finns inget konto med e-postadressen {email}.");
                    return 1;
                }

                return await PrintLinkAsync(scope.ServiceProvider, users, user, output);
            case "admin reset-2fa":
                if (await users.FindByEmailAsync(email) is not { } admin)
                {
                    await output.WriteLineAsync($"Det finns inget konto med e-postadressen {email}.");
                    return 1;
                }

                // Off, and a new key: the old phone's codes stop working; the next sign-in sets up the app again.
                await users.SetTwoFactorEnabledAsync(admin, false);
                await users.ResetAuthenticatorKeyAsync(admin);
                await users.GenerateNewTwoFactorRecoveryCodesAsync(admin, 0);
                await output.WriteLineAsync($"Tvåstegsverifiering är avstängd för {email}. Vid nästa inloggning med lösenord får hen ställa in appen igen.");
                return 0;
            default:
                await output.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static async Task<AppUser?> CreateAdminAsync(IServiceProvider services, UserManager<AppUser> users, string email, TextWriter output)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            // Someone already in the staff file gets their own learner record linked; anyone else an account of their own.
            var db = services.GetRequiredService<AppDbContext>();
            var learnerId = await db.Learners.Where(l => l.Email == email).Select(l => (int?)l.Id).FirstOrDefaultAsync();
            user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, LearnerId = learnerId };
            if (!await Succeeded(await users.CreateAsync(user), output))
            {
                return null;
            }
        }

        if (!await users.IsInRoleAsync(user, Roles.Admin) && !await Succeeded(await users.AddToRoleAsync(user, Roles.Admin), output))
        {
            return null;
        }

        await output.WriteLineAsync($"{email} är administratör.");
        return user;
    }

    private static async Task<int> PrintLinkAsync(IServiceProvider services, UserManager<AppUser> users, AppUser user, TextWriter output)
    {
        var token = await users.GeneratePasswordResetTokenAsync(user);
        // Spelled out, not from the page's route: outside a running server Razor Pages' routes are not built.
        var link = services.GetRequiredService<ReminderLinks>().Absolute(
            QueryHelpers.AddQueryString(NewPasswordModel.Address, new Dictionary<string, string?> { ["anvandare"] = user.Id, ["kod"] = token }));
        await output.WriteLineAsync("Ge personen den här länken på ett säkert sätt (inte i ett delat ärende eller en chatt som sparas).");
        await output.WriteLineAsync("Där väljer hen sitt lösenord. Länken fungerar en gång och gäller i ett dygn:");
        await output.WriteLineAsync();
        await output.WriteLineAsync(link);
        return 0;
    }

    private static async Task<bool> Succeeded(IdentityResult result, TextWriter output)
    {
        foreach (var error in result.Errors)
        {
            await output.WriteLineAsync(error.Description);
        }

        return result.Succeeded;
    }

    private static string? ValueOf(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
