using System.Net.Mail;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Nanolearning.Courses.Facts;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.MunicipalityFacts;

/// <summary>
/// Reads the kommun's facts for a request that shows lesson HTML. One row that changes a few times a year, read on
/// every lesson page: kept in memory for <see cref="Lifetime"/>, and forgotten at once when an admin saves it here
/// (<see cref="Forget"/>); another app instance on the same PostgreSQL database shows the change within the lifetime.
/// </summary>
public sealed class FactFilling(AppDbContext db, IMemoryCache cache, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private static readonly object Key = typeof(FilledFacts);

    public async Task<FilledFacts> LoadAsync(CancellationToken cancel = default)
    {
        var now = time.GetUtcNow();
        if (cache.TryGetValue(Key, out Loaded? loaded) && loaded is not null && now - loaded.At < Lifetime)
        {
            return loaded.Facts;
        }

        var facts = new FilledFacts(await db.KommunFacts.AsNoTracking().FirstOrDefaultAsync(r => r.Id == KommunFactsRow.SingleId, cancel));
        // The memory cache's own (real) clock only clears the entry away; the app's clock decides above.
        cache.Set(Key, new Loaded(facts, now), Lifetime);
        return facts;
    }

    /// <summary>After a save: the next lesson page reads the facts again.</summary>
    public void Forget() => cache.Remove(Key);

    private sealed record Loaded(FilledFacts Facts, DateTimeOffset At);
}

/// <summary>
/// Puts the kommun's facts into compiled lesson HTML. The compiler writes each fact as an exact slot string
/// (<see cref="KommunFacts.Slot"/>) holding its placeholder; that string is replaced as a whole, never parsed with
/// patterns, and a fact not filled in keeps its placeholder. Every value is HTML-encoded: an admin's text is text.
/// </summary>
public sealed class FilledFacts(KommunFactsRow? row)
{
    private readonly Dictionary<string, string> _html = Slots(row, links: true);

    private readonly Dictionary<string, string> _withoutLinks = Slots(row, links: false);

    /// <summary>No facts filled in: every slot keeps its placeholder.</summary>
    public static FilledFacts None { get; } = new(null);

    /// <summary>The plain value of a fact, or null while the kommun has not filled it in.</summary>
    public string? Value(string fact) => row?.ValueOf(fact);

    public string Fill(string html) => Fill(html, _html);

    /// <summary>
    /// Fills in the facts without making the e-mail address and web page links: for HTML that goes inside a link of
    /// its own (a repetition question's answers are links), where a link in a link would be invalid.
    /// </summary>
    public string FillWithoutLinks(string html) => Fill(html, _withoutLinks);

    private static string Fill(string html, Dictionary<string, string> values)
    {
        if (values.Count == 0 || !html.Contains(KommunFacts.SlotMarker, StringComparison.Ordinal))
        {
            return html;
        }

        foreach (var (name, value) in values)
        {
            html = html.Replace(KommunFacts.Slot(name), value, StringComparison.Ordinal);
        }

        return html;
    }

    private static Dictionary<string, string> Slots(KommunFactsRow? row, bool links) => KommunFacts.All
        .Select(f => (f.Name, Value: row?.ValueOf(f.Name)))
        .Where(f => f.Value is not null)
        .ToDictionary(f => f.Name, f => $"<span data-fact=\"{f.Name}\">{ValueHtml(f.Name, f.Value!, links)}</span>");

    // Markup characters are encoded; letters such as å, ä and ö stay readable in the page source.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static string ValueHtml(string fact, string value, bool links)
    {
        var encoder = Encoder;
        switch (fact)
        {
            case KommunFacts.SupportEmail when links && IsEmail(value):
                return $"<a href=\"mailto:{encoder.Encode(value)}\">{encoder.Encode(value)}</a>";
            case KommunFacts.SupportWebPage when links && WebAddress(value) is { } url:
                return $"<a href=\"{encoder.Encode(url.AbsoluteUri)}\">{encoder.Encode(value)}</a>";
            case KommunFacts.SupportOffers:
                var html = new StringBuilder();
                foreach (var line in value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
                {
                    html.Append(html.Length == 0 ? "" : "<br>").Append(encoder.Encode(line));
                }

                return html.ToString();
            default:
                return encoder.Encode(value);
        }
    }

    /// <summary>A plain address, as the admin form accepts: nothing a mailto: link could carry besides.</summary>
    public static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address) && address.Address == value && address.DisplayName.Length == 0
        && !value.Any(c => c is '?' or '&' or '<' or '>' or '"' or ' ');

    /// <summary>An absolute http(s) address, or null.</summary>
    public static Uri? WebAddress(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) ? url : null;
}
