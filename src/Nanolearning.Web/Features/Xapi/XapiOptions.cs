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

    /// <summary>The built-in LRS at <c>/xapi/</c>: its own Basic credentials, not a user account.</summary>
    public LrsCredentials Lrs { get; set; } = new();

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

/// <summary>The built-in LRS's Basic credentials. With no password it refuses every client (in-app delivery still works).</summary>
public sealed class LrsCredentials
{
    public string Username { get; set; } = "nanolearning";

    public string Password { get; set; } = "";

    public bool IsOpenToClients => Password.Length > 0;
}

/// <summary>Where the delivery job sends learning events as statements.</summary>
public sealed class DeliveryOptions
{
    /// <summary>An external LRS's xAPI base (<c>https://lrs.example.se/xapi/</c>); empty means the built-in LRS.</summary>
    public string Endpoint { get; set; } = "";

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>Statements per request.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>The longest one request may take before it counts as a failed attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool UsesBuiltInLrs => string.IsNullOrWhiteSpace(Endpoint);
}
