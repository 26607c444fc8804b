using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Nanolearning.Web.Tests;

/// <summary>
/// Debian's real SMTP server (python3-aiosmtpd) on a free local port, storing what it receives in a maildir the tests
/// read back. Debian's own python: another python3 may come first on PATH and cannot import aiosmtpd. Tests can stop
/// and start it on the same port, and make it refuse or answer slowly (<see cref="Behave"/>).
/// </summary>
public sealed class SmtpServer : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";

    private Process? _server;

    private readonly ConcurrentQueue<string> _errors = new();

    public int Port { get; } = FreePort();

    public string Maildir { get; } = Path.Combine(Path.GetTempPath(), "nanolearning-smtp", Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => StartAsync();

    /// <summary>
    /// From now on the server accepts ("accept"), refuses for now ("reject": 451), refuses for good ("refuse": 550),
    /// refuses every message as a relay rule does ("deny": 554 5.7.1), refuses unknown recipients ("unknown a@b c@d":
    /// 550 5.1.1 to RCPT TO), waits ("slow 2") before accepting, or stores and then waits ("store-hang 30") before answering.
    /// </summary>
    public void Behave(string mode) => File.WriteAllText(Maildir + ".mode", mode);

    /// <summary>Every message stored for <paramref name="address"/> so far.</summary>
    public async Task<List<MimeMessage>> ReceivedBy(string address)
    {
        var messages = new List<MimeMessage>();
        foreach (var file in Directory.Exists(Path.Combine(Maildir, "new")) ? Directory.GetFiles(Path.Combine(Maildir, "new")) : [])
        {
            var message = await MimeMessage.LoadAsync(file);
            if (message.To.Mailboxes.Any(m => m.Address == address))
            {
                messages.Add(message);
            }
        }

        return messages;
    }

    /// <summary>The Message-ID of every message stored for each recipient, from the server's own maildir.</summary>
    public async Task<Dictionary<string, List<string>>> MessageIdsByRecipient()
    {
        var received = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.Exists(Path.Combine(Maildir, "new")) ? Directory.GetFiles(Path.Combine(Maildir, "new")) : [])
        {
            var message = await MimeMessage.LoadAsync(file);
            foreach (var to in message.To.Mailboxes)
            {
                (received.TryGetValue(to.Address, out var ids) ? ids : received[to.Address] = []).Add(message.MessageId ?? "");
            }
        }

        return received;
    }

    public void Stop()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill();
            _server.WaitForExit(5_000);
        }

        _server?.Dispose();
        _server = null;
    }

    public async Task StartAsync()
    {
        // aiosmtpd creates the maildir itself, but not the folders above it.
        Directory.CreateDirectory(Path.GetDirectoryName(Maildir)!);
        var start = new ProcessStartInfo(Python)
        {
            // -n: no setuid to "nobody" (it would fail when the tests run as root).
            ArgumentList = { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "nanolearning_smtp.BehavingMailbox", Maildir },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PYTHONPATH"] = AppContext.BaseDirectory;
        _server = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start.");
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, line) => _errors.Enqueue(line.Data ?? "");
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (_server.HasExited)
            {
                _server.WaitForExit();
                throw new InvalidOperationException(
                    $"aiosmtpd exited with {_server.ExitCode} (is python3-aiosmtpd installed? apt-get install python3-aiosmtpd):\n{string.Join('\n', _errors)}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"aiosmtpd did not listen on port {Port} within 10 s.");
    }

    /// <summary>Waits for the message with <paramref name="subject"/> to arrive, as the server stored it.</summary>
    public async Task<MimeMessage> Received(string subject)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var arrived = Directory.Exists(Path.Combine(Maildir, "new")) ? Directory.GetFiles(Path.Combine(Maildir, "new")) : [];
            foreach (var file in arrived)
            {
                var message = await MimeMessage.LoadAsync(file);
                if (message.Subject == subject)
                {
                    return message;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No message \"{subject}\" arrived within 10 s.");
    }

    public Task DisposeAsync()
    {
        Stop();
        File.Delete(Maildir + ".mode");
        try
        {
            Directory.Delete(Maildir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was ever received.
        }

        return Task.CompletedTask;
    }

    /// <summary>A port nobody listens on at this moment.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
