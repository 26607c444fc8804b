using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Nanolearning.Courses;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The staff file an HR system would export for the app's current employees, in the default columns: tests change
/// its lines and import it, so every test starts from the database as it is.
/// </summary>
public sealed class StaffFile
{
    public const string Header =
        "Anställningsnummer;Förnamn;Efternamn;E-post;Befattning;Roll;Enhetskod;Enhet;Överordnad enhetskod;Chefens anställningsnummer;Anställningsdatum";

    /// <summary>A start date three days before the tests' day: recent enough for onboarding, in the file's format.</summary>
    public static readonly string RecentStart = Format.Today(new FakeTimeProvider(AppFixture.DefaultStart)).AddDays(-3).ToString("yyyy-MM-dd");

    public List<StaffLine> Lines { get; } = [];

    public static async Task<StaffFile> Current(AppFixture app)
    {
        var units = await app.Query(db => db.Units.AsNoTracking()
            .Select(u => new { u.Id, u.Code, u.Name, ParentCode = u.Parent!.Code, ManagerNumber = u.Manager!.EmployeeNumber })
            .ToDictionaryAsync(u => u.Id));
        var employees = await app.Query(db => db.Learners.AsNoTracking()
            .Where(l => l.IsActive && l.EmployeeNumber != null)
            .OrderBy(l => l.EmployeeNumber)
            .ToListAsync());
        var file = new StaffFile();
        foreach (var learner in employees)
        {
            var unit = units[learner.UnitId];
            var role = learner.Audiences.Contains(Audience.Manager) ? "Chef" : learner.Audiences.Contains(Audience.CaseOfficer) ? "Handläggare" : "Medarbetare";
            file.Lines.Add(new StaffLine(
                learner.EmployeeNumber!, learner.FirstName, learner.LastName, learner.Email, learner.JobTitle ?? "", role,
                unit.Code!, unit.Name, unit.ParentCode ?? "", unit.ManagerNumber ?? "", learner.StartDate.ToString("yyyy-MM-dd")));
        }

        return file;
    }

    public StaffLine this[string employeeNumber]
    {
        get => Lines.Single(l => l.EmployeeNumber == employeeNumber);
        set => Lines[Lines.FindIndex(l => l.EmployeeNumber == employeeNumber)] = value;
    }

    public StaffFile Without(string employeeNumber)
    {
        Lines.RemoveAll(l => l.EmployeeNumber == employeeNumber);
        return this;
    }

    public StaffFile With(StaffLine line)
    {
        Lines.Add(line);
        return this;
    }

    /// <summary>The file's text: values with the separator, a quote or a line break are quoted, as Excel does.</summary>
    public string Csv() =>
        string.Join("\r\n", [Header, .. Lines.Select(l => string.Join(';', l.Values.Select(Quoted)))]) + "\r\n";

    public byte[] Bytes(Encoding encoding) => encoding.GetPreamble().Concat(encoding.GetBytes(Csv())).ToArray();

    /// <summary>A line of an employee in a unit the demo has (Hemtjänst Norr's code is 2000), for tests to adjust with <c>with</c>.</summary>
    public static StaffLine NewEmployee(string number, string first = "Åsa", string last = "Öberg") =>
        new(number, first, last, $"{Ascii(first)}.{Ascii(last)}.{number}@exempel.se", "Undersköterska", "Medarbetare", "2000", "Hemtjänst Norr",
            "1100", "", RecentStart);

    private static string Ascii(string name) =>
        name.ToLowerInvariant().Replace('å', 'a').Replace('ä', 'a').Replace('ö', 'o');

    private static string Quoted(string value) =>
        value.IndexOfAny([';', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}

public sealed record StaffLine(
    string EmployeeNumber, string FirstName, string LastName, string Email, string JobTitle, string Role,
    string UnitCode, string UnitName, string ParentCode, string ManagerNumber, string StartDate)
{
    public string[] Values => [EmployeeNumber, FirstName, LastName, Email, JobTitle, Role, UnitCode, UnitName, ParentCode, ManagerNumber, StartDate];

    /// <summary>The line with the value in one column (0-based, as in <see cref="StaffFile.Header"/>) replaced.</summary>
    public StaffLine WithValue(int column, string value)
    {
        var v = Values;
        v[column] = value;
        return new(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
    }
}
