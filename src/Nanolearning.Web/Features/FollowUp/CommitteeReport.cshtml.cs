using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// The nämnd report: the employees' introduction share per förvaltning, each course's completion and the trend, for the
/// whole kommun. Politicians read it, so it holds aggregates only, every table built with suppression (k from the
/// settings), and it links to no page about people. The exports are the very tables shown.
/// </summary>
[Authorize(Roles = Roles.Politician + "," + Roles.Manager + "," + Roles.Admin)]
public sealed class CommitteeReportModel(
    AppDbContext db, IOptions<NanolearningOptions> options, IOptions<FollowUpOptions> followUp, MunicipalitySnapshot snapshot,
    CourseCatalog catalog, TimeProvider time) : PageModel
{
    public DateOnly Today { get; private set; }

    /// <summary>When the figures were counted: "Siffrorna räknades i dag kl. 10.15 och räknas om var tionde minut."</summary>
    public string Stamp { get; private set; } = "";

    public int K => followUp.Value.SuppressionThreshold;

    public string OnboardingCourseTitle => catalog.FindLive(options.Value.OnboardingCourseId)?.Title ?? options.Value.OnboardingCourseId;

    public ReportTable IntroductionTable { get; private set; } = null!;

    public ReportTable CourseTable { get; private set; } = null!;

    public ReportTable TrendTable { get; private set; } = null!;

    public IReadOnlyDictionary<string, string> TrendAxis { get; private set; } = new Dictionary<string, string>();

    public IEnumerable<ReportTable> Tables => [IntroductionTable, CourseTable, TrendTable];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancel)
    {
        await LoadAsync(cancel);
        return Page();
    }

    /// <summary>One of the report's tables as CSV or XLSX, suppressed exactly as on the page.</summary>
    public async Task<IActionResult> OnGetExportAsync([FromQuery(Name = "tabell")] string? table, [FromQuery(Name = "format")] string? format, CancellationToken cancel)
    {
        if (!TableExport.TryParseFormat(format, out var exportFormat))
        {
            return BadExport("Formatet ska vara csv eller xlsx.");
        }

        await LoadAsync(cancel);
        return Tables.FirstOrDefault(t => t.Slug == table) is { } found
            ? TableExport.Write(found with { Note = $"{found.Note} {Stamp}".TrimStart() }, exportFormat, Today).ToFileResult()
            : BadExport("Det finns ingen tabell med det namnet i rapporten.");
    }

    public string? ExportUrl(ReportTable table, string format) =>
        Url.Page("/FollowUp/CommitteeReport", "Export", new { tabell = table.Slug, format });

    private async Task LoadAsync(CancellationToken cancel)
    {
        var tree = await OrganisationTree.LoadAsync(db, cancel);
        var counted = await snapshot.CurrentAsync(cancel);
        var figures = counted.Figures;
        Today = figures.Today;
        Stamp = counted.Stamp(time, followUp.Value.SnapshotMinutes);
        IntroductionTable = IntroductionBy(figures, AdministrationGroup.Of(tree, figures));
        CourseTable = CoursesOf(figures);
        TrendTable = TrendOf(figures);
    }

    private static readonly string[] IntroductionColumns = ["Anställda", "Klara", "Andel klara"];

    private static ReportCell[] Cells(IntroductionFigures introduction) =>
        [ReportCell.Count(introduction.Employees), ReportCell.Count(introduction.Completed), ReportCell.Share(introduction.Completed, introduction.Employees)];

    private ReportTable IntroductionBy(FollowUpFigures figures, IEnumerable<AdministrationGroup> groups)
    {
        var builder = new ReportTableBuilder(
            "introduktion-per-forvaltning", "Anställda som har gått introduktionen, per förvaltning", "Förvaltning", IntroductionColumns);
        foreach (var group in groups)
        {
            var introduction = figures.Introduction(group.Learners);
            // The others are often only the nämnder, whose politicians are not employees: no row rather than an empty one.
            if (group.Unit is null && introduction.Employees == 0)
            {
                continue;
            }

            builder.Row(group.Name, introduction.Employees, Cells(introduction));
        }

        var kommun = figures.Introduction(figures.Learners);
        return builder.Total(kommun.Employees, Cells(kommun))
            .Note($"Anställda i dag som någon gång har gjort klart ”{OnboardingCourseTitle}”. Totalt är hela kommunen.")
            .Build(K);
    }

    private ReportTable CoursesOf(FollowUpFigures figures)
    {
        var builder = new ReportTableBuilder("kurser", "Genomförande per kurs i hela kommunen", "Kurs", ["Tilldelade", "Klara", "Andel klara"]);
        foreach (var course in figures.Courses(figures.Learners).OrderBy(c => Title(c.CourseId), StringComparer.Create(Nanolearning.Courses.Swedish.Culture, false)))
        {
            builder.Row(Title(course.CourseId), course.Assigned,
                ReportCell.Count(course.Assigned), ReportCell.Count(course.Completed), ReportCell.Share(course.Completed, course.Assigned));
        }

        return builder.Note("De som har kursen tilldelad nu, medarbetare och förtroendevalda, och hur många av dem som är klara.").Build(K);
    }

    private ReportTable TrendOf(FollowUpFigures figures)
    {
        var builder = new ReportTableBuilder(
            "utveckling", "Andel anställda som har gått introduktionen, per månad", "Månad", IntroductionColumns);
        var axis = new Dictionary<string, string>();
        foreach (var month in figures.IntroductionTrend(figures.Learners))
        {
            var label = month.Day == Today ? $"{ChartText.Month(month.Day)} (till i dag)" : ChartText.Month(month.Day);
            axis[label] = ChartText.MonthAxis(month.Day);
            builder.Row(label, month.Employees, Cells(month));
        }

        TrendAxis = axis;
        return builder.Note("Vid varje månads slut: de som var anställda då, och hur många av dem som hade gått introduktionen.").Build(K);
    }

    private string Title(string courseId) => catalog.FindLive(courseId)?.Title ?? courseId;

    private IActionResult BadExport(string message) =>
        Problem.Show(this, StatusCodes.Status400BadRequest, "Tabellen gick inte att ladda ned", message, Url.Page("/FollowUp/CommitteeReport"));
}
