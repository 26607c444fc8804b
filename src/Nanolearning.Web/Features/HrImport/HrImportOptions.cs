using Nanolearning.Courses;

namespace Nanolearning.Web.Features.HrImport;

/// <summary>
/// What the HR system's staff file looks like (section "HrImport"): the header of each column, the separator, and
/// the course audiences each role in the file gives. The format for admins is in docs/hr-import.md.
/// </summary>
public sealed class HrImportOptions
{
    public const string Section = "HrImport";

    /// <summary>The field separator: Swedish Excel writes ';'.</summary>
    public char Delimiter { get; set; } = ';';

    /// <summary>The largest file accepted, checked before it is read.</summary>
    public int MaxFileMegabytes { get; set; } = 20;

    public HrColumns Columns { get; set; } = new();

    /// <summary>
    /// Roles in the file's role column (matched ignoring case) and the audiences each gives. When set, it replaces
    /// <see cref="DefaultRoleAudiences"/> as a whole, so a kommun lists exactly the roles its HR system uses.
    /// </summary>
    public Dictionary<string, string[]> RoleAudiences { get; set; } = [];

    /// <summary>Audiences for an empty or unlisted role; null means <c>medarbetare</c>.</summary>
    /// <remarks>Nullable because the configuration binder appends to an array that has a default instead of replacing it.</remarks>
    public string[]? DefaultAudiences { get; set; }

    public static readonly IReadOnlyDictionary<string, string[]> DefaultRoleAudiences = new Dictionary<string, string[]>
    {
        ["Medarbetare"] = [Audience.Employee],
        ["Chef"] = [Audience.Manager, Audience.Employee],
        ["Handläggare"] = [Audience.CaseOfficer, Audience.Employee],
    };

    /// <summary>The audiences one may give through the file: politicians are never imported.</summary>
    public static readonly string[] ImportableAudiences = [Audience.NewEmployee, Audience.Employee, Audience.CaseOfficer, Audience.Manager];

    public long MaxFileBytes => MaxFileMegabytes * 1024L * 1024L;

    /// <summary>The audiences of a role as the file spells it.</summary>
    public IReadOnlyList<string> AudiencesOf(string? role)
    {
        var map = RoleAudiences.Count > 0 ? RoleAudiences : DefaultRoleAudiences;
        var key = role?.Trim() ?? "";
        var audiences = map.FirstOrDefault(r => string.Equals(r.Key.Trim(), key, StringComparison.OrdinalIgnoreCase)).Value;
        return audiences ?? DefaultAudiences ?? [Audience.Employee];
    }

    /// <summary>Settings that cannot work, named for the start-up error.</summary>
    public IEnumerable<string> Mistakes()
    {
        if (MaxFileMegabytes <= 0)
        {
            yield return "HrImport:MaxFileMegabytes must be positive.";
        }

        if (Delimiter is '"' or '\r' or '\n' || Delimiter > 127)
        {
            yield return "HrImport:Delimiter must be an ASCII character other than a quote or a line break.";
        }

        var headers = Columns.All.Select(c => c.Header.Trim()).ToList();
        if (headers.Any(string.IsNullOrEmpty) || headers.Distinct(StringComparer.OrdinalIgnoreCase).Count() != headers.Count)
        {
            yield return "HrImport:Columns must name every column, each with its own header.";
        }

        foreach (var audience in RoleAudiences.Values.SelectMany(a => a).Concat(DefaultAudiences ?? []))
        {
            if (!ImportableAudiences.Contains(audience))
            {
                yield return $"HrImport: '{audience}' is not an audience the import can give ({string.Join(", ", ImportableAudiences)}).";
            }
        }
    }
}

/// <summary>The header of each column in the staff file. Headers are matched ignoring case and surrounding spaces.</summary>
public sealed class HrColumns
{
    public string EmployeeNumber { get; set; } = "Anställningsnummer";

    public string FirstName { get; set; } = "Förnamn";

    public string LastName { get; set; } = "Efternamn";

    public string Email { get; set; } = "E-post";

    public string JobTitle { get; set; } = "Befattning";

    public string Role { get; set; } = "Roll";

    public string UnitCode { get; set; } = "Enhetskod";

    public string UnitName { get; set; } = "Enhet";

    public string ParentUnitCode { get; set; } = "Överordnad enhetskod";

    public string ManagerEmployeeNumber { get; set; } = "Chefens anställningsnummer";

    public string StartDate { get; set; } = "Anställningsdatum";

    /// <summary>Every column: the field, its header, whether the file must have it, and the longest value the database keeps.</summary>
    public IReadOnlyList<HrColumn> All =>
    [
        new(HrField.EmployeeNumber, EmployeeNumber, Required: true, MaxLength: 50),
        new(HrField.FirstName, FirstName, Required: true, MaxLength: 100),
        new(HrField.LastName, LastName, Required: true, MaxLength: 100),
        new(HrField.Email, Email, Required: true, MaxLength: 256),
        new(HrField.JobTitle, JobTitle, Required: false, MaxLength: 200),
        new(HrField.Role, Role, Required: false, MaxLength: 100),
        new(HrField.UnitCode, UnitCode, Required: true, MaxLength: 50),
        new(HrField.UnitName, UnitName, Required: true, MaxLength: 200),
        new(HrField.ParentUnitCode, ParentUnitCode, Required: false, MaxLength: 50),
        // Every file must say who leads each unit, if only with an empty value: the import takes chefs from it alone.
        new(HrField.ManagerEmployeeNumber, ManagerEmployeeNumber, Required: false, MaxLength: 50, InEveryFile: true),
        new(HrField.StartDate, StartDate, Required: true, MaxLength: 10),
    ];
}

public enum HrField
{
    EmployeeNumber,
    FirstName,
    LastName,
    Email,
    JobTitle,
    Role,
    UnitCode,
    UnitName,
    ParentUnitCode,
    ManagerEmployeeNumber,
    StartDate,
}

/// <summary>
/// One column of the staff file. A required column must be in the file and filled in on every row; a column
/// <see cref="InEveryFile"/> must be in the file but may be empty; any other column may be left out of the file, and
/// then the import leaves what it holds (title, role, parent unit) as it is.
/// </summary>
public sealed record HrColumn(HrField Field, string Header, bool Required, int MaxLength, bool InEveryFile = false)
{
    /// <summary>Whether the header row must have the column.</summary>
    public bool MustBeInFile => Required || InEveryFile;
}
