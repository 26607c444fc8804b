using System.Globalization;
using CsvHelper;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.AspNetCore.Mvc;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>The file formats a table can be downloaded in; the names are the query-string values.</summary>
public enum ExportFormat
{
    Csv,
    Xlsx,
}

/// <summary>A file ready to download.</summary>
public sealed record ExportFile(byte[] Content, string ContentType, string FileName)
{
    /// <summary>The download as a page handler's result; the framework writes Content-Disposition (attachment, with filename*).</summary>
    public FileContentResult ToFileResult() => new(Content, ContentType) { FileDownloadName = FileName };
}

/// <summary>
/// Writes a <see cref="ReportTable"/> as it is shown, suppression included: CSV for Swedish Excel and XLSX with typed cells.
/// </summary>
public static class TableExport
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>"csv" or "xlsx" (any case) from a query string; anything else is no format.</summary>
    public static bool TryParseFormat(string? value, out ExportFormat format) =>
        Enum.TryParse(value, ignoreCase: true, out format) && Enum.IsDefined(format) && !int.TryParse(value, out _);

    public static ExportFile Write(ReportTable table, ExportFormat format, DateOnly day) => format switch
    {
        ExportFormat.Csv => Csv(table, day),
        ExportFormat.Xlsx => Xlsx(table, day),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The table's file name on a day, e.g. <c>uppfoljning-2026-12-02.csv</c>.</summary>
    public static string FileName(ReportTable table, DateOnly day, ExportFormat format) =>
        $"{table.Slug}-{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.{format.ToString().ToLowerInvariant()}";

    /// <summary>
    /// UTF-8 with a byte order mark and ";" between fields, CRLF, quotes as RFC 4180: what Swedish Excel opens as it is.
    /// A cell that starts with =, +, -, @, tab or CR gets a leading ' so a spreadsheet never runs it as a formula.
    /// </summary>
    public static ExportFile Csv(ReportTable table, DateOnly day)
    {
        var options = CsvWriterOptions.Default with
        {
            Separator = ';',
            NewLine = "\r\n",
            WriteByteOrderMark = true,
            Injection = CsvInjection.Escape,
            InjectionEscape = '\'',
            InjectionCharacters = "=+-@\t\r",
        };
        using var bytes = new MemoryStream();
        using (var csv = CsvWriter.Create(bytes, options, leaveOpen: true))
        {
            foreach (var line in Lines(table))
            {
                foreach (var field in line.Fields)
                {
                    csv.WriteField(field is ReportCell cell ? cell.CsvText : (string)field);
                }

                csv.EndRecord();
            }
        }

        return new ExportFile(bytes.ToArray(), CsvContentType, FileName(table, day, ExportFormat.Csv));
    }

    /// <summary>
    /// One sheet named after the caption: a bold, frozen heading row, counts as whole numbers, shares as fractions with a
    /// percent format, hidden figures as "–", and the notes below.
    /// </summary>
    public static ExportFile Xlsx(ReportTable table, DateOnly day)
    {
        using var bytes = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(bytes, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();

            var data = new SheetData();
            var rowNumber = 0u;
            foreach (var line in Lines(table))
            {
                rowNumber++;
                var bold = rowNumber == 1 || ReferenceEquals(line.Source, table.Total);
                var row = new Row { RowIndex = rowNumber };
                var column = 0;
                foreach (var field in line.Fields)
                {
                    var reference = $"{ColumnName(column++)}{rowNumber}";
                    if (field is not "")
                    {
                        row.Append(Cell(field, reference, bold));
                    }
                }

                data.Append(row);
            }

            var sheet = workbook.AddNewPart<WorksheetPart>();
            sheet.Worksheet = new Worksheet(FrozenHeading(), new Columns(ColumnWidths(table)), data);
            workbook.Workbook.AppendChild(new Sheets()).Append(
                new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = SheetName(table.Caption) });
        }

        return new ExportFile(bytes.ToArray(), XlsxContentType, FileName(table, day, ExportFormat.Xlsx));
    }

    /// <summary>Excel's rules for a sheet name: at most 31 characters, none of : \ / ? * [ ].</summary>
    public static string SheetName(string caption)
    {
        var name = new string([.. caption.Select(c => ":\\/?*[]".Contains(c) ? ' ' : c)]).Trim().Trim('\'');
        name = name.Length <= 31 ? name : name[..30].TrimEnd() + "…";
        return name.Length == 0 ? "Tabell" : name;
    }

    /// <summary>
    /// The heading row, the rows, the total, then after a blank line the note and the meaning of "–"; every line as wide
    /// as the table, as RFC 4180 asks. A field is a heading or label (string) or a <see cref="ReportCell"/>.
    /// </summary>
    private static IEnumerable<Line> Lines(ReportTable table)
    {
        var width = table.Columns.Count + 1;
        yield return new Line(null, [table.LabelHeading, .. table.Columns]);
        foreach (var row in table.Rows.Append(table.Total).OfType<ReportRow>())
        {
            yield return new Line(row, [row.Label, .. row.Cells]);
        }

        var notes = new[] { table.Note, table.HasSuppressed ? table.SuppressionExplanation : null }.OfType<string>().ToList();
        if (notes.Count > 0)
        {
            yield return new Line(null, [.. Enumerable.Repeat("", width)]);
            foreach (var note in notes)
            {
                yield return new Line(null, [note, .. Enumerable.Repeat("", width - 1)]);
            }
        }
    }

    private sealed record Line(ReportRow? Source, IReadOnlyList<object> Fields);

    // Style indexes in Styles(): 0 plain, 1 bold, 2 count, 3 bold count, 4 share, 5 bold share.
    private static Cell Cell(object field, string reference, bool bold)
    {
        var boldOffset = bold ? 1u : 0u;
        return field switch
        {
            ReportCell { Suppressed: false, Number: { } number, Kind: ReportCellKind.Count } => Number(number, 2 + boldOffset),
            ReportCell { Suppressed: false, Number: { } number, Kind: ReportCellKind.Share } => Number(number, 4 + boldOffset),
            ReportCell cell => Text(cell.Text, boldOffset),
            _ => Text(field.ToString() ?? "", boldOffset),
        };

        Cell Number(decimal value, uint style) => new()
        {
            CellReference = reference,
            DataType = CellValues.Number,
            CellValue = new CellValue(value),
            StyleIndex = style,
        };

        // Inline strings: no shared-string table to keep in step, and the text is never read as a formula.
        Cell Text(string value, uint style) => new(new InlineString(new Text(value) { Space = SpaceProcessingModeValues.Preserve }))
        {
            CellReference = reference,
            DataType = CellValues.InlineString,
            StyleIndex = style,
        };
    }

    private static Stylesheet Styles() => new(
        new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { FontId = 1, ApplyFont = true },
            // Built-in formats: 3 is "# ##0" in the reader's locale, 9 is "0 %".
            new CellFormat { NumberFormatId = 3, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 3, ApplyNumberFormat = true, FontId = 1, ApplyFont = true },
            new CellFormat { NumberFormatId = 9, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 9, ApplyNumberFormat = true, FontId = 1, ApplyFont = true })
        { Count = 6 });

    private static SheetViews FrozenHeading() => new(new SheetView(
        new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
        new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue>(["A2"]) })
    { WorkbookViewId = 0 });

    private static IEnumerable<Column> ColumnWidths(ReportTable table)
    {
        var labels = table.Rows.Select(row => row.Label.Length).Append(table.LabelHeading.Length).Max();
        yield return new Column { Min = 1, Max = 1, Width = Math.Clamp(labels + 2, 12, 60), CustomWidth = true };
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var width = Math.Clamp(table.Columns[i].Length + 2, 10, 40);
            yield return new Column { Min = (uint)i + 2, Max = (uint)i + 2, Width = width, CustomWidth = true };
        }
    }

    private static string ColumnName(int index) =>
        index < 26 ? ((char)('A' + index)).ToString() : ColumnName(index / 26 - 1) + (char)('A' + index % 26);
}
