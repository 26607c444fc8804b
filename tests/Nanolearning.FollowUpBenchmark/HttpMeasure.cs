using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.FollowUpBenchmark;

/// <summary>
/// Over HTTPS: starts the published app (Production, no demo, schedules that write off) on the generated database and
/// times whole page requests, one at a time, signed in through the login form as the admin and as the enhet's chef.
/// A page the build does not have yet answers 404 and is reported as missing, so the harness runs before and after
/// the follow-up pages land.
/// </summary>
internal static class HttpMeasure
{
    private static readonly HtmlParser Parser = new();

    public static async Task<int> RunAsync(string file, string appFolder, int runs, int warmUp)
    {
        var manifest = Manifest.Read(file);
        var port = FreePort();
        var baseUrl = new Uri($"https://127.0.0.1:{port}");
        var log = Path.ChangeExtension(file, ".app.log");
        using var app = StartApp(appFolder, file, manifest.CoursesPath, port, log, WriteCertificate(Path.ChangeExtension(file, ".pfx")));
        try
        {
            var started = Stopwatch.StartNew();
            var appNow = await WaitForHealthAsync(baseUrl, app, TimeSpan.FromMinutes(5));
            // The app runs on the machine's clock; its Date header says which day its pages count for.
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(appNow, Format.Stockholm).DateTime);
            if (manifest.Today != today)
            {
                Console.WriteLine($"warning: the data was generated for {manifest.Today:yyyy-MM-dd} but the app's clock says {today:yyyy-MM-dd}; " +
                    "generate with --today set to that date, or the figures describe another day.");
            }

            Console.WriteLine($"app {appFolder} up at {baseUrl} in {started.Elapsed.TotalSeconds:0.0} s (log: {log}); " +
                $"{warmUp} warm-up and {runs} measured requests per page, one at a time, pages taking turns; load average {Stats.LoadAverage()}");

            using var admin = await SignInAsync(baseUrl, manifest.AdminEmail, manifest.Password);
            using var chef = await SignInAsync(baseUrl, manifest.ChefEmail, manifest.Password);
            var unit = manifest.FollowedUnitId;
            Target[] targets =
            [
                new("kommun report (admin)", admin, "/admin/uppfoljning", "< 300 ms"),
                new("nämnd report (admin)", admin, "/rapport", "< 300 ms"),
                new($"chef's unit page ({manifest.FollowedUnitPeople} people)", chef, $"/uppfoljning/enhet/{unit}", "< 100 ms"),
                new("årshjul of the unit (chef)", chef, $"/arshjul/{unit}", ""),
                new("overdue in the unit (chef)", chef, $"/uppfoljning/enhet/{unit}/forsenade", ""),
                new("/health/live (baseline)", admin, "/health/live", ""),
            ];

            // The kommun's pages share one snapshot of the figures: count it first (the first request would), then
            // time "Räkna om nu", which counts it again while the admin waits, as one snapshot computation.
            await SnapshotAsync(admin, runs: 3);

            var present = new List<Target>();
            var failed = false;
            foreach (var target in targets)
            {
                var (status, _, bytes) = await GetAsync(target);
                if (status == HttpStatusCode.NotFound)
                {
                    Console.WriteLine($"  {target.Url}: 404, not on this build yet; skipped");
                }
                else if (status != HttpStatusCode.OK)
                {
                    Console.WriteLine($"  {target.Url}: HTTP {(int)status}, expected 200; skipped");
                    failed = true;
                }
                else
                {
                    Console.WriteLine($"  {target.Url}: 200, {bytes:N0} bytes");
                    present.Add(target);
                }
            }

            var times = present.ToDictionary(t => t, _ => new List<double>());
            var errors = present.ToDictionary(t => t, _ => 0);
            for (var run = 0; run < warmUp + runs; run++)
            {
                foreach (var target in present)
                {
                    var (status, elapsed, _) = await GetAsync(target);
                    if (status != HttpStatusCode.OK)
                    {
                        errors[target]++;
                    }
                    else if (run >= warmUp)
                    {
                        times[target].Add(elapsed.TotalMilliseconds);
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine($"{"page",-38}{"address",-36}{"median",9}{"p90",9}{"min",9}{"max",9}  target  errors");
            foreach (var target in present)
            {
                var t = times[target];
                Console.WriteLine($"{target.Name,-38}{target.Url,-36}{Ms(Stats.Median(t))}{Ms(Stats.P90(t))}{Ms(t.DefaultIfEmpty(double.NaN).Min())}{Ms(t.DefaultIfEmpty(double.NaN).Max())}  {target.Goal,-8}{errors[target]}");
            }

            return failed || errors.Values.Any(e => e > 0) ? 1 : 0;
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    /// <summary>Times the first request to the kommun view and then <paramref name="runs"/> presses of "Räkna om nu".</summary>
    private static async Task SnapshotAsync(HttpClient admin, int runs)
    {
        var clock = Stopwatch.StartNew();
        using var first = await admin.GetAsync("/admin/uppfoljning");
        var html = await first.Content.ReadAsStringAsync();
        Console.WriteLine($"  /admin/uppfoljning first request (counts the kommun snapshot): HTTP {(int)first.StatusCode} in {clock.Elapsed.TotalMilliseconds:0} ms");
        if (Parser.ParseDocument(html).QuerySelector<IHtmlFormElement>("form.snapshot") is not { } form)
        {
            Console.WriteLine("  no \"Räkna om nu\" on this build: no snapshot to time");
            return;
        }

        var fields = form.QuerySelectorAll<IHtmlInputElement>("input[type=hidden]").Select(i => new KeyValuePair<string, string>(i.Name!, i.Value)).ToList();
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            clock.Restart();
            using var response = await admin.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
            times.Add(clock.Elapsed.TotalMilliseconds);
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"Räkna om nu: HTTP {(int)response.StatusCode}, expected a redirect.");
            }
        }

        Console.WriteLine($"  \"Räkna om nu\" (one kommun snapshot computation, POST until the redirect): {string.Join(", ", times.Select(t => $"{t:0} ms"))}");
    }

    private static string Ms(double value) => $"{value.ToString("0.0", CultureInfo.InvariantCulture) + " ms",9}";

    private static async Task<(HttpStatusCode Status, TimeSpan Elapsed, long Bytes)> GetAsync(Target target)
    {
        var clock = Stopwatch.StartNew();
        using var response = await target.Client.GetAsync(target.Url, HttpCompletionOption.ResponseContentRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        return (response.StatusCode, clock.Elapsed, body.LongLength);
    }

    /// <summary>Signs in through the login form with its antiforgery token, as a person would; the client keeps the cookies.</summary>
    private static async Task<HttpClient> SignInAsync(Uri baseUrl, string email, string password)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), SslOptions = TrustOwnCertificate() }) { BaseAddress = baseUrl };
        var page = Parser.ParseDocument(await client.GetStringAsync("/logga-in"));
        var form = page.QuerySelector<IHtmlFormElement>("form[action*='handler=Password']")
            ?? throw new InvalidOperationException("No password form on /logga-in.");
        var fields = form.QuerySelectorAll<IHtmlInputElement>("input[type=hidden]")
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value))
            .Append(new("email", email))
            .Append(new("password", password));
        using var response = await client.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in as {email}: HTTP {(int)response.StatusCode}, expected a redirect.");
        }

        return client;
    }

    private const string CertificatePassword = "benchmark";

    private static string? _certificateThumbprint;

    /// <summary>
    /// A self-signed certificate for the app's HTTPS port and its Data Protection keys, as production needs both: the
    /// app's cookies are Secure, and it refuses to start in Production with keys in the clear.
    /// </summary>
    private static string WriteCertificate(string path)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        // Valid over a fixed, wide span rather than from today: the client trusts it by thumbprint, not by date.
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, CertificatePassword));
        _certificateThumbprint = certificate.Thumbprint;
        return path;
    }

    private static SslClientAuthenticationOptions TrustOwnCertificate() => new()
    {
        RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            errors == SslPolicyErrors.None || certificate?.GetCertHashString() == _certificateThumbprint,
    };

    private static Process StartApp(string appFolder, string file, string coursesPath, int port, string log, string certificate)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(appFolder, "Nanolearning.Web.dll"), "--urls", $"https://127.0.0.1:{port}"])
        {
            WorkingDirectory = appFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Nanolearning__Demo"] = "false",
                ["Nanolearning__CoursesPath"] = coursesPath,
                ["Nanolearning__PublicUrl"] = $"https://127.0.0.1:{port}",
                ["AllowedHosts"] = "127.0.0.1",
                ["Kestrel__Certificates__Default__Path"] = certificate,
                ["Kestrel__Certificates__Default__Password"] = CertificatePassword,
                ["DataProtection__CertificatePath"] = certificate,
                ["DataProtection__CertificatePassword"] = CertificatePassword,
                ["ConnectionStrings__Nanolearning"] = $"Data Source={file}",
                // The reminder jobs would write thousands of reminders and e-mails on their first run: not part of a page.
                ["Reminders__ScanSchedule"] = "",
                ["Reminders__DispatchSchedule"] = "",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        var app = Process.Start(start) ?? throw new InvalidOperationException("Could not start the app.");
        var writer = new StreamWriter(log) { AutoFlush = true };
        app.OutputDataReceived += (_, e) => Write(e.Data);
        app.ErrorDataReceived += (_, e) => Write(e.Data);
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        return app;

        void Write(string? line)
        {
            if (line is not null)
            {
                lock (writer)
                {
                    writer.WriteLine(line);
                }
            }
        }
    }

    /// <summary>Waits until the app answers /health; returns the time its Date header gave.</summary>
    private static async Task<DateTimeOffset> WaitForHealthAsync(Uri baseUrl, Process app, TimeSpan timeout)
    {
        using var client = new HttpClient(new SocketsHttpHandler { SslOptions = TrustOwnCertificate() }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (app.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {app.ExitCode} while starting; see its log.");
            }

            try
            {
                using var response = await client.GetAsync("/health");
                if (response.IsSuccessStatusCode && response.Headers.Date is { } date)
                {
                    return date;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet: migrations, the course catalog and a planning run come first.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The app did not answer /health within {timeout.TotalSeconds:0} s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record Target(string Name, HttpClient Client, string Url, string Goal);
}
