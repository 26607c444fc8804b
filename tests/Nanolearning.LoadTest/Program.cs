using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Data.Sqlite;

// Quiz-answer load: N learners log in, open the introduction course, then answer a question over and over, each
// answer a new submission (a write of the answer and its outbox row). Run against a started app:
//   dotnet run -c Release --project tests/Nanolearning.LoadTest -- <base-url> <sqlite-file> [learners] [seconds]
var baseUrl = new Uri(args.ElementAtOrDefault(0) ?? "https://127.0.0.1:5090");
var database = args.ElementAtOrDefault(1) ?? "src/Nanolearning.Web/App_Data/nanolearning.db";
var learnerCount = int.Parse(args.ElementAtOrDefault(2) ?? "200");
var seconds = int.Parse(args.ElementAtOrDefault(3) ?? "20");
const string Course = "anhorigperspektiv-introduktion";
const string Password = "demo-anhorig-2026";

var emails = new List<string>();
using (var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly"))
{
    connection.Open();
    using var command = connection.CreateCommand();
    // Fresh learners each run, so a rerun does not measure people who already answered thousands of times.
    command.CommandText = "SELECT Email FROM Learners WHERE Audiences LIKE '%medarbetare%' ORDER BY Id LIMIT $n OFFSET $offset";
    command.Parameters.AddWithValue("$n", learnerCount);
    command.Parameters.AddWithValue("$offset", Random.Shared.Next(100, 40_000));
    using var reader = command.ExecuteReader();
    while (reader.Read())
    {
        emails.Add(reader.GetString(0));
    }
}

Console.WriteLine($"Logging in {emails.Count} learners at {baseUrl} ...");
var learners = await Task.WhenAll(emails.Select(email => Learner.LogInAsync(baseUrl, email, Password, Course)));
Console.WriteLine($"Answering for {seconds} s ...");

var latencies = new ConcurrentBag<double>();
var statuses = new ConcurrentDictionary<int, int>();
var stop = Stopwatch.StartNew();
await Task.WhenAll(learners.Select(async learner =>
{
    while (stop.Elapsed.TotalSeconds < seconds)
    {
        var started = Stopwatch.GetTimestamp();
        var status = await learner.AnswerAsync();
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
    }
}));

var elapsed = stop.Elapsed.TotalSeconds;
var sorted = latencies.Order().ToArray();
double Percentile(double p) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
var ok = statuses.GetValueOrDefault(302);
Console.WriteLine($"answers: {sorted.Length} in {elapsed:0.0} s = {ok / elapsed:0} saved answers/s");
Console.WriteLine($"status codes: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
Console.WriteLine($"latency ms: p50 {Percentile(0.50):0.0}, p90 {Percentile(0.90):0.0}, p99 {Percentile(0.99):0.0}, max {sorted[^1]:0.0}");
return ok == sorted.Length ? 0 : 1;

/// <summary>One learner with their own cookies, positioned on the first lesson's first question.</summary>
internal sealed class Learner(HttpClient client, string action, List<KeyValuePair<string, string>> fields)
{
    private static readonly HtmlParser Parser = new();

    public static async Task<Learner> LogInAsync(Uri baseUrl, string email, string password, string course)
    {
        var client = new HttpClient(new HttpClientHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = new CookieContainer(),
            // The app on this machine with a self-signed certificate (docs/benchmarks.md); nothing else unchecked.
            ServerCertificateCustomValidationCallback = (request, _, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None || request.RequestUri is { IsLoopback: true },
        }) { BaseAddress = baseUrl };
        var login = await PageAsync(client, "/logga-in");
        await PostAsync(client, login, "form[action*='handler=Password']", [new("email", email), new("password", password)]);
        var overview = await PageAsync(client, $"/kurs/{course}");
        var lessonUrl = overview.QuerySelector("a.button")?.GetAttribute("href");
        if (lessonUrl is null)
        {
            using var started = await PostAsync(client, overview, "form[action*='handler=Start']", []);
            lessonUrl = started.Headers.Location!.OriginalString;
        }

        var lesson = await PageAsync(client, lessonUrl);
        var form = lesson.QuerySelector<IHtmlFormElement>("form[action*='handler=Answer']")
            ?? throw new InvalidOperationException($"{email}: no question on {lessonUrl}");
        var option = form.QuerySelector<IHtmlInputElement>("input[name=svar]")!.Value;
        return new Learner(client, form.Action, [.. Hidden(form), new("svar", option)]);
    }

    /// <summary>Posts the answer as a new submission; 302 means it was saved.</summary>
    public async Task<int> AnswerAsync()
    {
        var body = fields.Select(f => f.Key == "submission" ? new KeyValuePair<string, string>(f.Key, Guid.NewGuid().ToString()) : f);
        using var response = await client.PostAsync(action, new FormUrlEncodedContent(body));
        return (int)response.StatusCode;
    }

    private static async Task<IHtmlDocument> PageAsync(HttpClient client, string url) =>
        Parser.ParseDocument(await client.GetStringAsync(url));

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, IHtmlDocument page, string selector, KeyValuePair<string, string>[] extra)
    {
        var form = page.QuerySelector<IHtmlFormElement>(selector)!;
        var response = await client.PostAsync(form.Action, new FormUrlEncodedContent([.. Hidden(form), .. extra]));
        return response.StatusCode == HttpStatusCode.Redirect ? response : throw new InvalidOperationException($"{selector}: {(int)response.StatusCode}");
    }

    private static IEnumerable<KeyValuePair<string, string>> Hidden(IHtmlFormElement form) =>
        form.QuerySelectorAll<IHtmlInputElement>("input[type=hidden]").Select(i => new KeyValuePair<string, string>(i.Name!, i.Value));
}
