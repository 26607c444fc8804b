using System.Globalization;
using Nanolearning.Courses;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// What <c>_ReportTable.cshtml</c> draws: the table, and the addresses of its CSV and XLSX downloads (page handlers), if
/// it has any.
/// </summary>
public sealed record ReportTableView(ReportTable Table, string? CsvUrl = null, string? XlsxUrl = null);

/// <summary>A share per group as horizontal bars (<c>_BarChart.cshtml</c>); a hidden group is a gap labelled "dold".</summary>
/// <param name="Id">Unique on the page: the SVG's title and description ids start with it.</param>
/// <param name="Title">The chart's title, read first by a screen reader.</param>
/// <param name="Bars">In the order drawn.</param>
/// <param name="SuppressionThreshold">The k behind the hidden groups, for the explanation.</param>
public sealed record BarChart(string Id, string Title, IReadOnlyList<ChartBar> Bars, int? SuppressionThreshold = null)
{
    /// <summary>Bars from one share column of a table, so the chart hides exactly what the table hides.</summary>
    public static BarChart FromTable(ReportTable table, int shareColumn, string? title = null) => new(
        $"{table.Slug}-diagram",
        title ?? table.Caption,
        [.. table.Rows.Select(row => new ChartBar(row.Label, ChartText.ShareOf(row.Cells[shareColumn]), row.Cells[shareColumn].Suppressed))],
        table.SuppressionThreshold);

    /// <summary>The text alternative: every bar's figure, in order.</summary>
    public string Description => ChartText.Describe(
        "Liggande staplar, en per rad", Bars.Select(bar => (bar.Label, bar.Share, bar.Hidden)), SuppressionThreshold);
}

/// <param name="Label">The group, e.g. a förvaltning.</param>
/// <param name="Share">Between 0 and 1; null when the group is hidden or has nobody to count.</param>
/// <param name="Hidden">Suppressed: drawn as a gap labelled "dold".</param>
public sealed record ChartBar(string Label, decimal? Share, bool Hidden = false);

/// <summary>A share per month, 0–100 %, as a line (<c>_LineChart.cshtml</c>); a hidden month is a gap labelled "dold".</summary>
/// <param name="Id">Unique on the page: the SVG's title and description ids start with it.</param>
/// <param name="Title">The chart's title, read first by a screen reader.</param>
/// <param name="Points">In the order drawn.</param>
/// <param name="SuppressionThreshold">The k behind the hidden groups, for the explanation.</param>
public sealed record LineChart(string Id, string Title, IReadOnlyList<ChartPoint> Points, int? SuppressionThreshold = null)
{
    /// <summary>
    /// Points from one share column of a table with a row per month; <paramref name="axisLabel"/> gives the short text
    /// under each point (by default the row's label).
    /// </summary>
    public static LineChart FromTable(ReportTable table, int shareColumn, Func<ReportRow, string>? axisLabel = null, string? title = null) => new(
        $"{table.Slug}-diagram",
        title ?? table.Caption,
        [.. table.Rows.Select(row => new ChartPoint(row.Label, axisLabel?.Invoke(row) ?? row.Label, ChartText.ShareOf(row.Cells[shareColumn]), row.Cells[shareColumn].Suppressed))],
        table.SuppressionThreshold);

    public string Description => ChartText.Describe(
        "Linje över andelen från 0 till 100 procent, en punkt per månad", Points.Select(point => (point.Label, point.Share, point.Hidden)), SuppressionThreshold);
}

/// <param name="Label">The full label for the text alternative, e.g. "januari 2026".</param>
/// <param name="AxisLabel">The short label under the point, e.g. "jan".</param>
/// <param name="Share">Between 0 and 1; null when the month is hidden or has nobody to count.</param>
/// <param name="Hidden">Suppressed: drawn as a gap labelled "dold".</param>
public sealed record ChartPoint(string Label, string AxisLabel, decimal? Share, bool Hidden = false);

/// <summary>Words and numbers shared by the charts.</summary>
public static class ChartText
{
    /// <summary>"januari 2026": a month in a trend table's row and a chart's text alternative.</summary>
    public static string Month(DateOnly month) => month.ToString("MMMM yyyy", Swedish.Culture);

    /// <summary>"jan": a month under a point of a line chart.</summary>
    public static string MonthAxis(DateOnly month) => month.ToString("MMM", Swedish.Culture).TrimEnd('.');

    /// <summary>An SVG coordinate: invariant digits, whatever the request's culture.</summary>
    public static string Svg(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    internal static decimal? ShareOf(ReportCell cell) =>
        cell is { Suppressed: false, Kind: ReportCellKind.Share, Number: { } share } ? Math.Clamp(share, 0, 1) : null;

    /// <summary>The figure beside a bar or under a gap: "75 %", "dold" or "inga personer".</summary>
    public static string Figure(decimal? share, bool hidden) =>
        hidden ? "dold" : share is { } value ? ReportCell.Percent(value) : "inga personer";

    internal static string Describe(string shape, IEnumerable<(string Label, decimal? Share, bool Hidden)> figures, int? k)
    {
        var list = figures.ToList();
        var parts = list.Select(f => $"{f.Label}: {Figure(f.Share, f.Hidden)}");
        var hidden = list.Any(f => f.Hidden)
            ? $" Dold betyder färre än {k ?? 0} personer, eller dold så att en dold siffra inte kan räknas fram."
            : "";
        return $"{shape}. {string.Join(". ", parts)}.{hidden} Samma siffror finns i tabellen intill.";
    }
}
