using Nanolearning.Web.Infrastructure;
using Nanolearning.Xapi;

namespace Nanolearning.Web.Features.Xapi;

/// <summary>
/// xAPI settings (section "Xapi"): who the learners are to an LRS, the built-in LRS's credentials, and where the
/// delivery job sends statements. The defaults deliver to the built-in LRS in the app's own database.
/// </summary>
public sealed class XapiOptions
{
    public const string Section = "Xapi";

    /// <summary>The kommun's web address: the <c>homePage</c> of every learner's account in statements.</summary>
    public string HomePage { get; set; } = "https://kommun.example.se/";

    /// <summary>
    /// The base of activity IRIs. The same for every kommun, so a course is the same activity everywhere; changing it
    /// makes every course, lesson and question a new activity to an LRS.
    /// </summary>
    public string ActivityIriBase { get; set; } = "https://nanolearning.se/xapi/";

    /// <summary>The built-in LRS at <c>/xapi/</c>: its own Basic credentials (not a user account) and its request limits.</summary>
    public LrsOptions Lrs { get; set; } = new();

    public DeliveryOptions Delivery { get; set; } = new();

    /// <summary>Settings that cannot work, named for the start-up error.</summary>
    public IEnumerable<string> Mistakes()
    {
        if (!StatementValidator.IsAbsoluteIri(HomePage))
        {
            yield return $"Xapi:HomePage \"{HomePage}\" is not an absolute IRI such as https://kommun.se/.";
        }

        if (!StatementValidator.IsAbsoluteIri(ActivityIriBase) || !ActivityIriBase.EndsWith('/'))
        {
            yield return $"Xapi:ActivityIriBase \"{ActivityIriBase}\" must be an absolute IRI ending in /.";
        }

        if (Lrs.Username.Contains(':'))
        {
            yield return "Xapi:Lrs:Username cannot contain a colon (HTTP Basic separates the password with one).";
        }

        if (Lrs.MaxStatementsPerBatch is < 1 or > LrsOptions.MaxStatementsPerBatchCeiling)
        {
            yield return $"Xapi:Lrs:MaxStatementsPerBatch must be between 1 and {LrsOptions.MaxStatementsPerBatchCeiling}.";
        }

        if (Lrs.MaxRequestBytes is < DocumentEndpoints.MaxDocumentBytes or > LrsOptions.MaxRequestBytesCeiling)
        {
            yield return $"Xapi:Lrs:MaxRequestBytes must be between {DocumentEndpoints.MaxDocumentBytes} (1 MB, the largest document) and {LrsOptions.MaxRequestBytesCeiling} (100 MB).";
        }

        if (!string.IsNullOrWhiteSpace(Delivery.Schedule) && !CronSchedule.IsValid(Delivery.Schedule))
        {
            yield return $"Xapi:Delivery:Schedule \"{Delivery.Schedule}\" is not a cron expression such as \"* * * * *\" (every minute).";
        }

        // The same test as UsesBuiltInLrs: blank means the built-in LRS; anything else must be reachable over HTTP.
        if (!Delivery.UsesBuiltInLrs && !(Uri.TryCreate(Delivery.Endpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"))
        {
            yield return $"Xapi:Delivery:Endpoint \"{Delivery.Endpoint}\" is not an absolute http(s) URL such as https://lrs.example.se/xapi/.";
        }

        if (Delivery.BatchSize is < 1 or > 500)
        {
            yield return "Xapi:Delivery:BatchSize must be between 1 and 500.";
        }

        if (Delivery.Timeout <= TimeSpan.Zero)
        {
            yield return "Xapi:Delivery:Timeout must be positive.";
        }
    }
}

/// <summary>
/// The built-in LRS's Basic credentials and limits. With no password it refuses every client (in-app delivery still
/// works).
/// </summary>
public sealed class LrsOptions
{
    /// <summary>
    /// A batch is written in one transaction that holds SQLite's single writer: 20 000 statements took 6.8 s, during
    /// which quiz answers waited; past 32 600 the id lookups exceed SQLite's 32 766 variables.
    /// </summary>
    public const int MaxStatementsPerBatchCeiling = 10_000;

    public const long MaxRequestBytesCeiling = 100L * 1024 * 1024;

    public string Username { get; set; } = "nanolearning";

    public string Password { get; set; } = "";

    /// <summary>The most statements one POST may carry; more is 413. In-app delivery sends at most 500.</summary>
    public int MaxStatementsPerBatch { get; set; } = 1_000;

    /// <summary>
    /// The largest request body of any LRS resource; larger is 413. A statement is about 2.5 KB, so 1 000 of them
    /// fit with room for long activity definitions.
    /// </summary>
    public long MaxRequestBytes { get; set; } = 8L * 1024 * 1024;

    public bool IsOpenToClients => Password.Length > 0;
}

/// <summary>Where the delivery job sends learning events as statements.</summary>
public sealed class DeliveryOptions
{
    /// <summary>An external LRS's xAPI base (<c>https://lrs.example.se/xapi/</c>); empty means the built-in LRS.</summary>
    public string Endpoint { get; set; } = "";

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>When the delivery job runs (cron, UTC); empty: never, as in tests that deliver themselves.</summary>
    public string Schedule { get; set; } = "* * * * *";

    /// <summary>Statements per request.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>The longest one request may take before it counts as a failed attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool UsesBuiltInLrs => string.IsNullOrWhiteSpace(Endpoint);
}
