using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.FollowUp;

namespace Nanolearning.Web.Tests;

/// <summary>
/// Follow-up tables: groups of fewer than k people are hidden, and so is whatever would let someone work them out from a
/// total; the exports hide exactly what the page hides.
/// </summary>
public sealed class FollowUpTableTests
{
    private const int K = 5;
    private static readonly DateOnly Day = new(2026, 12, 2);

    [Fact]
    public void A_group_of_fewer_than_k_people_is_hidden_and_the_others_are_shown_when_no_total_is()
    {
        var result = Suppression.Apply([3, 10, 12], totalShown: false, K);

        Assert.Equal([true, false, false], result.HiddenRows);
        Assert.False(result.TotalHidden);
    }

    [Fact]
    public void Subtraction_attack_one_hidden_row_beside_a_total_hides_the_next_smallest_row_too()
    {
        // Hemtjänst has 3 people, 2 of them done. With the total and the other two rows shown, 18 − 7 − 9 would give 2.
        var table = new ReportTableBuilder("klara", "Klara per enhet", "Enhet", ["Anställda", "Klara"])
            .Row("Hemtjänst", people: 3, ReportCell.Count(3), ReportCell.Count(2))
            .Row("Boende", people: 10, ReportCell.Count(10), ReportCell.Count(7))
            .Row("Daglig verksamhet", people: 12, ReportCell.Count(12), ReportCell.Count(9))
            .Total(people: 25, ReportCell.Count(25), ReportCell.Count(18))
            .Build(K);

        Assert.All(table.Rows[0].Cells, cell => Assert.True(cell.Suppressed));
        Assert.All(table.Rows[1].Cells, cell => Assert.True(cell.Suppressed));
        Assert.Equal(["12", "9"], table.Rows[2].Cells.Select(cell => cell.Text));
        Assert.Equal(["25", "18"], table.Total!.Cells.Select(cell => cell.Text));

        // What subtraction gives now is the two hidden rows together: 13 people, 9 done, not Hemtjänst's 2.
        var derived = table.Total.Cells[1].Number - table.Rows.Where(row => !row.Cells[1].Suppressed).Sum(row => row.Cells[1].Number);
        Assert.Equal(9, derived);
        Assert.NotEqual(2, derived);
        Assert.NotEqual(7, derived);
        Assert.True(3 + 10 >= K);
    }

    [Fact]
    public void Two_small_groups_that_together_hold_k_people_hide_nothing_more()
    {
        Assert.Equal([true, true, false], Suppression.Apply([2, 3, 20], totalShown: true, K).HiddenRows);
    }

    [Fact]
    public void Small_groups_that_together_hold_fewer_than_k_people_take_the_smallest_visible_group_with_them()
    {
        Assert.Equal([true, true, false, true], Suppression.Apply([1, 2, 30, 20], totalShown: true, K).HiddenRows);
    }

    [Fact]
    public void A_total_of_fewer_than_k_people_hides_everything()
    {
        var result = Suppression.Apply([1, 2], totalShown: true, K);

        Assert.Equal([true, true], result.HiddenRows);
        Assert.True(result.TotalHidden);
    }

    [Fact]
    public void Rows_that_add_up_to_a_figure_shown_elsewhere_are_protected_like_rows_with_a_total()
    {
        var table = new ReportTableBuilder("enheter", "Enheter", "Enhet", ["Klara"])
            .Row("Liten", people: 2, ReportCell.Count(1))
            .Row("Stor", people: 40, ReportCell.Count(30))
            .SumShownElsewhere()
            .Build(K);

        Assert.True(table.Rows[1].Cells[0].Suppressed);
        Assert.Null(table.Total);
    }

    [Fact]
    public void A_total_row_given_for_fewer_than_k_people_hides_itself_and_every_row()
    {
        var table = new ReportTableBuilder("liten", "Liten", "Enhet", ["Klara"])
            .Row("A", people: 3, ReportCell.Count(1))
            .Row("B", people: 3, ReportCell.Count(2))
            .Total(people: 4, ReportCell.Count(3))
            .Build(K);

        Assert.All(table.Rows.Append(table.Total!), row => Assert.True(row.Cells[0].Suppressed));
    }

    [Fact]
    public void Each_column_set_is_suppressed_on_its_own_group_sizes()
    {
        var table = new ReportTableBuilder("kurser", "Kurser per förvaltning", "Förvaltning", ["Kurs A klara", "Kurs B klara"])
            .Row("Vård", null, new ReportFigures(20, [ReportCell.Count(10)]), new ReportFigures(3, [ReportCell.Count(1)]))
            .Row("Skola", null, new ReportFigures(30, [ReportCell.Count(20)]), new ReportFigures(40, [ReportCell.Count(25)]))
            .Build(K);

        Assert.Equal([false, true], table.Rows[0].Cells.Select(cell => cell.Suppressed));
        Assert.Equal([false, false], table.Rows[1].Cells.Select(cell => cell.Suppressed));
    }

    [Fact]
    public void A_table_without_suppression_shows_small_groups()
    {
        var table = new ReportTableBuilder("chef", "Min enhet", "Kurs", ["Klara"]).Row("Kurs", people: 2, ReportCell.Count(1)).BuildWithoutSuppression();

        Assert.False(table.HasSuppressed);
        Assert.Null(table.SuppressionThreshold);
    }

    [Fact]
    public void Figures_are_written_the_Swedish_way()
    {
        Assert.Equal("1\u00a0234", ReportCell.Count(1234).Text);
        Assert.Equal("75\u00a0%", ReportCell.Share(45, 60).Text);
        Assert.Equal(0.75m, ReportCell.Share(45, 60).Number);
        Assert.Equal("", ReportCell.Share(0, 0).Text);
    }

    [Property]
    public bool With_a_total_every_hidden_set_is_empty_or_holds_at_least_k_people_and_every_small_group_is_hidden(
        NonNegativeInt[] sizes, PositiveInt threshold, bool totalShown)
    {
        var k = 2 + threshold.Get % 20;
        var people = sizes.Select(size => size.Get % 60).ToList();

        var result = Suppression.Apply(people, totalShown, k);

        var hiddenPeople = people.Where((_, row) => result.HiddenRows[row]).Sum();
        var smallGroupsHidden = people.Select((size, row) => size >= k || result.HiddenRows[row]).All(ok => ok);
        var totalSafe = !totalShown || (result.TotalHidden
            ? result.HiddenRows.All(hidden => hidden) && people.Sum() < k
            : hiddenPeople == 0 && !result.HiddenRows.Contains(true) || hiddenPeople >= k);
        var onlyWhatIsNeeded = totalShown || people.Select((size, row) => result.HiddenRows[row] == size < k).All(ok => ok);
        return smallGroupsHidden && totalSafe && onlyWhatIsNeeded;
    }

    [Property]
    public Property The_hidden_rows_beside_a_total_never_reveal_one_group_of_fewer_than_k()
    {
        // The attacker's figure is total − visible rows: it must speak of k or more people, never of one small group.
        var sizes = Gen.Choose(0, 30).ArrayOf().Where(array => array.Length > 0).ToArbitrary();
        return Prop.ForAll(sizes, people =>
        {
            var result = Suppression.Apply(people, totalShown: true, K);
            var hidden = people.Where((_, row) => result.HiddenRows[row]).ToList();
            return result.TotalHidden || hidden.Count == 0 || hidden.Sum() >= K && hidden.Count >= 2 || hidden.Count == 1 && hidden[0] >= K;
        });
    }

    [Fact]
    public void Csv_is_utf8_with_bom_semicolons_crlf_and_neutralised_formulas_keeping_swedish_letters()
    {
        var table = new ReportTableBuilder("uppfoljning", "Klara per enhet", "Enhet", ["Anställda", "Andel klara"])
            .Row("=SUM(A1)", people: 10, ReportCell.Count(10), ReportCell.Share(5, 10))
            .Row("+1", people: 10, ReportCell.Count(10), ReportCell.Share(10, 10))
            .Row("-1", people: 10, ReportCell.Count(10), ReportCell.Share(1, 10))
            .Row("@x", people: 10, ReportCell.Count(10), ReportCell.Share(0, 10))
            .Row("Åsa; \"Öst\" Ängby", people: 1234, ReportCell.Count(1234), ReportCell.Share(617, 1234))
            .Row("Liten", people: 2, ReportCell.Count(2), ReportCell.Share(1, 2))
            .Build(K);

        var file = TableExport.Csv(table, Day);

        Assert.Equal("uppfoljning-2026-12-02.csv", file.FileName);
        Assert.Equal("text/csv; charset=utf-8", file.ContentType);
        Assert.Equal([0xEF, 0xBB, 0xBF], file.Content.Take(3));
        var text = new UTF8Encoding(false).GetString(file.Content, 3, file.Content.Length - 3);
        var lines = text.Split("\r\n");
        Assert.DoesNotContain('\n', text.Replace("\r\n", ""));
        Assert.Equal("Enhet;Anställda;Andel klara", lines[0]);
        Assert.Equal("\"'=SUM(A1)\";10;50%", lines[1]);
        Assert.Equal("\"'+1\";10;100%", lines[2]);
        Assert.Equal("\"'-1\";10;10%", lines[3]);
        Assert.Equal("\"'@x\";10;0%", lines[4]);
        Assert.Equal("\"Åsa; \"\"Öst\"\" Ängby\";1234;50%", lines[5]);
        Assert.Equal("Liten;–;–", lines[6]);
        Assert.Equal(";;", lines[7]);
        Assert.Equal($"{table.SuppressionExplanation};;", lines[8]);
        Assert.StartsWith("– = Färre än 5 personer", lines[8]);
        Assert.Equal("", lines[9]);
    }

    [Fact]
    public void Xlsx_has_the_same_cells_with_numbers_as_numbers_shares_as_percent_and_hidden_figures_as_a_dash()
    {
        var table = new ReportTableBuilder("uppfoljning", "Genomförande per förvaltning i kommunen", "Förvaltning", ["Anställda", "Andel klara"])
            .Row("Vård och omsorg", people: 120, ReportCell.Count(120), ReportCell.Share(90, 120))
            .Row("Kultur", people: 3, ReportCell.Count(3), ReportCell.Share(1, 3))
            .Row("Skola", people: 40, ReportCell.Count(40), ReportCell.Share(10, 40))
            .Total(people: 163, ReportCell.Count(163), ReportCell.Share(101, 163))
            .Note("Enheterna som de ser ut i dag.")
            .Build(K);

        var file = TableExport.Xlsx(table, Day);

        Assert.Equal("uppfoljning-2026-12-02.xlsx", file.FileName);
        using var document = SpreadsheetDocument.Open(new MemoryStream(file.Content), isEditable: false);
        var workbook = document.WorkbookPart!;
        var sheet = Assert.Single(workbook.Workbook.Sheets!.Elements<Sheet>());
        Assert.True(sheet.Name!.Value!.Length <= 31);
        Assert.StartsWith("Genomförande per förvaltning", sheet.Name.Value);
        var worksheet = ((WorksheetPart)workbook.GetPartById(sheet.Id!)).Worksheet;
        Assert.Equal(PaneStateValues.Frozen, worksheet.Descendants<Pane>().Single().State!.Value);
        var cells = worksheet.Descendants<Cell>().ToDictionary(cell => cell.CellReference!.Value!);
        var formats = workbook.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        var fonts = workbook.WorkbookStylesPart.Stylesheet.Fonts!.Elements<Font>().ToList();

        Assert.Equal("Förvaltning", cells["A1"].InlineString!.InnerText);
        Assert.NotNull(fonts[(int)formats[(int)cells["A1"].StyleIndex!.Value].FontId!.Value].Bold);
        Assert.Equal("Vård och omsorg", cells["A2"].InlineString!.InnerText);
        Assert.Equal(CellValues.Number, cells["B2"].DataType!.Value);
        Assert.Equal("120", cells["B2"].CellValue!.Text);
        Assert.Equal(CellValues.Number, cells["C2"].DataType!.Value);
        Assert.Equal(0.75m, decimal.Parse(cells["C2"].CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(9u, formats[(int)cells["C2"].StyleIndex!.Value].NumberFormatId!.Value);
        // Kultur (3) and, beside the total, the next smallest (Skola) are hidden, in the file as on the page.
        foreach (var hidden in new[] { "B3", "C3", "B4", "C4" })
        {
            Assert.Equal(CellValues.InlineString, cells[hidden].DataType!.Value);
            Assert.Equal("–", cells[hidden].InlineString!.InnerText);
        }

        Assert.Equal("Totalt", cells["A5"].InlineString!.InnerText);
        Assert.Equal("163", cells["B5"].CellValue!.Text);
        Assert.Equal("Enheterna som de ser ut i dag.", cells["A7"].InlineString!.InnerText);
        Assert.StartsWith("– = Färre än 5 personer", cells["A8"].InlineString!.InnerText);
    }

    [Fact]
    public void An_export_is_a_download_named_by_the_table_and_the_day()
    {
        var table = new ReportTableBuilder("uppfoljning", "Klara", "Enhet", ["Klara"]).Row("A", people: 9, ReportCell.Count(9)).Build(K);

        var result = TableExport.Write(table, ExportFormat.Xlsx, Day).ToFileResult();

        Assert.Equal("uppfoljning-2026-12-02.xlsx", result.FileDownloadName);
        Assert.Equal(TableExport.XlsxContentType, result.ContentType);
        Assert.True(TableExport.TryParseFormat("csv", out var csv) && csv == ExportFormat.Csv);
        Assert.False(TableExport.TryParseFormat("1", out _));
        Assert.False(TableExport.TryParseFormat("pdf", out _));
    }

    [Fact]
    public void A_threshold_below_two_is_a_settings_mistake()
    {
        Assert.Empty(new FollowUpOptions().Mistakes());
        Assert.Equal(5, new FollowUpOptions().SuppressionThreshold);
        Assert.Contains("Nanolearning:FollowUp:SuppressionThreshold 1 must be at least 2.", new FollowUpOptions { SuppressionThreshold = 1 }.Mistakes());
    }

    [Fact]
    public void A_threshold_below_two_stops_the_app_at_start_up()
    {
        using var app = new AppWith(new Dictionary<string, string> { ["Nanolearning:FollowUp:SuppressionThreshold"] = "1" });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var messages = Flatten(failure).OfType<OptionsValidationException>().SelectMany(e => e.Failures);
        Assert.Contains("Nanolearning:FollowUp:SuppressionThreshold 1 must be at least 2.", messages);
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException many ? many.InnerExceptions.SelectMany(Flatten) : e.InnerException is { } inner ? [e, .. Flatten(inner)] : [e];
}
