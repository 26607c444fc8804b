using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Nanolearning.Web.Features.Mail;

namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// Sends e-mail as plain text plus HTML: over SMTP when <see cref="MailOptions.Host"/> is set, otherwise as .eml
/// files in the pickup folder. Every way the server can fail becomes <see cref="MailDeliveryFailed"/>.
/// </summary>
public sealed class Mailer(IOptions<MailOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<Mailer> log)
{
    private readonly MailOptions _options = options.Value;

    public string PickupFolder => Path.GetFullPath(_options.PickupFolder, environment.ContentRootPath);

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancel = default)
    {
        await using var session = OpenSession();
        await session.SendAsync(mail, cancel);
    }

    /// <summary>A session sends many messages over one SMTP connection, opened with the first and reopened after a failure.</summary>
    public MailSession OpenSession() => new(this);

    private MimeMessage Compose(OutgoingMail mail)
    {
        var body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html };
        var message = new MimeMessage
        {
            Subject = mail.Subject,
            Date = time.GetUtcNow(),
            Body = body.ToMessageBody(),
        };
        if (mail.MessageId is not null)
        {
            message.MessageId = mail.MessageId;
        }

        if (mail.Unsubscribe is not null)
        {
            message.Headers.Add(HeaderId.ListUnsubscribe, $"<{mail.Unsubscribe}>");
        }

        message.From.Add(new MailboxAddress(_options.FromName, _options.FromAddress));
        message.To.Add(new MailboxAddress(mail.ToName, mail.ToAddress));
        return message;
    }

    private async Task WriteToPickupFolderAsync(MimeMessage message, CancellationToken cancel)
    {
        Directory.CreateDirectory(PickupFolder);
        // Sortable by time, unique, and written under another name first so the admin page never reads half a file.
        var name = $"{time.GetUtcNow():yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():N}";
        var partial = Path.Combine(PickupFolder, name + ".partial");
        await message.WriteToAsync(partial, cancel);
        File.Move(partial, Path.Combine(PickupFolder, name + MailPickup.Extension));
        // The file's name, not the subject: a subject is the mail's content and may one day name someone.
        log.LogInformation("No mail server configured: an e-mail written to {File} in {Folder}.", name + MailPickup.Extension, PickupFolder);
    }

    private MailDeliveryFailed Failed(string reason, bool permanent, Exception inner, int? code = null, string? serverText = null, bool wholeServer = false)
    {
        // A server's refusal often repeats the recipient's address ("<anna@kommun.se>: Recipient address rejected"),
        // and so does the exception's message: the log gets the reason with addresses masked and the exception's type.
        // The unmasked reason goes with the exception to the mail's own row, which only admins read.
        log.LogWarning("Sending mail through {Host}:{Port} failed ({Exception}): {Reason}", _options.Host, _options.Port, inner.GetType().Name, LogText.WithoutEmail(reason));
        return new MailDeliveryFailed($"E-mail could not be delivered to {_options.Host}:{_options.Port}: {reason}.", permanent, inner, code, serverText, wholeServer);
    }

    public sealed class MailSession(Mailer mailer) : IAsyncDisposable
    {
        private readonly MailOptions _options = mailer._options;
        private SmtpClient? _smtp;

        public async Task SendAsync(OutgoingMail mail, CancellationToken cancel = default)
        {
            var message = mailer.Compose(mail);
            if (_options.UsesPickupFolder)
            {
                await mailer.WriteToPickupFolderAsync(message, cancel);
                return;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(_options.SendTimeout);
            try
            {
                var smtp = await ConnectedAsync(timeout.Token);
                await smtp.SendAsync(message, timeout.Token);
            }
            catch (Exception failure) when (AsDeliveryFailure(failure, cancel) is { } failed)
            {
                // The connection may be half-way through a command: the next message starts on a new one.
                Close();
                throw failed;
            }
        }

        private async Task<SmtpClient> ConnectedAsync(CancellationToken cancel)
        {
            if (_smtp is { IsConnected: true })
            {
                return _smtp;
            }

            Close();
            _smtp = new SmtpClient { Timeout = (int)_options.SendTimeout.TotalMilliseconds };
            await _smtp.ConnectAsync(_options.Host, _options.Port, _options.Tls, cancel);
            if (!string.IsNullOrEmpty(_options.UserName))
            {
                await _smtp.AuthenticateAsync(_options.UserName, _options.Password, cancel);
            }

            return _smtp;
        }

        private MailDeliveryFailed? AsDeliveryFailure(Exception failure, CancellationToken cancel) => failure switch
        {
            OperationCanceledException when !cancel.IsCancellationRequested =>
                mailer.Failed($"no answer within {_options.SendTimeout.TotalSeconds:0.#} s", permanent: false, failure),
            // 5xx: the server will refuse this message again; 4xx (busy, greylisting, mailbox full for now): try later.
            // A 5xx to the recipient or the message is about this message; a 5xx to the sender or outside a message
            // (greeting, EHLO) is the server refusing us, whatever we send.
            SmtpCommandException refused => mailer.Failed(
                $"the server refused with {(int)refused.StatusCode} {refused.Message.Trim()}", permanent: (int)refused.StatusCode >= 500, failure,
                (int)refused.StatusCode, refused.Message.Trim(),
                wholeServer: (int)refused.StatusCode >= 500 && refused.ErrorCode is SmtpErrorCode.SenderNotAccepted or SmtpErrorCode.UnexpectedStatusCode),
            // A refused login is the same for every message until someone fixes the user name or password.
            AuthenticationException login => mailer.Failed(
                login.Message, permanent: true, failure, (int?)(login.InnerException as SmtpCommandException)?.StatusCode ?? 535, login.Message.Trim(), wholeServer: true),
            SocketException or IOException or TimeoutException or SmtpProtocolException or ServiceNotConnectedException
                or SslHandshakeException => mailer.Failed(failure.Message, permanent: false, failure),
            _ => null,
        };

        private void Close()
        {
            _smtp?.Dispose();
            _smtp = null;
        }

        public async ValueTask DisposeAsync()
        {
            if (_smtp is { IsConnected: true })
            {
                try
                {
                    using var timeout = new CancellationTokenSource(_options.SendTimeout);
                    await _smtp.DisconnectAsync(quit: true, timeout.Token);
                }
                catch (Exception quitting) when (quitting is IOException or SocketException or OperationCanceledException or SmtpProtocolException)
                {
                    // Everything is sent; a server that drops the connection before QUIT's answer changes nothing.
                }
            }

            Close();
        }
    }
}
