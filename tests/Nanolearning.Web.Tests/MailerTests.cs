using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailKit.Security;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>The mailer against a real SMTP server, and against servers that are down, silent or refusing.</summary>
public sealed class MailerTests(SmtpServer smtp) : IClassFixture<SmtpServer>
{
    private static readonly OutgoingMail Reminder = new(
        "asa.ostlund@exempel.se", "Åsa Östlund", "Påminnelse: Anhörigperspektiv – två dagar kvar",
        "Hej Åsa!\n\nDu har två dagar kvar på kursen Anhörigperspektiv – introduktion. Fortsätt där du slutade.",
        "<p>Hej Åsa!</p><p>Du har två dagar kvar på kursen <strong>Anhörigperspektiv – introduktion</strong>.</p>");

    [Fact]
    public async Task A_message_arrives_with_swedish_subject_text_and_html_intact()
    {
        await Mailer(smtp.Port).SendAsync(Reminder);

        var received = await smtp.Received(Reminder.Subject);
        var to = Assert.Single(received.To.Mailboxes);
        Assert.Equal(("Åsa Östlund", "asa.ostlund@exempel.se"), (to.Name, to.Address));
        var from = Assert.Single(received.From.Mailboxes);
        Assert.Equal(("Nanolearning", "nanolearning@exempel.se"), (from.Name, from.Address));
        Assert.Equal(Reminder.Text, received.TextBody!.ReplaceLineEndings("\n").TrimEnd());
        Assert.Equal(Reminder.Html, received.HtmlBody!.TrimEnd());
    }

    [Fact]
    public async Task A_mail_server_that_is_down_is_a_transient_delivery_failure()
    {
        var failure = await Assert.ThrowsAsync<MailDeliveryFailed>(() => Mailer(SmtpServer.FreePort()).SendAsync(Reminder));
        Assert.False(failure.Permanent);
        Assert.IsType<SocketException>(failure.InnerException);
    }

    [Fact]
    public async Task A_mail_server_that_never_answers_fails_after_the_send_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var mailer = Mailer(port, timeout: TimeSpan.FromSeconds(1));

        var elapsed = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<MailDeliveryFailed>(() => mailer.SendAsync(Reminder));
        Assert.False(failure.Permanent);
        // The timeout is real socket time, so it is measured with a stopwatch; no date is read.
        Assert.InRange(elapsed.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("554 5.3.2 Inte i dag", true)]
    [InlineData("421 4.3.2 Prova igen senare", false)]
    public async Task A_mail_server_that_refuses_is_a_failure_permanent_only_for_5xx(string answer, bool permanent)
    {
        using var refusing = new TcpListener(IPAddress.Loopback, 0);
        refusing.Start();
        var port = ((IPEndPoint)refusing.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var client = await refusing.AcceptTcpClientAsync();
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(answer + "\r\n"));
            await Task.Delay(500);
        });

        var failure = await Assert.ThrowsAsync<MailDeliveryFailed>(() => Mailer(port).SendAsync(Reminder));
        Assert.Equal(permanent, failure.Permanent);
        Assert.Contains(answer[..3], failure.Message);
        await server;
    }

    private static Mailer Mailer(int port, TimeSpan? timeout = null) => new(
        Options.Create(new MailOptions
        {
            Host = "127.0.0.1",
            Port = port,
            Tls = SecureSocketOptions.None,
            FromAddress = "nanolearning@exempel.se",
            SendTimeout = timeout ?? TimeSpan.FromSeconds(10),
        }),
        new HostingEnvironment { ContentRootPath = Path.GetTempPath() },
        new FakeTimeProvider(AppFixture.DefaultStart),
        NullLogger<Mailer>.Instance);
}
