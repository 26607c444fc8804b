using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// A unit's follow-up for its chef (or an admin): per course, the trend per month and each sub-unit, counted over the
/// unit and everything below it. The chef's own scope, so the tables are not suppressed; they hold counts, no names.
/// Each table downloads as CSV or XLSX through <see cref="OnGetExportAsync"/>, built by the same code as on screen.
/// </summary>
public sealed class UnitModel(
    AppDbContext db, UnitAccess access, IAuthorizationService authorization, CourseCatalog catalog,
    IOptions<NanolearningOptions> options, IOptions<FollowUpOptions> followUp, MunicipalitySnapshot snapshot, TimeProvider time) : PageModel
{
    public const string CoursesTable = "kurser";
    public const string TrendTable = "trend";
    public const string SubUnitsTable = "underenheter";

    public UnitNode Unit { get; private set; } = null!;

    /// <summary>The units above this one that the user also follows up, top first: the breadcrumbs.</summary>
    public IReadOnlyList<UnitNode> Path { get; private set; } = [];

    public IReadOnlyList<UnitNode> Children { get; private set; } = [];

    public IReadOnlyList<CourseLinks> Courses { get; private set; } = [];

    /// <summary>Overdue current assignments in the scope (one person late with two courses counts twice).</summary>
    public int Overdue { get; private set; }

    public int People { get; private set; }

    public ReportTable CourseTable { get; private set; } = null!;

    public ReportTable Trend { get; private set; } = null!;

    public LineChart TrendChart { get; private set; } = null!;

    public ReportTable SubUnits { get; private set; } = null!;

    /// <summary>When the figures were counted, if the unit is the whole kommun (the shared snapshot); null for live figures.</summary>
    public string? Stamp { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromRoute] int unitId, CancellationToken cancel)
    {
        var managed = await access.ForAsync(User, cancel);
        if (await FollowUpChecks.UnitAsync(this, authorization, managed, unitId) is { } refusal)
        {
            return refusal;
        }

        await LoadAsync(managed, unitId, cancel);
        return Page();
    }

    /// <summary>One of the page's tables as a file: <c>?handler=Export&amp;tabell=kurser&amp;format=csv</c>.</summary>
    public async Task<IActionResult> OnGetExportAsync(
        [FromRoute] int unitId, [FromQuery(Name = "tabell")] string? table, [FromQuery] string? format, CancellationToken cancel)
    {
        var managed = await access.ForAsync(User, cancel);
        if (await FollowUpChecks.UnitAsync(this, authorization, managed, unitId) is { } refusal)
        {
            return refusal;
        }

        if (!TableExport.TryParseFormat(format, out var exportFormat) || table is not (CoursesTable or TrendTable or SubUnitsTable))
        {
            return FollowUpChecks.BadExport(this, Url.Page("/FollowUp/Unit", new { unitId }));
        }

        await LoadAsync(managed, unitId, cancel);
        var chosen = table switch
        {
            CoursesTable => CourseTable,
            TrendTable => Trend,
            _ => SubUnits,
        };
        return TableExport.Write(Stamp is null ? chosen : chosen with { Note = $"{chosen.Note} {Stamp}".TrimStart() }, exportFormat, Format.Today(time)).ToFileResult();
    }

    public string? ExportUrl(ReportTable table, ExportFormat format) =>
        Url.Page("/FollowUp/Unit", "Export", new { unitId = Unit.Id, tabell = table.Slug, format = format.ToString().ToLowerInvariant() });

    private async Task LoadAsync(ManagedUnits managed, int unitId, CancellationToken cancel)
    {
        var tree = managed.Tree;
        Unit = tree.Find(unitId)!;
        Path = [.. tree.AncestorsOf(unitId).Where(u => managed.Includes(u.Id))];
        Children = [.. tree.ChildrenOf(unitId)];
        var scope = tree.Subtree(unitId).Select(u => u.Id).ToList();
        FollowUpFigures figures;
        if (scope.Count == tree.Count)
        {
            // The unit holds every unit (the kommun): its figures are the kommun's, counted once for all.
            var counted = await snapshot.CurrentAsync(cancel);
            figures = counted.Figures;
            Stamp = counted.Stamp(time, followUp.Value.SnapshotMinutes);
        }
        else
        {
            figures = await FollowUpFigures.LoadAsync(db, options.Value, scope, Format.Today(time), withNames: false, cancel);
        }

        var everyone = figures.Learners;
        var courses = figures.Courses(everyone);
        People = FollowUpFigures.Headcount(everyone);
        Overdue = courses.Sum(c => c.Overdue);
        Courses = [.. courses.Select(c => new CourseLinks(c.CourseId, Title(c.CourseId), c.Overdue))];
        CourseTable = BuildCourseTable(courses);
        var trend = figures.Trend(everyone);
        Trend = BuildTrend(trend);
        TrendChart = new LineChart(
            $"{TrendTable}-diagram", Trend.Caption,
            [.. trend.Select((m, i) => new ChartPoint(Trend.Rows[i].Label, ChartText.MonthAxis(m.Day), Share(m.Completed, m.Assigned)))]);
        SubUnits = BuildSubUnits(figures, tree);
    }

    private string Title(string courseId) => catalog.FindLive(courseId)?.Title ?? courseId;

    private ReportTable BuildCourseTable(IReadOnlyList<CourseFigures> courses)
    {
        var table = new ReportTableBuilder(CoursesTable, $"Kurser i {Unit.Name} och enheterna under", "Kurs",
            ["Tilldelade", "Påbörjade", "Ej påbörjade", "Klara", "Klara i tid", "Försenade", "Andel klara"]);
        foreach (var c in courses)
        {
            table.LinkedRow(Title(c.CourseId), Url.Page("/FollowUp/QuizInsight", new { unitId = Unit.Id, courseId = c.CourseId }), c.Assigned,
                ReportCell.Count(c.Assigned), ReportCell.Count(c.Started), ReportCell.Count(c.NotStarted), ReportCell.Count(c.Completed),
                ReportCell.Count(c.CompletedInWindow), ReportCell.Count(c.Overdue), ReportCell.Share(c.Completed, c.Assigned));
        }

        return table.Note("Tilldelade: de som har kursen i ett fönster som har öppnat. Klara i tid: klara senast sista dagen. Försenade: inte klara fast sista dagen har passerat.")
            .BuildWithoutSuppression();
    }

    private ReportTable BuildTrend(IReadOnlyList<MonthFigures> trend)
    {
        var table = new ReportTableBuilder(TrendTable, $"Andel klara per månad i {Unit.Name} och enheterna under", "Månad", ["Tilldelade", "Klara", "Andel klara"]);
        foreach (var m in trend)
        {
            var label = m.Day == Format.Today(time) ? $"{ChartText.Month(m.Day)} (till i dag)" : ChartText.Month(m.Day);
            table.Row(label, m.Assigned, ReportCell.Count(m.Assigned), ReportCell.Count(m.Completed), ReportCell.Share(m.Completed, m.Assigned));
        }

        return table.Note("Vid varje månads slut: kurserna som var tilldelade då, bland dem som var anställda då, och hur många som var klara. Den som har bytt enhet räknas där hen är i dag.")
            .BuildWithoutSuppression();
    }

    private ReportTable BuildSubUnits(FollowUpFigures figures, OrganisationTree tree)
    {
        var table = new ReportTableBuilder(SubUnitsTable, $"Enheterna under {Unit.Name}", "Enhet", ["Personer", "Tilldelade", "Klara", "Andel klara", "Försenade"]);
        void Add(string label, string? href, IEnumerable<FollowUpLearner> group)
        {
            var list = group.ToList();
            var courses = figures.Courses(list);
            var (assigned, completed) = (courses.Sum(c => c.Assigned), courses.Sum(c => c.Completed));
            var people = FollowUpFigures.Headcount(list);
            table.LinkedRow(label, href, people, ReportCell.Count(people), ReportCell.Count(assigned), ReportCell.Count(completed),
                ReportCell.Share(completed, assigned), ReportCell.Count(courses.Sum(c => c.Overdue)));
        }

        foreach (var child in Children)
        {
            Add(child.Name, Url.Page("/FollowUp/Unit", new { unitId = child.Id }), figures.InUnits(tree.Subtree(child.Id).Select(u => u.Id)));
        }

        // People placed directly in the unit, not in a sub-unit, so the rows add up to the unit's figures.
        var direct = figures.InUnits([Unit.Id]).ToList();
        if (FollowUpFigures.Headcount(direct) > 0)
        {
            Add($"Direkt i {Unit.Name}", null, direct);
        }

        return table.Note("Tilldelade och klara räknar kurser: den som har två kurser räknas två gånger. Varje enhet räknas med enheterna under den.")
            .BuildWithoutSuppression();
    }

    private static decimal? Share(int part, int whole) => whole == 0 ? null : (decimal)part / whole;
}

/// <summary>A course of the unit's table with what the page links to for it.</summary>
public sealed record CourseLinks(string CourseId, string Title, int Overdue);
