using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Nanolearning.Web.Mail;

/// <summary>
/// Sends one e-mail as plain text plus HTML: over SMTP when <see cref="MailOptions.Host"/> is set, otherwise as an
/// .eml file in the pickup folder. Every way the server can fail becomes <see cref="MailDeliveryFailed"/>.
/// </summary>
public sealed class Mailer(IOptions<MailOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<Mailer> log)
{
    private readonly MailOptions _options = options.Value;

    public string PickupFolder => Path.GetFullPath(_options.PickupFolder, environment.ContentRootPath);

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancel = default)
    {
        var message = Compose(mail);
        if (_options.UsesPickupFolder)
        {
            await WriteToPickupFolderAsync(message, cancel);
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(_options.SendTimeout);
        try
        {
            await SendOverSmtpAsync(message, timeout.Token);
        }
        catch (OperationCanceledException failure) when (!cancel.IsCancellationRequested)
        {
            throw Failed($"no answer within {_options.SendTimeout.TotalSeconds:0.#} s", permanent: false, failure);
        }
        catch (SmtpCommandException failure)
        {
            // 5xx: the server will refuse this message again; 4xx (busy, greylisting, mailbox full for now): try later.
            throw Failed($"the server refused with {(int)failure.StatusCode} {failure.Message.Trim()}", permanent: (int)failure.StatusCode >= 500, failure);
        }
        catch (Exception failure) when (failure is SocketException or IOException or TimeoutException or SmtpProtocolException
                                            or ServiceNotConnectedException or AuthenticationException or SslHandshakeException)
        {
            throw Failed(failure.Message, permanent: false, failure);
        }
    }

    private MimeMessage Compose(OutgoingMail mail)
    {
        var body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html };
        var message = new MimeMessage
        {
            Subject = mail.Subject,
            Date = time.GetUtcNow(),
            Body = body.ToMessageBody(),
        };
        message.From.Add(new MailboxAddress(_options.FromName, _options.FromAddress));
        message.To.Add(new MailboxAddress(mail.ToName, mail.ToAddress));
        return message;
    }

    private async Task SendOverSmtpAsync(MimeMessage message, CancellationToken cancel)
    {
        using var smtp = new SmtpClient { Timeout = (int)_options.SendTimeout.TotalMilliseconds };
        await smtp.ConnectAsync(_options.Host, _options.Port, _options.Tls, cancel);
        if (!string.IsNullOrEmpty(_options.UserName))
        {
            await smtp.AuthenticateAsync(_options.UserName, _options.Password, cancel);
        }

        await smtp.SendAsync(message, cancel);
        await smtp.DisconnectAsync(quit: true, cancel);
    }

    private async Task WriteToPickupFolderAsync(MimeMessage message, CancellationToken cancel)
    {
        Directory.CreateDirectory(PickupFolder);
        // Sortable by time, unique, and written under another name first so the admin page never reads half a file.
        var name = $"{time.GetUtcNow():yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():N}";
        var partial = Path.Combine(PickupFolder, name + ".partial");
        await message.WriteToAsync(partial, cancel);
        File.Move(partial, Path.Combine(PickupFolder, name + MailPickup.Extension));
        log.LogInformation("No mail server configured: \"{Subject}\" to {To} written to {Folder}.", message.Subject, message.To, PickupFolder);
    }

    private MailDeliveryFailed Failed(string reason, bool permanent, Exception inner)
    {
        log.LogWarning(inner, "Sending mail through {Host}:{Port} failed: {Reason}", _options.Host, _options.Port, reason);
        return new MailDeliveryFailed($"E-mail could not be delivered to {_options.Host}:{_options.Port}: {reason}.", permanent, inner);
    }
}
