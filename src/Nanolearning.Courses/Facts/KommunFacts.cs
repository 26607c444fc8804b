using System.Collections.Immutable;

namespace Nanolearning.Courses.Facts;

/// <summary>
/// The kommun's own facts a lesson may name as <c>{{kommun.namn}}</c>: "var finns stöd" differs in every kommun, so
/// a lesson names the fact and the app fills in what the kommun's admin has entered. This is the one list of names;
/// the compiler refuses any other, and the app fills exactly these.
/// </summary>
public static class KommunFacts
{
    /// <summary>The kommun's name.</summary>
    public const string MunicipalityName = "kommun.namn";

    /// <summary>The anhörigstöd's phone number.</summary>
    public const string SupportPhone = "anhorigstod.telefon";

    /// <summary>The anhörigstöd's e-mail address.</summary>
    public const string SupportEmail = "anhorigstod.epost";

    /// <summary>The anhörigstöd's web page.</summary>
    public const string SupportWebPage = "anhorigstod.webb";

    /// <summary>What the anhörigstöd offers locally: groups, avlösning, meeting places.</summary>
    public const string SupportOffers = "anhorigstod.erbjudanden";

    /// <summary>Every known fact with the words that describe it to a reader, in the order authors see them.</summary>
    public static ImmutableArray<(string Name, string Description)> All { get; } =
    [
        (MunicipalityName, "kommunens namn"),
        (SupportPhone, "anhörigstödets telefonnummer"),
        (SupportEmail, "anhörigstödets e-postadress"),
        (SupportWebPage, "anhörigstödets webbsida"),
        (SupportOffers, "anhörigstödets erbjudanden i kommunen"),
    ];

    /// <summary>Whether <paramref name="name"/> is a fact a lesson may use.</summary>
    public static bool IsKnown(string name) => All.Any(f => f.Name == name);

    /// <summary>What a reader sees until the kommun has filled the fact in: never an empty hole.</summary>
    public static string Placeholder(string name) =>
        $"[{All.First(f => f.Name == name).Description} – kommunen har inte fyllt i det än]";

    /// <summary>
    /// The HTML the compiler writes for a fact: an element the app recognises, holding the placeholder. The app
    /// replaces exactly this string with the filled-in value; it is also what HtmlSanitizer writes back for it
    /// (tested), so a slot inside sanitized HTML is found all the same.
    /// </summary>
    public static string Slot(string name) =>
        $"<span data-fact=\"{name}\">{Placeholder(name).Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)}</span>";

    /// <summary>
    /// Reports <c>{{…}}</c> in text that is not Markdown (a title, a summary): nothing fills a fact in there, so the
    /// braces would reach the learner as they are.
    /// </summary>
    internal static void ReportOutsideText(string? text, string what, string file, int line, int column, DiagnosticBag diagnostics)
    {
        if (text is not null && text.Contains("{{", StringComparison.Ordinal))
        {
            diagnostics.Error(DiagnosticCode.FactOutsideText, file, line, column,
                $"Kommunfakta som {{{{kommun.namn}}}} går bara att använda i lektionens text, inte i {what}: där skulle klamrarna synas för deltagaren. Skriv {what} utan {{{{ }}}}.");
        }
    }

    /// <summary>The start of every slot, for a cheap check whether HTML holds any.</summary>
    public const string SlotMarker = "<span data-fact=\"";
}
