using System.Globalization;
using System.Net.Mail;
using System.Text;
using CsvHelper;

namespace Nanolearning.Web.Features.HrImport;

/// <summary>
/// The staff file as read: one <see cref="StaffRow"/> per employee, and every problem the file has on its own (before
/// it is compared with the database). Problems name the line and the column as the admin sees them in the file.
/// </summary>
public sealed class HrFile
{
    public const string DateFormat = "yyyy-MM-dd";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static HrFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private HrFile(HrImportOptions options) => Options = options;

    public HrImportOptions Options { get; }

    public List<StaffRow> Rows { get; } = [];

    public List<ImportProblem> Problems { get; } = [];

    /// <summary>Each column the file has, by its 0-based position.</summary>
    private Dictionary<HrField, int> ColumnIndex { get; } = [];

    /// <summary>The rows by employee number (the first row of a number the file repeats).</summary>
    public Dictionary<string, StaffRow> Employees { get; } = new(StringComparer.Ordinal);

    /// <summary>The units the rows name, each once, with the line of its first row.</summary>
    public Dictionary<string, StaffUnit> Units { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The file's text: UTF-8 with or without a byte order mark, UTF-16 with one (Excel's "Unicode text"), and
    /// otherwise Windows-1252, which is what Swedish Excel writes as "CSV (semikolonavgränsad)".
    /// </summary>
    public static string Decode(byte[] bytes)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            span = span[3..];
        }
        else if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            using var reader = new StreamReader(new MemoryStream(bytes), Encoding.Unicode, detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }

        try
        {
            return StrictUtf8.GetString(span);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(1252).GetString(span);
        }
    }

    /// <summary>Whether the file has the column; an optional column it lacks leaves that field as it is.</summary>
    public bool Has(HrField field) => ColumnIndex.ContainsKey(field);

    public static HrFile Read(string text, HrImportOptions options)
    {
        var file = new HrFile(options);
        file.Parse(text.TrimStart('\uFEFF'));
        if (file.Problems.Count == 0)
        {
            file.CheckAcrossRows();
        }

        return file;
    }

    private void Parse(string text)
    {
        var readerOptions = CsvReaderOptions.Default with
        {
            Separator = Options.Delimiter,
            TrackLineNumbers = true,
            TrimWhitespace = true,
            OnMalformedRecord = Malformed,
        };
        using var csv = CsvReader.Create(new StringReader(text), readerOptions, leaveOpen: false);
        var headers = csv.Headers.Select(h => h.Trim()).ToArray();
        if (headers.All(string.IsNullOrEmpty))
        {
            Problems.Add(ImportProblem.File("Filen är tom. Den ska ha en rubrikrad och en rad per anställd."));
            return;
        }

        var columns = FindColumns(headers);
        if (Problems.Count > 0)
        {
            return;
        }

        while (csv.Read())
        {
            ReadRow(csv, columns, headers.Length);
        }

        if (Rows.Count == 0 && Problems.Count == 0)
        {
            Problems.Add(ImportProblem.File("Filen har bara en rubrikrad och inga anställda."));
        }
    }

    /// <summary>The known columns the header has (their positions go to <see cref="ColumnIndex"/>); problems when a required one is missing.</summary>
    private List<HrColumn> FindColumns(string[] headers)
    {
        var found = new List<HrColumn>();
        foreach (var column in Options.Columns.All)
        {
            var matches = Enumerable.Range(0, headers.Length)
                .Where(i => string.Equals(headers[i], column.Header.Trim(), StringComparison.OrdinalIgnoreCase))
                .ToList();
            if (matches.Count > 1)
            {
                Problems.Add(ImportProblem.At(1, matches[1], column.Header, $"Kolumnen ”{column.Header}” finns två gånger i rubrikraden."));
            }
            else if (matches.Count == 1)
            {
                found.Add(column);
                ColumnIndex[column.Field] = matches[0];
            }
            else if (column.Required)
            {
                Problems.Add(ImportProblem.File($"Kolumnen ”{column.Header}” saknas i rubrikraden."));
            }
            else if (column.MustBeInFile)
            {
                // A file without the chef column could not take a chef from anyone, so it may not leave chefs as they were.
                Problems.Add(ImportProblem.File(
                    $"Kolumnen ”{column.Header}” saknas i rubrikraden. Den måste finnas, eftersom importen bestämmer vem som är chef för varje enhet. Lämna den tom på rader vars enhet inte har någon chef."));
            }
        }

        if (headers.Length == 1 && Problems.Count > 0)
        {
            var guess = headers[0].Contains(',') ? "kommatecken" : headers[0].Contains('\t') ? "tabbtecken" : null;
            if (guess is not null)
            {
                Problems.Add(ImportProblem.File(
                    $"Rubrikraden verkar vara avgränsad med {guess}, men importen väntar sig ”{Options.Delimiter}”. Spara filen som ”CSV (semikolonavgränsad)”."));
            }
        }

        return found;
    }

    private void ReadRow(CsvReader csv, List<HrColumn> columns, int headerCount)
    {
        var line = (int)csv.LineNumber;
        var before = Problems.Count;
        if (csv.FieldCount > headerCount)
        {
            Problems.Add(ImportProblem.Line(line,
                $"Raden har {csv.FieldCount} fält men rubrikraden {headerCount}. Ett värde med ”{Options.Delimiter}” i måste stå inom citattecken."));
            return;
        }

        var values = new Dictionary<HrField, string?>();
        foreach (var column in columns)
        {
            var index = ColumnIndex[column.Field];
            var value = index < csv.FieldCount ? csv.GetString(index).Trim() : "";
            if (value.Length == 0)
            {
                if (column.Required)
                {
                    Problems.Add(ImportProblem.At(line, index, column.Header, $"{column.Header} saknas."));
                }

                values[column.Field] = null;
                continue;
            }

            if (Unsafe(value) is { } unsafeChar)
            {
                // Checked first, and nothing else about the value: a hidden character would make the other messages
                // (a unit named alike on two rows that "differ") look wrong, and would reach e-mails and certificates.
                Problems.Add(ImportProblem.At(line, index, column.Header, $"{column.Header} innehåller {unsafeChar}. Ta bort tecknet i filen och ladda upp den igen."));
                values[column.Field] = null;
                continue;
            }

            if (value.Length > column.MaxLength)
            {
                Problems.Add(ImportProblem.At(line, index, column.Header, $"{column.Header} är längre än {column.MaxLength} tecken."));
            }

            values[column.Field] = value;
        }

        var email = values[HrField.Email];
        if (email is not null && !IsEmail(email))
        {
            Problems.Add(At(line, HrField.Email, $"”{email}” är ingen giltig e-postadress."));
        }

        var startText = values[HrField.StartDate];
        var start = default(DateOnly);
        if (startText is not null && !DateOnly.TryParseExact(startText, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out start))
        {
            Problems.Add(At(line, HrField.StartDate, $"”{startText}” är inget datum. Skriv datum som ÅÅÅÅ-MM-DD, till exempel 2026-08-15."));
        }

        if (Problems.Count > before)
        {
            return;
        }

        Rows.Add(new StaffRow(
            line,
            values[HrField.EmployeeNumber]!,
            values[HrField.FirstName]!,
            values[HrField.LastName]!,
            email!,
            values.GetValueOrDefault(HrField.JobTitle),
            values.GetValueOrDefault(HrField.Role),
            values[HrField.UnitCode]!,
            values[HrField.UnitName]!,
            values.GetValueOrDefault(HrField.ParentUnitCode),
            values.GetValueOrDefault(HrField.ManagerEmployeeNumber),
            start));
    }

    /// <summary>Checks that need the whole file: duplicates, each unit described alike on all its rows, chefs in the file.</summary>
    private void CheckAcrossRows()
    {
        var emails = new Dictionary<string, StaffRow>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in Rows)
        {
            if (!Employees.TryAdd(row.EmployeeNumber, row))
            {
                Problems.Add(At(row, HrField.EmployeeNumber, $"Anställningsnumret {row.EmployeeNumber} finns redan på rad {Employees[row.EmployeeNumber].Line}."));
            }

            if (!emails.TryAdd(row.Email, row))
            {
                Problems.Add(At(row, HrField.Email, $"E-postadressen {row.Email} finns redan på rad {emails[row.Email].Line}."));
            }

            if (!Units.TryGetValue(row.UnitCode, out var unit))
            {
                Units[row.UnitCode] = new StaffUnit(row.UnitCode, row.UnitName, row.ParentUnitCode, row.ManagerEmployeeNumber, row.Line);
                continue;
            }

            if (row.UnitName != unit.Name)
            {
                Problems.Add(At(row, HrField.UnitName, $"Enhet {row.UnitCode} heter ”{unit.Name}” på rad {unit.Line} men ”{row.UnitName}” här."));
            }

            if (row.ParentUnitCode != unit.ParentCode)
            {
                Problems.Add(At(row, HrField.ParentUnitCode,
                    $"Enhet {row.UnitCode} har överordnad enhet {Shown(unit.ParentCode)} på rad {unit.Line} men {Shown(row.ParentUnitCode)} här."));
            }

            // Rows that leave the chef empty say nothing; rows that name one must name the same.
            if (row.ManagerEmployeeNumber is { } manager)
            {
                if (unit.ManagerNumber is null)
                {
                    Units[row.UnitCode] = unit with { ManagerNumber = manager, ManagerLine = row.Line };
                }
                else if (manager != unit.ManagerNumber)
                {
                    Problems.Add(At(row, HrField.ManagerEmployeeNumber,
                        $"Enhet {row.UnitCode} har chefen {unit.ManagerNumber} på rad {unit.ManagerLine ?? unit.Line} men {manager} här. En enhet kan bara ha en chef."));
                }
            }
        }

        foreach (var row in Rows.Where(r => r.ManagerEmployeeNumber is { } m && !Employees.ContainsKey(m)))
        {
            Problems.Add(At(row, HrField.ManagerEmployeeNumber, $"Chefen med anställningsnummer {row.ManagerEmployeeNumber} finns inte i filen."));
        }

        var sorted = Problems.OrderBy(p => p.LineNumber ?? 0).ToList();
        Problems.Clear();
        Problems.AddRange(sorted);
    }

    /// <summary>A problem on a row's column; the column number comes from the header, as it is in the file.</summary>
    public ImportProblem At(StaffRow row, HrField field, string message) => At(row.Line, field, message);

    public ImportProblem At(int line, HrField field, string message)
    {
        var column = Options.Columns.All.Single(c => c.Field == field);
        return ImportProblem.At(line, ColumnIndex.GetValueOrDefault(field, -1), column.Header, message);
    }

    private static string Shown(string? code) => code is null ? "(ingen)" : code;

    private void Malformed(CsvMalformedRecord record)
    {
        // A stray quote inside a value (Anna "Nisse" Ek) is read as text; broken quoting around a value is not.
        if (record.Reason is CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.TextAfterClosingQuote)
        {
            Problems.Add(ImportProblem.Line((int)record.LineNumber,
                "Raden har ett citattecken som inte stängs eller text efter ett avslutande citattecken. Ett värde inom citattecken ska sluta med ett citattecken direkt före nästa avgränsare."));
        }
    }

    /// <summary>
    /// What is wrong with a value that holds a character no name, address or code has: a control character (NUL, a
    /// tab, a line break inside quotes), a line or paragraph separator, or an invisible mark that turns the direction of
    /// the text (U+202E would show "gro.nummok" for "kommun.org" in a certificate or an e-mail). Null when the value
    /// is clean; letters of every script, with accents, stay allowed.
    /// </summary>
    public static string? Unsafe(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var what = c switch
            {
                '\0' => "ett nolltecken",
                '\r' or '\n' or '\u0085' or '\u2028' or '\u2029' => "en radbrytning",
                '\t' => "ett tabbtecken",
                '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') =>
                    "ett osynligt tecken som ändrar textens riktning",
                '\uFEFF' => "ett osynligt tecken",
                _ when char.IsControl(c) => "ett styrtecken",
                _ => null,
            };
            if (what is not null)
            {
                return $"{what} (U+{(int)c:X4}) på plats {i + 1}";
            }
        }

        return null;
    }

    private static bool IsEmail(string value) =>
        !value.Any(char.IsWhiteSpace)
        && MailAddress.TryCreate(value, out var address)
        && address.Address == value
        && address.Host.Contains('.', StringComparison.Ordinal);
}

/// <summary>One employee as the file describes them; <see cref="Line"/> is the file line where their row starts.</summary>
public sealed record StaffRow(
    int Line,
    string EmployeeNumber,
    string FirstName,
    string LastName,
    string Email,
    string? JobTitle,
    string? Role,
    string UnitCode,
    string UnitName,
    string? ParentUnitCode,
    string? ManagerEmployeeNumber,
    DateOnly StartDate);

/// <summary>A unit as the file's rows describe it; its chef is the one its rows name (the first row that names one).</summary>
public sealed record StaffUnit(string Code, string Name, string? ParentCode, string? ManagerNumber, int Line, int? ManagerLine = null);

/// <summary>A problem with the file, where it is (line and column, both 1-based, as the admin sees them) and what it is, in Swedish.</summary>
public sealed record ImportProblem(int? LineNumber, int? ColumnNumber, string? Header, string Message)
{
    public static ImportProblem File(string message) => new(null, null, null, message);

    public static ImportProblem Line(int line, string message) => new(line, null, null, message);

    public static ImportProblem At(int line, int index, string header, string message) =>
        new(line, index >= 0 ? index + 1 : null, header, message);

    /// <summary>"Rad 4, kolumn 3 (E-post)", "Rad 4" or nothing.</summary>
    public string Where =>
        (LineNumber, ColumnNumber) switch
        {
            ({ } line, { } column) => $"Rad {line}, kolumn {column} ({Header})",
            ({ } line, null) => $"Rad {line}",
            _ => "",
        };

    public override string ToString() => Where.Length == 0 ? Message : $"{Where}: {Message}";
}
