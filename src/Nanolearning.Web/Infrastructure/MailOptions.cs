using MailKit.Security;
using MimeKit;

namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// How e-mail leaves the app (section "Mail"). With no <see cref="Host"/> nothing is sent: every message is written as
/// an .eml file to <see cref="PickupFolder"/> and admins read it at /admin/e-post, so a demo needs no mail server.
/// The folder is per server, so on PostgreSQL (several instances) it takes <see cref="SingleInstance"/>.
/// </summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>The SMTP server; empty means the pickup folder.</summary>
    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    /// <summary>
    /// MailKit's names: <c>StartTls</c> (port 587), <c>SslOnConnect</c> (port 465), <c>StartTlsWhenAvailable</c>,
    /// <c>None</c> (only for a relay on the same machine or network), <c>Auto</c>.
    /// </summary>
    public SecureSocketOptions Tls { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>Empty means the server does not ask for a login (a relay that trusts the app's address).</summary>
    public string UserName { get; set; } = "";

    public string Password { get; set; } = "";

    public string FromAddress { get; set; } = "nanolearning@localhost";

    public string FromName { get; set; } = "Nanolearning";

    /// <summary>Where messages go when no host is set, relative to the app's content root unless absolute.</summary>
    public string PickupFolder { get; set; } = "App_Data/mail";

    /// <summary>The longest one send may take, connecting included, before it counts as a failed delivery.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Says that exactly one instance of the app runs, so the pickup folder (which is per server) also works on
    /// PostgreSQL. Several instances need an SMTP server: each would write to a folder of its own and show admins
    /// only its own part of what was sent.
    /// </summary>
    public bool SingleInstance { get; set; }

    public bool UsesPickupFolder => string.IsNullOrWhiteSpace(Host);

    /// <summary>Settings that cannot work, named for the start-up error; <paramref name="provider"/> is Database:Provider.</summary>
    public IEnumerable<string> Mistakes(string provider = Database.Sqlite)
    {
        if (!MailboxAddress.TryParse(FromAddress, out var from) || !from.Address.Contains('@'))
        {
            yield return $"Mail:FromAddress \"{FromAddress}\" is not an e-mail address.";
        }

        if (SendTimeout <= TimeSpan.Zero)
        {
            yield return "Mail:SendTimeout must be positive.";
        }

        if (UsesPickupFolder)
        {
            if (string.IsNullOrWhiteSpace(PickupFolder))
            {
                yield return "Mail:PickupFolder must be set when Mail:Host is empty.";
            }

            if (provider == Database.PostgreSql && !SingleInstance)
            {
                yield return "Mail:Host is empty, so e-mail would go to a pickup folder on each server, but Database:Provider is PostgreSql, "
                    + "where several instances may run: set Mail:Host to an SMTP server, or Mail:SingleInstance to true if exactly one instance runs. "
                    + "/ Ingen e-postserver (Mail:Host) är angiven och e-post skulle hamna i en mapp på varje server, men med PostgreSQL kan flera "
                    + "instanser köras: ange en SMTP-server i Mail:Host, eller Mail:SingleInstance = true om bara en instans körs.";
            }

            yield break;
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"Mail:Port {Port} is not a TCP port.";
        }

        if (!Enum.IsDefined(Tls))
        {
            yield return $"Mail:Tls {Tls} is not one of None, Auto, SslOnConnect, StartTls, StartTlsWhenAvailable.";
        }

        if (string.IsNullOrEmpty(UserName) != string.IsNullOrEmpty(Password))
        {
            yield return "Mail:UserName and Mail:Password go together: set both or neither.";
        }
    }
}
