using System.Globalization;
using System.Text.RegularExpressions;
using Nanolearning.Courses;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// One follow-up table, as shown on a page and as exported to CSV and XLSX: what is hidden on screen is hidden in the
/// files too. Build tables that politicians can reach with <see cref="ReportTableBuilder"/>, which applies
/// <see cref="Suppression"/>.
/// </summary>
/// <param name="Slug">Lower-case ASCII letters, digits and hyphens: the file name's stem and the HTML anchor.</param>
/// <param name="Caption">The table's caption, the export's sheet name (cut to 31 characters) and the chart's title.</param>
/// <param name="LabelHeading">The heading over the row labels (e.g. "Förvaltning").</param>
/// <param name="Columns">The figures' headings, one per cell of each row.</param>
/// <param name="Rows">The groups, in the order shown.</param>
/// <param name="Total">The total row, if the table shows one.</param>
/// <param name="Note">A sentence under the table (e.g. what the scope is), also written to the exports.</param>
/// <param name="SuppressionThreshold">The k the table was suppressed with; null if it was not.</param>
public sealed partial record ReportTable(
    string Slug,
    string Caption,
    string LabelHeading,
    IReadOnlyList<string> Columns,
    IReadOnlyList<ReportRow> Rows,
    ReportRow? Total = null,
    string? Note = null,
    int? SuppressionThreshold = null)
{
    public string Slug { get; } = ValidSlug(Slug);

    public bool HasSuppressed => Rows.Append(Total).Any(row => row is not null && row.Cells.Any(cell => cell.Suppressed));

    /// <summary>The explanation of "–" under the table and in the exports.</summary>
    public string SuppressionExplanation =>
        $"– = Färre än {SuppressionThreshold?.ToString(Swedish.Culture) ?? "k"} personer, eller dold så att en dold siffra inte kan räknas fram.";

    /// <summary>Whether a column holds figures (right-aligned): all its cells are counts, shares, hidden or empty.</summary>
    public bool IsNumeric(int column) =>
        Rows.Append(Total).OfType<ReportRow>().Where(row => column < row.Cells.Count).Select(row => row.Cells[column])
            .All(cell => cell.Kind != ReportCellKind.Text || cell.Suppressed || cell.Text.Length == 0);

    private static string ValidSlug(string slug) =>
        SlugPattern().IsMatch(slug) ? slug : throw new ArgumentException($"\"{slug}\" is not a slug (a-z, 0-9 and -).", nameof(slug));

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();
}

/// <summary>A row: its label (a unit, a course, a month), an optional link for drilling down, and its cells.</summary>
public sealed record ReportRow(string Label, IReadOnlyList<ReportCell> Cells, string? Href = null);

/// <summary>What kind of figure a cell holds, which decides its format in XLSX.</summary>
public enum ReportCellKind
{
    Text,

    /// <summary>A whole number of people.</summary>
    Count,

    /// <summary>A fraction between 0 and 1, shown as a percentage.</summary>
    Share,
}

/// <summary>
/// One cell: the text a reader sees (Swedish format), the number behind it for XLSX (counts as integers, shares as
/// fractions), or hidden by suppression ("–").
/// </summary>
public sealed record ReportCell(string Text, decimal? Number, ReportCellKind Kind, bool Suppressed = false)
{
    public const string HiddenText = "–";

    /// <summary>A suppressed cell: shown as "–" everywhere, with no number behind it.</summary>
    public static ReportCell Hidden { get; } = new(HiddenText, null, ReportCellKind.Text, Suppressed: true);

    /// <summary>An empty cell (e.g. a share of nobody).</summary>
    public static ReportCell Empty { get; } = new("", null, ReportCellKind.Text);

    public static ReportCell Count(int people) => new(people.ToString("N0", Swedish.Culture), people, ReportCellKind.Count);

    /// <summary>A share of a whole, e.g. 45 of 60 → "75 %"; a share of nobody is an empty cell, not 0 %.</summary>
    public static ReportCell Share(int part, int whole) => whole == 0 ? Empty : Share((decimal)part / whole);

    public static ReportCell Share(decimal fraction) => new(Percent(fraction), fraction, ReportCellKind.Share);

    public static ReportCell Of(string text) => new(text, null, ReportCellKind.Text);

    /// <summary>A share as Swedish readers write it: "75 %" (whole percent; a no-break space, so % never wraps alone).</summary>
    public static string Percent(decimal fraction) =>
        Math.Round(fraction * 100, MidpointRounding.AwayFromZero).ToString("0", Swedish.Culture) + "\u00a0%";

    /// <summary>The cell in a CSV file, for Swedish Excel: counts without digit grouping, shares as "75%".</summary>
    public string CsvText => Kind switch
    {
        _ when Suppressed => HiddenText,
        ReportCellKind.Count when Number is { } count => count.ToString("0", CultureInfo.InvariantCulture),
        ReportCellKind.Share when Number is { } share => (share * 100).ToString("0.#", Swedish.Culture) + "%",
        _ => Text,
    };
}
