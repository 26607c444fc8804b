using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Nanolearning.Web.Tests;

/// <summary>
/// Debian's real SMTP server (python3-aiosmtpd) on a free local port, storing what it receives in a maildir the tests
/// read back. Debian's own python: another python3 may come first on PATH and cannot import aiosmtpd.
/// </summary>
public sealed class SmtpServer : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";

    private Process? _server;

    private readonly ConcurrentQueue<string> _errors = new();

    public int Port { get; } = FreePort();

    public string Maildir { get; } = Path.Combine(Path.GetTempPath(), "nanolearning-smtp", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        // aiosmtpd creates the maildir itself, but not the folders above it.
        Directory.CreateDirectory(Path.GetDirectoryName(Maildir)!);
        _server = Process.Start(new ProcessStartInfo(Python)
        {
            // -n: no setuid to "nobody" (it would fail when the tests run as root).
            ArgumentList = { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", Maildir },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"{Python} did not start.");
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
        if (_server is { HasExited: false })
        {
            _server.Kill();
            _server.WaitForExit(5_000);
        }

        _server?.Dispose();
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
