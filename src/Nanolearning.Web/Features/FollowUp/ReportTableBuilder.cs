namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// Builds a <see cref="ReportTable"/> from grouped figures, so suppression cannot be forgotten: each row says how many
/// people its figures speak of, and <see cref="Build(int)"/> hides what <see cref="Suppression"/> says must be hidden,
/// in every cell. Only tables that no politician can reach may use <see cref="BuildWithoutSuppression"/>.
/// </summary>
/// <example>
/// <code>
/// var table = new ReportTableBuilder("kurser", "Genomförande per kurs", "Kurs", ["Tilldelade", "Klara", "Andel klara"])
///     .Row("Anhörig 1", people: 40, ReportCell.Count(40), ReportCell.Count(30), ReportCell.Share(30, 40))
///     .Total(people: 40, ReportCell.Count(40), ReportCell.Count(30), ReportCell.Share(30, 40))
///     .Build(k);
/// </code>
/// A table whose column sets count different people (one set per course) gives each set's size with
/// <see cref="ReportFigures"/>: <c>.Row("Vård", new ReportFigures(12, [..]), new ReportFigures(3, [..]))</c>;
/// each set is suppressed on its own.
/// </example>
public sealed class ReportTableBuilder(string slug, string caption, string labelHeading, IReadOnlyList<string> columns)
{
    private readonly List<(string Label, string? Href, IReadOnlyList<ReportFigures> Sets)> rows = [];
    private IReadOnlyList<ReportFigures>? total;
    private bool sumShownElsewhere;
    private string? note;

    /// <summary>A row whose cells all speak of the same <paramref name="people"/>.</summary>
    public ReportTableBuilder Row(string label, int people, params IReadOnlyList<ReportCell> cells) =>
        Row(label, href: null, [new ReportFigures(people, cells)]);

    /// <summary>A row whose label links to a drill-down page.</summary>
    public ReportTableBuilder LinkedRow(string label, string? href, int people, params IReadOnlyList<ReportCell> cells) =>
        Row(label, href, [new ReportFigures(people, cells)]);

    /// <summary>A row with one set of figures per column set, each with its own number of people.</summary>
    public ReportTableBuilder Row(string label, string? href, params IReadOnlyList<ReportFigures> sets)
    {
        rows.Add((label, href, Checked(sets)));
        return this;
    }

    /// <summary>A total row: its presence turns on complementary suppression.</summary>
    public ReportTableBuilder Total(int people, params IReadOnlyList<ReportCell> cells) => Total([new ReportFigures(people, cells)]);

    public ReportTableBuilder Total(params IReadOnlyList<ReportFigures> sets)
    {
        total = Checked(sets);
        return this;
    }

    /// <summary>
    /// The rows add up to a figure shown elsewhere (another table, a heading), so hidden rows need complementary
    /// suppression even without a total row here.
    /// </summary>
    public ReportTableBuilder SumShownElsewhere()
    {
        sumShownElsewhere = true;
        return this;
    }

    public ReportTableBuilder Note(string text)
    {
        note = text;
        return this;
    }

    /// <summary>The table with every group of fewer than <paramref name="k"/> people hidden, and what would reveal one.</summary>
    public ReportTable Build(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        var sets = rows.Count > 0 ? rows[0].Sets.Count : total?.Count ?? 0;
        var hidden = rows.Select(_ => new bool[sets]).ToList();
        var totalHidden = new bool[sets];
        for (var set = 0; set < sets; set++)
        {
            var result = Suppression.Apply([.. rows.Select(row => row.Sets[set].People)], total is not null || sumShownElsewhere, k);
            for (var row = 0; row < rows.Count; row++)
            {
                hidden[row][set] = result.HiddenRows[row];
            }

            // A total given with fewer people than its rows add up to (people without a unit, say) hides itself too.
            totalHidden[set] = result.TotalHidden || total is not null && total[set].People < k;
            if (total is not null && total[set].People < k)
            {
                hidden.ForEach(row => row[set] = true);
            }
        }

        return new ReportTable(
            slug,
            caption,
            labelHeading,
            columns,
            [.. rows.Select((row, i) => new ReportRow(row.Label, Cells(row.Sets, hidden[i]), row.Href))],
            total is null ? null : new ReportRow("Totalt", Cells(total, totalHidden)),
            note,
            SuppressionThreshold: k);
    }

    /// <summary>The table as given: only for tables no politician can reach (a chef's own units).</summary>
    public ReportTable BuildWithoutSuppression() => new(
        slug,
        caption,
        labelHeading,
        columns,
        [.. rows.Select(row => new ReportRow(row.Label, Cells(row.Sets, new bool[row.Sets.Count]), row.Href))],
        total is null ? null : new ReportRow("Totalt", Cells(total, new bool[total.Count])),
        note);

    private static IReadOnlyList<ReportCell> Cells(IReadOnlyList<ReportFigures> sets, bool[] hidden) =>
        [.. sets.SelectMany((set, i) => hidden[i] ? set.Cells.Select(_ => ReportCell.Hidden) : set.Cells)];

    private IReadOnlyList<ReportFigures> Checked(IReadOnlyList<ReportFigures> sets)
    {
        if (sets.Sum(set => set.Cells.Count) != columns.Count)
        {
            throw new ArgumentException($"{caption}: a row has {sets.Sum(set => set.Cells.Count)} cells for {columns.Count} columns.");
        }

        var shape = rows.Count > 0 ? rows[0].Sets : total;
        if (shape is not null && !shape.Select(set => set.Cells.Count).SequenceEqual(sets.Select(set => set.Cells.Count)))
        {
            throw new ArgumentException($"{caption}: every row must split its cells into the same column sets.");
        }

        return sets;
    }
}

/// <summary>Cells that all speak of the same <paramref name="People"/>: hidden or shown together.</summary>
public sealed record ReportFigures(int People, IReadOnlyList<ReportCell> Cells);
