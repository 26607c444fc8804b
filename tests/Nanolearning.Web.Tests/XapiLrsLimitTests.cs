using System.Net;
using System.Text;
using Nanolearning.Xapi;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The built-in LRS's limits (<c>Xapi:Lrs:MaxStatementsPerBatch</c>, <c>Xapi:Lrs:MaxRequestBytes</c>) over real HTTP
/// through Kestrel, set low here so the tests stay small: too many statements or too many bytes is a 413 with a plain
/// message, nothing stored and nothing logged.
/// </summary>
public sealed class XapiLrsLimitTests(XapiLrsLimitTests.Fixture lrs) : IClassFixture<XapiLrsLimitTests.Fixture>
{
    private const int MaxStatements = 5;
    private const int MaxBytes = 1024 * 1024;

    public sealed class Fixture : XapiLrsFixture
    {
        protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>
        {
            ["Xapi:Lrs:MaxStatementsPerBatch"] = MaxStatements.ToString(),
            ["Xapi:Lrs:MaxRequestBytes"] = MaxBytes.ToString(),
        };
    }

    private static Statement NewStatement(string activity = "https://nanolearning.se/xapi/test/") =>
        new(Agent.WithAccount("https://www.exempelkommun.se/", "anna-pseudonym"), Verbs.Experienced, new Activity(activity + Guid.NewGuid()))
        {
            Id = Guid.NewGuid(),
        };

    private async Task<(HttpStatusCode Status, string Body)> Send(HttpRequestMessage request)
    {
        using (request)
        {
            var response = await lrs.Http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    private async Task<bool> IsStored(Statement statement) =>
        (await lrs.Client().RetrieveStatementAsync(statement.Id!.Value)).StatusCode == HttpStatusCode.OK;

    /// <summary>One statement whose activity id carries <paramref name="padding"/>, so the body passes the byte limit.</summary>
    private static (Statement Statement, string Json) Oversized(string padding)
    {
        var statement = NewStatement("https://exempel.se/PLACE/");
        return (statement, XapiJson.Serialize(statement).Replace("PLACE", padding));
    }

    [Fact]
    public async Task A_batch_of_exactly_the_most_statements_is_stored()
    {
        var batch = Enumerable.Range(0, MaxStatements).Select(_ => NewStatement()).ToList();

        var (status, body) = await Send(lrs.Request(HttpMethod.Post, "statements", XapiJson.Serialize(batch)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(batch.Select(s => s.Id!.Value), System.Text.Json.JsonSerializer.Deserialize<List<Guid>>(body)!);
        Assert.True(await IsStored(batch[^1]));
    }

    [Fact]
    public async Task A_batch_of_one_statement_too_many_is_refused_with_413_and_nothing_is_stored()
    {
        var batch = Enumerable.Range(0, MaxStatements + 1).Select(_ => NewStatement()).ToList();

        var (status, body) = await Send(lrs.Request(HttpMethod.Post, "statements", XapiJson.Serialize(batch)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal($"A batch holds at most {MaxStatements} statements; this one has {MaxStatements + 1}. Send them in smaller batches.", body);
        Assert.False(await IsStored(batch[0]));
    }

    [Fact]
    public async Task A_body_over_the_byte_limit_is_refused_with_413_and_a_message_without_storing_or_logging_it()
    {
        var padding = string.Concat(Enumerable.Repeat("hemligt-innehall-", MaxBytes / 16));
        var (statement, json) = Oversized(padding);
        Assert.True(Encoding.UTF8.GetByteCount(json) > MaxBytes);

        using var response = await lrs.Http.SendAsync(lrs.Request(HttpMethod.Put, $"statements?statementId={statement.Id}", json));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal($"The request body is too large: this LRS accepts at most {MaxBytes} bytes.", await response.Content.ReadAsStringAsync());
        // The body was read to its end before the answer, so the connection stays open: closing it on bytes the client
        // was still sending would reset it, and the client could lose the answer.
        Assert.NotEqual(true, response.Headers.ConnectionClose);
        Assert.False(await IsStored(statement));
        Assert.DoesNotContain("hemligt-innehall", lrs.Errors.Latest);
        Assert.DoesNotContain("Request body too large", lrs.Errors.Latest);
    }

    [Fact]
    public async Task A_body_over_the_byte_limit_sent_without_a_length_is_refused_with_413_while_it_is_read()
    {
        var padding = string.Concat(Enumerable.Repeat("hemligt-innehall-", MaxBytes / 16));
        var (statement, json) = Oversized(padding);
        var request = lrs.Request(HttpMethod.Post, "statements");
        // A stream of unknown length goes chunked: Kestrel can only count the bytes as they arrive.
        request.Content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(json))) { Headers = { ContentType = new("application/json") } };

        var (status, body) = await Send(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal($"The request body is too large: this LRS accepts at most {MaxBytes} bytes.", body);
        Assert.False(await IsStored(statement));
        Assert.DoesNotContain("hemligt-innehall", lrs.Errors.Latest);
    }

    [Fact]
    public async Task A_body_just_under_the_byte_limit_is_read_as_usual()
    {
        var (statement, json) = Oversized("x");
        // Whitespace before the JSON: the body is 10 bytes under the limit.
        json = new string(' ', MaxBytes - Encoding.UTF8.GetByteCount(json) - 10) + json;

        var (status, body) = await Send(lrs.Request(HttpMethod.Post, "statements", json));

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.True(await IsStored(statement));
    }

    private sealed class UnknownLengthStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
