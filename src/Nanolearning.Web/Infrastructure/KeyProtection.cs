using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// The Data Protection keys (they sign the sign-in cookies and the links in e-mails) live in the app's database, so a
/// restart or a second instance logs nobody out. Encrypted with a certificate the database does not hold, a copy of
/// the database is not enough to forge an admin's cookie (section "DataProtection").
/// </summary>
public sealed class KeyProtectionOptions
{
    public const string Section = "DataProtection";

    /// <summary>A PFX file with the certificate and its private key that encrypts the keys at rest.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>The PFX file's password; best from the environment (<c>DataProtection__CertificatePassword</c>).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Outside Development and the tests the keys must not sit in the database in the clear.</summary>
    public static bool Required(IHostEnvironment environment) => !environment.IsDevelopment() && !environment.IsEnvironment("Testing");

    public IEnumerable<string> Mistakes(IHostEnvironment environment)
    {
        if (string.IsNullOrWhiteSpace(CertificatePath))
        {
            if (Required(environment))
            {
                yield return $"DataProtection:CertificatePath is not set in the {environment.EnvironmentName} environment. Without it the keys that sign "
                    + "sign-in cookies sit unencrypted in the database, and a copy of the database lets anyone sign in as an admin. "
                    + "Give a PFX file (DataProtection:CertificatePath, DataProtection:CertificatePassword); see README, Running the app.";
            }

            yield break;
        }

        if (Load(out var error) is { } certificate)
        {
            certificate.Dispose();
        }
        else
        {
            yield return error!;
        }
    }

    /// <summary>The certificate, or null with the reason; the file is read anew each time (at start-up only).</summary>
    public X509Certificate2? Load(out string? error)
    {
        error = null;
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword);
            if (certificate.HasPrivateKey)
            {
                return certificate;
            }

            certificate.Dispose();
            error = $"DataProtection:CertificatePath \"{CertificatePath}\" has no private key, so the keys could not be read back.";
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            error = $"DataProtection:CertificatePath \"{CertificatePath}\" cannot be read as a PFX file with DataProtection:CertificatePassword: {e.Message}";
        }

        return null;
    }
}

public static class KeyProtection
{
    /// <summary>Keys in the app database, encrypted with the configured certificate when there is one.</summary>
    public static void AddKeyProtection(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(KeyProtectionOptions.Section);
        builder.Services.AddOptions<KeyProtectionOptions>().Bind(section).ValidateSettings(s => s.Mistakes(builder.Environment));
        var keys = builder.Services.AddDataProtection().SetApplicationName("Nanolearning").PersistKeysToDbContext<AppDbContext>();
        // A certificate that cannot be loaded is reported by the validation above, which stops the app at start-up.
        if (section.Get<KeyProtectionOptions>() is { CertificatePath.Length: > 0 } settings && settings.Load(out _) is { } certificate)
        {
            keys.ProtectKeysWithCertificate(certificate);
        }
    }
}
