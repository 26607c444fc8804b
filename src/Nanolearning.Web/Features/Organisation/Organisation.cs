namespace Nanolearning.Web.Features.Organisation;

/// <summary>A node in the municipality's organisation: kommun, förvaltning, avdelning, enhet or nämnd.</summary>
public sealed class Unit
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The HR system's unit code, the key a re-import matches on; null for units made by hand.</summary>
    public string? Code { get; set; }

    public UnitKind Kind { get; set; }

    public int? ParentId { get; set; }

    public Unit? Parent { get; set; }

    /// <summary>The chef who leads the unit; a chef may lead several units.</summary>
    public int? ManagerId { get; set; }

    public Learner? Manager { get; set; }
}

public enum UnitKind
{
    Municipality,
    Administration,
    Department,
    Unit,
    Committee,
}

/// <summary>Someone who takes courses: an employee, or a politician (förtroendevald) who has no employee number.</summary>
public sealed class Learner
{
    public int Id { get; set; }

    /// <summary>The HR system's key; null for politicians.</summary>
    public string? EmployeeNumber { get; set; }

    public required string FirstName { get; set; }

    public required string LastName { get; set; }

    public required string Email { get; set; }

    public string? JobTitle { get; set; }

    public int UnitId { get; set; }

    public Unit? Unit { get; set; }

    public DateOnly StartDate { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>When an import first found the person gone from the HR file; their history stays.</summary>
    public DateOnly? LeftOn { get; set; }

    /// <summary>
    /// When gallring replaced the leaver's name, e-mail and employee number with a pseudonym and removed their login
    /// (Features/Retention); their progress stays for the follow-up figures.
    /// </summary>
    public DateOnly? PseudonymisedOn { get; set; }

    /// <summary>Course audiences this person belongs to (nyanstalld, medarbetare, handlaggare, chef, politiker).</summary>
    public List<string> Audiences { get; set; } = [];

    /// <summary>A stable pseudonymous key for statements leaving the app (xAPI actor), never the e-mail.</summary>
    public Guid PseudonymKey { get; set; } = Guid.NewGuid();

    /// <summary>The weekday a chef gets the digest of their overdue employees.</summary>
    public DayOfWeek DigestDay { get; set; } = DayOfWeek.Monday;

    /// <summary>The chef turned the digest off (from its e-mail or their settings).</summary>
    public bool DigestOff { get; set; }

    public string FullName => $"{FirstName} {LastName}";
}
