using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Nanolearning.Xapi.Tests;

/// <summary>A request as the LRS saw it (copied: Kestrel reuses its header and query objects).</summary>
sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A small LRS on Kestrel at 127.0.0.1 on a free port, answering like a real one: Basic credentials and the version
/// header required, 204 for a PUT, 200 with ids for a POST, 409 for a conflicting id, voiding, and queries paged with
/// <c>more</c> links outside <c>/xapi/statements</c> (so the client must resolve them against the server).
/// </summary>
sealed class FakeLrs : IAsyncDisposable
{
    public const string Username = "nanolearning";
    public const string Password = "hemligt-lösen";

    readonly WebApplication app;
    readonly ConcurrentDictionary<Guid, Statement> statements = new();
    readonly ConcurrentDictionary<string, IReadOnlyList<Statement>> pages = new();
    readonly ConcurrentQueue<RecordedRequest> requests = new();

    FakeLrs(WebApplication app) => this.app = app;

    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    public Uri Endpoint => new(app.Urls.Single() + "/xapi/");

    /// <summary>When set, every request is answered with this status and a short body, as a broken LRS would.</summary>
    /// <summary>The LRS's clock for the <c>stored</c> it stamps: a fixed day, so no test depends on the wall clock.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 16, 9, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    public HttpStatusCode? FailWith { get; set; }

    public int PageSize { get; set; } = 100;

    /// <summary>What <c>/xapi/about</c> answers with 200.</summary>
    public string AboutBody { get; set; } = """{ "version": ["1.0.3", "1.0.0"] }""";

    public RemoteLrs Client(HttpClient http, string password = Password, TimeProvider? time = null) =>
        new(http, Endpoint, Username, password, time);

    public static async Task<FakeLrs> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var lrs = new FakeLrs(builder.Build());
        lrs.Map();
        await lrs.app.StartAsync();
        return lrs;
    }

    void Map()
    {
        app.Use(async (context, next) =>
        {
            var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
            context.Items["body"] = body;
            requests.Enqueue(new(context.Request.Method, context.Request.Path,
                context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body));
            context.Response.Headers["X-Experience-API-Version"] = RemoteLrs.XapiVersion;
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));
            if (FailWith is { } status)
                await Results.Text("The LRS is having a bad day.", statusCode: (int)status).ExecuteAsync(context);
            else if (context.Request.Headers.Authorization != expected)
                await Results.Text("Wrong credentials.", statusCode: 401).ExecuteAsync(context);
            else if (context.Request.Headers["X-Experience-API-Version"] != "1.0.3")
                await Results.Text("X-Experience-API-Version 1.0.3 is required.", statusCode: 400).ExecuteAsync(context);
            else
                await next(context);
        });

        app.MapPut("/xapi/statements", (HttpContext context, string statementId) =>
        {
            var statement = XapiJson.Deserialize<Statement>(Body(context));
            if (statement.Id is { } id && id != Guid.Parse(statementId))
                return Results.Text("The statement's id differs from statementId.", statusCode: 400);
            return Store(statement with { Id = Guid.Parse(statementId) }) ?? Results.NoContent();
        });

        app.MapPost("/xapi/statements", (HttpContext context) =>
        {
            var text = Body(context);
            var batch = text.TrimStart().StartsWith('[') ? XapiJson.Deserialize<List<Statement>>(text) : [XapiJson.Deserialize<Statement>(text)];
            var stored = batch.Select(s => s with { Id = s.Id ?? Guid.NewGuid() }).ToList();
            foreach (var statement in stored)
            {
                if (Store(statement) is { } conflict)
                    return conflict;
            }
            return Results.Text(JsonSerializer.Serialize(stored.Select(s => s.Id)), "application/json");
        });

        app.MapGet("/xapi/statements", (HttpRequest request) =>
        {
            if (request.Query["statementId"] is [{ } id])
                return Found(statements.GetValueOrDefault(Guid.Parse(id)) is { } s && !IsVoided(s.Id!.Value) ? s : null);
            if (request.Query["voidedStatementId"] is [{ } voidedId])
                return Found(statements.GetValueOrDefault(Guid.Parse(voidedId)) is { } s && IsVoided(s.Id!.Value) ? s : null);
            var matching = statements.Values
                .Where(s => request.Query["verb"] is not [{ } verb] || s.Verb.Id == verb)
                .Where(s => request.Query["registration"] is not [{ } registration] || s.Context?.Registration == Guid.Parse(registration))
                .OrderBy(s => s.Stored)
                .ToList();
            var limit = request.Query["limit"] is [{ } l] ? int.Parse(l) : PageSize;
            return Page(matching, limit);
        });

        app.MapGet("/more/{token}", (string token, int limit) =>
            pages.TryRemove(token, out var rest) ? Page(rest, limit) : Results.NotFound());

        app.MapGet("/xapi/about", () => Results.Text(AboutBody, "application/json"));
    }

    static string Body(HttpContext context) => (string)context.Items["body"]!;

    IResult? Store(Statement statement)
    {
        var stored = statement with { Stored = Clock.GetUtcNow(), Version = "1.0.3", Authority = Agent.WithAccount("https://lrs.example.se", Username) };
        if (statements.TryAdd(statement.Id!.Value, stored))
            return null;
        return Results.Text($"Statement {statement.Id} already exists.", statusCode: 409);
    }

    bool IsVoided(Guid id) => statements.Values.Any(s => s.Verb.Id == Verbs.Voided.Id && s.Target is StatementRef r && r.Id == id);

    IResult Page(IReadOnlyList<Statement> matching, int limit)
    {
        string? more = null;
        if (matching.Count > limit)
        {
            var token = Guid.NewGuid().ToString("n");
            pages[token] = matching.Skip(limit).ToList();
            more = $"/more/{token}?limit={limit}";
        }
        return Results.Text(XapiJson.Serialize(new StatementsResult([.. matching.Take(limit)], more)), "application/json");
    }

    static IResult Found(Statement? statement) =>
        statement is null ? Results.NotFound() : Results.Text(XapiJson.Serialize(statement), "application/json");

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
