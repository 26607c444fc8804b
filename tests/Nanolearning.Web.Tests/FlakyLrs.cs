using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Nanolearning.Web.Tests;

/// <summary>How <see cref="FlakyLrs"/> treats the next requests.</summary>
public enum LrsBehaviour
{
    /// <summary>Passes requests on to the real LRS.</summary>
    Working,

    /// <summary>Drops the connection without an answer, as a server that is down or unreachable.</summary>
    Down,

    /// <summary>Answers 500 without passing the request on.</summary>
    Failing,

    /// <summary>Passes the request on only after <see cref="FlakyLrs.Delay"/>, after the client has given up: the LRS stores what the client thinks failed.</summary>
    Slow,
}

/// <summary>
/// A small HTTP server on 127.0.0.1 in front of a real LRS (the app's built-in one): it passes requests on, or fails
/// them the ways a real LRS does. It records which statement ids reached the LRS and what the LRS answered.
/// </summary>
public sealed class FlakyLrs : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new(AppFixture.TrustingTestCertificate());
    private readonly ConcurrentQueue<(string Method, IReadOnlyList<Guid> Ids, int Status)> _forwarded = new();

    private FlakyLrs(WebApplication app) => _app = app;

    public LrsBehaviour Behaviour { get; set; }

    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>A statement this LRS refuses with 400, alone or in a batch, as an LRS with stricter rules would.</summary>
    public Guid? Refuses { get; set; }

    /// <summary>Every request that arrived, whatever the behaviour did with it.</summary>
    public int Requests => _requests;

    private int _requests;

    /// <summary>The real LRS's base address (scheme, host and port).</summary>
    public string Upstream { get; set; } = "";

    public string BaseUrl => _app.Urls.Single();

    /// <summary>Requests that reached the real LRS: the statement ids in each, and the LRS's answer.</summary>
    public IReadOnlyList<(string Method, IReadOnlyList<Guid> Ids, int Status)> Forwarded => [.. _forwarded];

    public static async Task<FlakyLrs> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var lrs = new FlakyLrs(builder.Build());
        lrs._app.Run(lrs.HandleAsync);
        await lrs._app.StartAsync();
        return lrs;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        Interlocked.Increment(ref _requests);
        if (Refuses is { } refused && IdsIn(body).Contains(refused))
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync($"Statement {refused}: context.extensions keys must be registered with this LRS.");
            return;
        }

        switch (Behaviour)
        {
            case LrsBehaviour.Down:
                context.Abort();
                return;
            case LrsBehaviour.Failing:
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync("The LRS database is offline.");
                return;
            case LrsBehaviour.Slow:
                await Task.Delay(Delay, CancellationToken.None);
                break;
        }

        // Passed on whole even if the client has gone: the LRS does its work regardless.
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), Upstream + context.Request.Path + context.Request.QueryString);
        foreach (var header in context.Request.Headers.Where(h => h.Key is "Authorization" or "X-Experience-API-Version"))
        {
            request.Headers.TryAddWithoutValidation(header.Key, [.. header.Value]);
        }

        if (body.Length > 0)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await _upstream.SendAsync(request, CancellationToken.None);
        var answer = await response.Content.ReadAsStringAsync(CancellationToken.None);
        _forwarded.Enqueue((context.Request.Method, IdsIn(body), (int)response.StatusCode));
        if (!context.RequestAborted.IsCancellationRequested)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            await context.Response.WriteAsync(answer);
        }
    }

    private static IReadOnlyList<Guid> IdsIn(string body)
    {
        if (body.Length == 0)
        {
            return [];
        }

        using var json = JsonDocument.Parse(body);
        var statements = json.RootElement.ValueKind == JsonValueKind.Array ? [.. json.RootElement.EnumerateArray()] : new[] { json.RootElement };
        return [.. statements.Select(s => s.GetProperty("id").GetGuid())];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
