namespace Nanolearning.Web.Features.HrImport;

/// <summary>
/// What an import of a file does, or did: the file's problems (then it does nothing), and otherwise the units and
/// employees it adds, changes, moves, marks as leavers and takes back.
/// </summary>
public sealed class ImportPreview
{
    public List<ImportProblem> Problems { get; } = [];

    /// <summary>Things the admin should look at before confirming; they do not stop the import.</summary>
    public List<string> Warnings { get; } = [];

    public int Employees { get; set; }

    public List<UnitChange> NewUnits { get; } = [];

    public List<UnitChange> ChangedUnits { get; } = [];

    public List<PersonChange> NewEmployees { get; } = [];

    public List<PersonChange> Updated { get; } = [];

    public List<PersonChange> Moved { get; } = [];

    public List<PersonChange> Leavers { get; } = [];

    public List<PersonChange> Reactivated { get; } = [];

    /// <summary>Units that get, change or lose their chef, and with it the right to plan and follow up the unit.</summary>
    public List<ManagerChange> Managers { get; } = [];

    public int Unchanged { get; set; }

    public bool IsValid => Problems.Count == 0;

    public bool ChangesAnything =>
        NewUnits.Count + ChangedUnits.Count + NewEmployees.Count + Updated.Count + Moved.Count + Leavers.Count + Reactivated.Count + Managers.Count > 0;

    public static ImportPreview Rejected(IEnumerable<ImportProblem> problems)
    {
        var preview = new ImportPreview();
        preview.Problems.AddRange(problems);
        return preview;
    }

    /// <summary>One line for the admin after a confirmed import.</summary>
    public string Summary() =>
        ChangesAnything
            ? $"Importen är klar: {NewEmployees.Count} nya, {Updated.Count} ändrade, {Moved.Count} flyttade, {Leavers.Count} slutade och " +
              $"{Reactivated.Count} återkomna anställda; {NewUnits.Count} nya och {ChangedUnits.Count} ändrade enheter; chefen ändrades för {Managers.Count} enheter."
            : "Importen är klar. Filen stämde redan med Nanolearning, så inget ändrades.";
}

/// <summary>A unit the import adds or changes; <see cref="Changes"/> says what, as "namn: A → B".</summary>
public sealed record UnitChange(string Code, string Name, IReadOnlyList<string> Changes);

/// <summary>
/// An employee the import adds, changes, moves, marks as a leaver or takes back. <see cref="FromUnit"/> is set for a
/// move; <see cref="Changes"/> lists the other fields that change.
/// </summary>
public sealed record PersonChange(string EmployeeNumber, string Name, string Unit, string? FromUnit, IReadOnlyList<string> Changes);

/// <summary>
/// A unit whose chef the import sets, changes or removes; <see cref="From"/> and <see cref="To"/> are names, null for no
/// chef; <see cref="Reason"/> says why a unit outside the file loses its chef.
/// </summary>
public sealed record ManagerChange(string? Code, string Unit, string? From, string? To, string? Reason);
