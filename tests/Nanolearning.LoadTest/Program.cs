using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Data.Sqlite;
using Npgsql;

// Quiz-answer load: N learners log in, open the introduction course, then answer a question over and over, each
// answer a new submission (a write of the answer and its outbox row). Run against a started app:
//   dotnet run -c Release --project tests/Nanolearning.LoadTest -- <base-url> <database> [learners] [seconds]
// <base-url> may name several instances of the app on one database, separated by commas: the learners are dealt out
// over them in turn (learner i to instance i mod n), all answer at once, and the figures are for all of them together.
// <database> is the app's SQLite file, or a PostgreSQL connection string (Host=…;Database=…): the learners are read
// from it.
var baseUrls = (args.ElementAtOrDefault(0) ?? "https://127.0.0.1:5090").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
    .Select(url => new Uri(url)).ToArray();
var database = args.ElementAtOrDefault(1) ?? "src/Nanolearning.Web/App_Data/nanolearning.db";
var learnerCount = int.Parse(args.ElementAtOrDefault(2) ?? "200");
var seconds = int.Parse(args.ElementAtOrDefault(3) ?? "20");
const string Course = "anhorigperspektiv-introduktion";
const string Password = "demo-anhorig-2026";

var emails = new List<string>();
using (System.Data.Common.DbConnection connection = database.Contains("Host=", StringComparison.OrdinalIgnoreCase)
    ? new NpgsqlConnection(database)
    : new SqliteConnection($"Data Source={database};Mode=ReadOnly"))
{
    connection.Open();
    using var command = connection.CreateCommand();
    // Learners who have not started the course, picked at random: a rerun does not measure people who already
    // answered thousands of times, and the demo leaves many others at its final quiz or done, with no practice
    // question to answer; these begin at the first lesson, which has one.
    command.CommandText = connection is NpgsqlConnection
        ? $"""SELECT "Email" FROM "Learners" AS l WHERE 'medarbetare' = ANY(l."Audiences") AND NOT EXISTS (SELECT 1 FROM "Enrolments" AS e WHERE e."LearnerId" = l."Id" AND e."CourseId" = '{Course}') ORDER BY random() LIMIT @n"""
        : $"SELECT Email FROM Learners AS l WHERE l.Audiences LIKE '%medarbetare%' AND NOT EXISTS (SELECT 1 FROM Enrolments AS e WHERE e.LearnerId = l.Id AND e.CourseId = '{Course}') ORDER BY random() LIMIT @n";
    var limit = command.CreateParameter();
    limit.ParameterName = "n";
    limit.Value = 2 * learnerCount;
    command.Parameters.Add(limit);

    using var reader = command.ExecuteReader();
    while (reader.Read())
    {
        emails.Add(reader.GetString(0));
    }
}

Console.WriteLine($"Logging in {Math.Min(learnerCount, emails.Count)} learners at {string.Join(", ", baseUrls.Select(u => u.ToString()))} ...");
// A learner the demo left at the course's final quiz has no question to answer in its current lesson: skipped, and the
// next candidates are signed in instead, so the run has as many learners as asked for whenever the database has them.
var learners = new List<Learner>();
var candidates = 0;
var skipped = 0;
while (learners.Count < learnerCount && candidates < emails.Count)
{
    var batch = emails.Skip(candidates).Take(learnerCount - learners.Count).ToList();
    var first = learners.Count;
    candidates += batch.Count;
    var signedIn = await Task.WhenAll(batch.Select((email, i) => Learner.LogInAsync((first + i) % baseUrls.Length, baseUrls[(first + i) % baseUrls.Length], email, Password, Course)));
    skipped += signedIn.Count(learner => learner is null);
    learners.AddRange(signedIn.OfType<Learner>());
}

if (skipped > 0)
{
    Console.WriteLine($"{skipped} learners skipped: no question in their current lesson");
}

Console.WriteLine($"Answering for {seconds} s ...");

var latencies = new ConcurrentBag<double>();
var statuses = new ConcurrentDictionary<int, int>();
var savedPerInstance = new int[baseUrls.Length];
// The harness's own CPU while answering: it shares the machine with the app, and the report says how much it took.
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var stop = Stopwatch.StartNew();
await Task.WhenAll(learners.Select(async learner =>
{
    while (stop.Elapsed.TotalSeconds < seconds)
    {
        var started = Stopwatch.GetTimestamp();
        var status = await learner.AnswerAsync();
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
        if (status == 302)
        {
            Interlocked.Increment(ref savedPerInstance[learner.Instance]);
        }
    }
}));

var elapsed = stop.Elapsed.TotalSeconds;
var harnessCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / elapsed;
var sorted = latencies.Order().ToArray();
double Percentile(double p) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
var ok = statuses.GetValueOrDefault(302);
Console.WriteLine($"answers: {sorted.Length} in {elapsed:0.0} s = {ok / elapsed:0} saved answers/s");
if (baseUrls.Length > 1)
{
    Console.WriteLine($"saved per instance: {string.Join(", ", baseUrls.Select((url, i) => $"{url.Authority} {savedPerInstance[i] / elapsed:0}/s"))}");
}

Console.WriteLine($"status codes: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
Console.WriteLine($"latency ms: p50 {Percentile(0.50):0.0}, p90 {Percentile(0.90):0.0}, p99 {Percentile(0.99):0.0}, max {sorted[^1]:0.0}");
Console.WriteLine($"harness CPU: {harnessCpu * 100:0}% of one core");
return ok == sorted.Length ? 0 : 1;

/// <summary>One learner with their own cookies, positioned on the first lesson's first question.</summary>
internal sealed class Learner(int instance, HttpClient client, string action, List<KeyValuePair<string, string>> fields)
{
    /// <summary>Which of the base URLs this learner signed in on and answers at.</summary>
    public int Instance => instance;

    private static readonly HtmlParser Parser = new();

    /// <summary>Signs in and opens the current lesson's first question; null when the current lesson has no question.</summary>
    public static async Task<Learner?> LogInAsync(int instance, Uri baseUrl, string email, string password, string course)
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
        if (lesson.QuerySelector<IHtmlFormElement>("form[action*='handler=Answer']") is not { } form)
        {
            client.Dispose();
            return null;
        }

        var option = form.QuerySelector<IHtmlInputElement>("input[name=svar]")!.Value;
        return new Learner(instance, client, form.Action, [.. Hidden(form), new("svar", option)]);
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
