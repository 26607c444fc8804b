using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// The people in a unit and the units below it with where they are in each current course, filtered by course and
/// state: the chef's drill-down from the figures to the person. Person-level: every view and export is audited.
/// </summary>
public sealed class PeopleModel(
    AppDbContext db, UnitAccess access, IAuthorizationService authorization, CourseCatalog catalog, AuditTrail audit,
    IOptions<NanolearningOptions> options, TimeProvider time) : PageModel
{
    public const string Slug = "personer";

    /// <summary>The course filter: a course id, or empty for all.</summary>
    [BindProperty(SupportsGet = true, Name = "kurs")]
    public string? CourseId { get; set; }

    /// <summary>The state filter as the address writes it (<see cref="StateValue"/>), or empty for all.</summary>
    [BindProperty(SupportsGet = true, Name = "status")]
    public string? State { get; set; }

    public UnitNode Unit { get; private set; } = null!;

    public IReadOnlyList<UnitNode> Path { get; private set; } = [];

    /// <summary>The courses someone in the scope has now, by title: the course filter's options.</summary>
    public IReadOnlyList<(string Id, string Title)> CourseOptions { get; private set; } = [];

    public ReportTable Table { get; private set; } = null!;

    private CourseState? SelectedState { get; set; }

    public static IReadOnlyList<CourseState> States { get; } = [CourseState.NotStarted, CourseState.Started, CourseState.Completed, CourseState.Overdue];

    /// <summary>The state in the address: "ej-paborjad", "paborjad", "klar", "forsenad".</summary>
    public static string StateValue(CourseState state) => state switch
    {
        CourseState.NotStarted => "ej-paborjad",
        CourseState.Started => "paborjad",
        CourseState.Completed => "klar",
        _ => "forsenad",
    };

    public static string StateText(CourseState state) => state switch
    {
        CourseState.NotStarted => "Ej påbörjad",
        CourseState.Started => "Påbörjad",
        CourseState.Completed => "Klar",
        _ => "Försenad",
    };

    public async Task<IActionResult> OnGetAsync([FromRoute] int unitId, CancellationToken cancel)
    {
        if (await LoadAsync(unitId, cancel) is { } refusal)
        {
            return refusal;
        }

        await audit.RecordAsync(User, AuditAction.ViewedPeople, $"Personer i {Unit.Name}{FilterText()}", Unit.Id, null, cancel);
        return Page();
    }

    /// <summary>The list as shown, with the same filters, as a file: <c>?handler=Export&amp;format=csv&amp;kurs=…</c>.</summary>
    public async Task<IActionResult> OnGetExportAsync(
        [FromRoute] int unitId, [FromQuery(Name = "tabell")] string? table, [FromQuery] string? format, CancellationToken cancel)
    {
        if (await LoadAsync(unitId, cancel) is { } refusal)
        {
            return refusal;
        }

        if (!TableExport.TryParseFormat(format, out var exportFormat) || table is not (null or Slug))
        {
            return FollowUpChecks.BadExport(this, Url.Page("/FollowUp/People", new { unitId }));
        }

        await audit.RecordAsync(User, AuditAction.ExportedPeople,
            $"Personer i {Unit.Name}{FilterText()} ({exportFormat.ToString().ToUpperInvariant()})", Unit.Id, null, cancel);
        return TableExport.Write(Table, exportFormat, Format.Today(time)).ToFileResult();
    }

    public string? ExportUrl(ExportFormat format) =>
        Url.Page("/FollowUp/People", "Export", new
        {
            unitId = Unit.Id, tabell = Slug, format = format.ToString().ToLowerInvariant(),
            kurs = string.IsNullOrEmpty(CourseId) ? null : CourseId, status = string.IsNullOrEmpty(State) ? null : State,
        });

    /// <summary>Checks the unit and the filters, then lists the people; a refusal if any is wrong.</summary>
    private async Task<IActionResult?> LoadAsync(int unitId, CancellationToken cancel)
    {
        var managed = await access.ForAsync(User, cancel);
        if (await FollowUpChecks.UnitAsync(this, authorization, managed, unitId) is { } refusal)
        {
            return refusal;
        }

        var tree = managed.Tree;
        Unit = tree.Find(unitId)!;
        Path = [.. tree.AncestorsOf(unitId).Where(u => managed.Includes(u.Id))];
        var scope = tree.Subtree(unitId).Select(u => u.Id).ToList();
        var figures = await FollowUpFigures.LoadAsync(db, options.Value, scope, Format.Today(time), withNames: true, cancel);
        CourseOptions = [.. figures.CourseIds.Select(id => (id, Title(id))).OrderBy(c => c.Item2, StringComparer.Create(Nanolearning.Courses.Swedish.Culture, false))];

        var state = SelectedState = States.Where(s => StateValue(s) == State).Select(s => (CourseState?)s).FirstOrDefault();

        // A course nobody here has now is refused like a misspelt one: the list can say nothing about it.
        var unknownCourse = !string.IsNullOrEmpty(CourseId) && !figures.CourseIds.Contains(CourseId);
        if (!ModelState.IsValid || unknownCourse || (!string.IsNullOrEmpty(State) && state is null))
        {
            return Problem.Show(this, StatusCodes.Status400BadRequest, "Urvalet går inte att använda",
                $"Kursen ska vara en av dem som någon i {Unit.Name} har nu, och läget ett av dem i listan. Välj igen i formuläret.",
                Url.Page("/FollowUp/People", new { unitId }));
        }

        var people = figures.People(figures.Learners, string.IsNullOrEmpty(CourseId) ? null : CourseId)
            .Where(p => state is null || p.State == state);
        var table = new ReportTableBuilder(Slug, $"Personer i {Unit.Name} och enheterna under{FilterText()}", "Namn",
            ["Enhet", "Kurs", "Läge", "Sista dag", "Klar"]);
        foreach (var p in people)
        {
            table.LinkedRow(p.Name, Url.Page("/FollowUp/Person", new { learnerId = p.LearnerId }), 1,
                ReportCell.Of(tree.Find(p.UnitId)?.Name ?? ""), ReportCell.Of(Title(p.CourseId)), ReportCell.Of(StateText(p.State)),
                ReportCell.Of(Format.Date(p.DueOn)), p.CompletedAt is { } at ? ReportCell.Of(Format.Date(at)) : ReportCell.Empty);
        }

        Table = table.Note("En rad per person och kurs som personen har nu. Försenad: inte klar fast sista dagen har passerat.")
            .BuildWithoutSuppression();
        return null;
    }

    private string Title(string courseId) => catalog.FindLive(courseId)?.Title ?? courseId;

    /// <summary>", Kurs X, försenade" for the caption and the audit trail.</summary>
    private string FilterText()
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(CourseId))
        {
            parts.Add(Title(CourseId));
        }

        if (SelectedState is { } state)
        {
            parts.Add(StateText(state).ToLowerInvariant());
        }

        return parts.Count == 0 ? "" : ": " + string.Join(", ", parts);
    }
}
