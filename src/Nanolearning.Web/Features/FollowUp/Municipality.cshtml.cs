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
/// The anhörigkonsulent's kommun-wide follow-up: the onboarding figure the kommun reports, each course per förvaltning
/// (and per enhet inside one), the monthly trend, and the politicians as one group. Admins only, so the figures are
/// not suppressed; the nämnd report (<see cref="CommitteeReportModel"/>) is the suppressed view.
/// </summary>
[Authorize(Policy = Roles.Admin)]
public sealed class MunicipalityModel(
    AppDbContext db, IOptions<NanolearningOptions> options, IOptions<FollowUpOptions> followUp, MunicipalitySnapshot snapshot,
    CourseCatalog catalog, TimeProvider time) : PageModel
{
    /// <summary>The course the förvaltning, enhet and trend tables show; by default the first one.</summary>
    [BindProperty(SupportsGet = true, Name = "kurs")]
    public string? CourseId { get; set; }

    /// <summary>A förvaltning to list per enhet; null lists none.</summary>
    [BindProperty(SupportsGet = true, Name = "forvaltning")]
    public int? AdministrationId { get; set; }

    public DateOnly Today { get; private set; }

    /// <summary>When the figures were counted: "Siffrorna räknades i dag kl. 10.15 och räknas om var tionde minut."</summary>
    public string Stamp { get; private set; } = "";

    public int OnboardingDays => options.Value.OnboardingDays;

    public string OnboardingCourseTitle => Title(options.Value.OnboardingCourseId);

    public OnboardingFigures Onboarding { get; private set; } = new(0, 0);

    public int Politicians { get; private set; }

    /// <summary>The courses to choose from, by title.</summary>
    public IReadOnlyList<(string Id, string Title)> Courses { get; private set; } = [];

    public IReadOnlyList<UnitNode> Administrations { get; private set; } = [];

    public UnitNode? Administration { get; private set; }

    public string? CourseTitle => CourseId is null ? null : Title(CourseId);

    public ReportTable OnboardingTable { get; private set; } = null!;

    public ReportTable CourseTable { get; private set; } = null!;

    public ReportTable? AdministrationTable { get; private set; }

    public ReportTable? UnitTable { get; private set; }

    public ReportTable? TrendTable { get; private set; }

    public IReadOnlyDictionary<string, string> TrendAxis { get; private set; } = new Dictionary<string, string>();

    public ReportTable PoliticianTable { get; private set; } = null!;

    /// <summary>Every table on the page, in order: what the export handler may hand out.</summary>
    public IEnumerable<ReportTable> Tables =>
        new[] { OnboardingTable, CourseTable, AdministrationTable, UnitTable, TrendTable, PoliticianTable }.OfType<ReportTable>();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancel) =>
        await LoadAsync(cancel) ?? Page();

    /// <summary>One table of the page as CSV or XLSX, for the same course and förvaltning as the page.</summary>
    public async Task<IActionResult> OnGetExportAsync([FromQuery(Name = "tabell")] string? table, [FromQuery(Name = "format")] string? format, CancellationToken cancel)
    {
        if (!TableExport.TryParseFormat(format, out var exportFormat))
        {
            return BadExport("Formatet ska vara csv eller xlsx.");
        }

        if (await LoadAsync(cancel) is { } refusal)
        {
            return refusal;
        }

        return Tables.FirstOrDefault(t => t.Slug == table) is { } found
            ? TableExport.Write(found with { Note = $"{found.Note} {Stamp}".TrimStart() }, exportFormat, Today).ToFileResult()
            : BadExport("Det finns ingen tabell med det namnet på sidan.");
    }

    /// <summary>"Räkna om nu": counts the kommun's figures again at once, then shows the page with them.</summary>
    public async Task<IActionResult> OnPostRecomputeAsync(CancellationToken cancel)
    {
        await snapshot.RefreshAsync(cancel);
        return RedirectToPage(new { kurs = CourseId, forvaltning = AdministrationId });
    }

    /// <summary>The address of a table's download, for the current course and förvaltning.</summary>
    public string? ExportUrl(ReportTable table, string format) =>
        Url.Page("/FollowUp/Municipality", "Export", new { kurs = CourseId, forvaltning = AdministrationId, tabell = table.Slug, format });

    /// <summary>The chef's follow-up page of a unit, which an admin may open for any unit.</summary>
    public string UnitPage(int unitId) =>
        Url.Page("/FollowUp/Unit", new { unitId })!;

    private async Task<IActionResult?> LoadAsync(CancellationToken cancel)
    {
        if (!ModelState.IsValid)
        {
            return Problem.Show(this, StatusCodes.Status400BadRequest, "Adressen går inte att använda",
                "Förvaltningen ska anges med sitt nummer. Välj kurs och förvaltning i formuläret på sidan i stället.",
                Url.Page("/FollowUp/Municipality"));
        }

        var tree = await OrganisationTree.LoadAsync(db, cancel);
        var counted = await snapshot.CurrentAsync(cancel);
        var figures = counted.Figures;
        Today = figures.Today;
        Stamp = counted.Stamp(time, followUp.Value.SnapshotMinutes);
        Courses = [.. figures.CourseIds.Select(id => (id, Title(id))).OrderBy(c => c.Item2, StringComparer.Create(Nanolearning.Courses.Swedish.Culture, false))];
        Administrations = AdministrationGroup.TopAdministrations(tree);
        CourseId ??= Courses.FirstOrDefault().Id;
        if (CourseId is not null && !figures.CourseIds.Contains(CourseId))
        {
            return Problem.Show(this, StatusCodes.Status404NotFound, "Kursen finns inte i uppföljningen",
                "Ingen i kommunen har den kursen tilldelad nu. Välj en kurs i listan på sidan.", Url.Page("/FollowUp/Municipality"));
        }

        if (AdministrationId is { } administrationId)
        {
            Administration = Administrations.FirstOrDefault(a => a.Id == administrationId);
            if (Administration is null)
            {
                return Problem.Show(this, StatusCodes.Status404NotFound, "Förvaltningen finns inte",
                    "Vi hittar ingen förvaltning med det numret. Välj en förvaltning i listan på sidan.", Url.Page("/FollowUp/Municipality"));
            }
        }

        var groups = AdministrationGroup.Of(tree, figures);
        var shown = groups.Where(g => g.Unit is not null || FollowUpFigures.Headcount(g.Learners) > 0).ToList();
        Onboarding = figures.Onboarding(figures.Learners);
        OnboardingTable = OnboardingBy(figures, shown);
        CourseTable = CoursesOf(figures);
        var politicians = figures.Learners.Where(l => l.IsPolitician).ToList();
        Politicians = FollowUpFigures.Headcount(politicians);
        PoliticianTable = PoliticiansOf(figures, politicians);
        if (CourseId is { } courseId)
        {
            AdministrationTable = CourseBy(figures, courseId, shown);
            IReadOnlyList<FollowUpLearner> scope = figures.Learners;
            if (Administration is { } administration)
            {
                UnitTable = UnitsOf(figures, tree, administration, courseId);
                scope = groups.First(g => g.Unit?.Id == administration.Id).Learners;
            }

            TrendTable = TrendOf(figures, scope, courseId);
        }

        return null;
    }

    private ReportTable OnboardingBy(FollowUpFigures figures, IEnumerable<AdministrationGroup> groups)
    {
        var builder = new ReportTableBuilder(
            "introduktion", $"Nyanställda som gjorde introduktionen inom {OnboardingDays} dagar, per förvaltning",
            "Förvaltning", ["Nyanställda", "Klara i tid", "Andel i tid"]);
        foreach (var group in groups)
        {
            var onboarding = figures.Onboarding(group.Learners);
            builder.Row(group.Name, onboarding.NewEmployees, OnboardingCells(onboarding));
        }

        return builder.Total(Onboarding.NewEmployees, OnboardingCells(Onboarding))
            .Note($"Anställda som började de senaste 12 månaderna och vars {OnboardingDays} dagar har gått ut.")
            .BuildWithoutSuppression();
    }

    private static ReportCell[] OnboardingCells(OnboardingFigures onboarding) =>
        [ReportCell.Count(onboarding.NewEmployees), ReportCell.Count(onboarding.CompletedInTime), ReportCell.Share(onboarding.CompletedInTime, onboarding.NewEmployees)];

    private ReportTable CoursesOf(FollowUpFigures figures)
    {
        var builder = new ReportTableBuilder(
            "kurser", "Alla kurser i hela kommunen", "Kurs",
            ["Tilldelade", "Påbörjade", "Ej påbörjade", "Klara", "Klara i tid", "Försenade", "Andel klara"]);
        foreach (var course in figures.Courses(figures.Learners).OrderBy(c => Title(c.CourseId), StringComparer.Create(Nanolearning.Courses.Swedish.Culture, false)))
        {
            builder.Row(Title(course.CourseId), course.Assigned,
                ReportCell.Count(course.Assigned), ReportCell.Count(course.Started), ReportCell.Count(course.NotStarted),
                ReportCell.Count(course.Completed), ReportCell.Count(course.CompletedInWindow), ReportCell.Count(course.Overdue),
                ReportCell.Share(course.Completed, course.Assigned));
        }

        return builder.Note("Varje aktiv medarbetares och förtroendevalds aktuella tilldelning av kursen. Klara i tid: klar senast sista dagen.")
            .BuildWithoutSuppression();
    }

    private static readonly string[] CourseColumns = ["Tilldelade", "Klara", "Andel klara", "Försenade"];

    private static ReportCell[] CourseCells(CourseFigures course) =>
        [ReportCell.Count(course.Assigned), ReportCell.Count(course.Completed), ReportCell.Share(course.Completed, course.Assigned), ReportCell.Count(course.Overdue)];

    private static CourseFigures For(FollowUpFigures figures, IEnumerable<FollowUpLearner> group, string courseId) =>
        figures.Courses(group).Single(c => c.CourseId == courseId);

    private ReportTable CourseBy(FollowUpFigures figures, string courseId, IEnumerable<AdministrationGroup> groups)
    {
        var builder = new ReportTableBuilder("forvaltningar", $"{Title(courseId)} per förvaltning", "Förvaltning", CourseColumns);
        foreach (var group in groups)
        {
            var course = For(figures, group.Learners, courseId);
            builder.LinkedRow(group.Name, group.Unit is { } unit ? UnitPage(unit.Id) : null, course.Assigned, CourseCells(course));
        }

        var total = For(figures, figures.Learners, courseId);
        return builder.Total(total.Assigned, CourseCells(total))
            .Note($"{AdministrationGroup.OthersName}: enheter som inte hör till någon förvaltning, till exempel nämnderna.")
            .BuildWithoutSuppression();
    }

    private ReportTable UnitsOf(FollowUpFigures figures, OrganisationTree tree, UnitNode administration, string courseId)
    {
        var builder = new ReportTableBuilder("enheter", $"{Title(courseId)} per enhet i {administration.Name}", "Enhet", CourseColumns);
        var all = new List<FollowUpLearner>();
        foreach (var unit in tree.Subtree(administration.Id))
        {
            // Each unit's own people: a unit's row and the rows of the units below it add up to the förvaltning.
            var own = figures.InUnits([unit.Id]).ToList();
            if (FollowUpFigures.Headcount(own) == 0)
            {
                continue;
            }

            all.AddRange(own);
            var path = tree.AncestorsOf(unit.Id).SkipWhile(a => a.Id != administration.Id).Skip(1).Select(a => a.Name).Append(unit.Name);
            var course = For(figures, own, courseId);
            builder.LinkedRow(unit.Id == administration.Id ? $"{unit.Name} (direkt)" : string.Join(" › ", path), UnitPage(unit.Id), course.Assigned, CourseCells(course));
        }

        var total = For(figures, all, courseId);
        return builder.Total(total.Assigned, CourseCells(total))
            .Note("Varje enhets egna medarbetare; enheterna under den har egna rader.")
            .BuildWithoutSuppression();
    }

    private ReportTable TrendOf(FollowUpFigures figures, IEnumerable<FollowUpLearner> scope, string courseId)
    {
        var trend = figures.Trend(scope, courseId);
        var builder = new ReportTableBuilder(
            "utveckling", $"{Title(courseId)} per månad i {Administration?.Name ?? "hela kommunen"}", "Månad", ["Tilldelade", "Klara", "Andel klara"]);
        var axis = new Dictionary<string, string>();
        foreach (var month in trend)
        {
            var label = month.Day == Today ? $"{ChartText.Month(month.Day)} (till i dag)" : ChartText.Month(month.Day);
            axis[label] = ChartText.MonthAxis(month.Day);
            builder.Row(label, month.Assigned, ReportCell.Count(month.Assigned), ReportCell.Count(month.Completed), ReportCell.Share(month.Completed, month.Assigned));
        }

        TrendAxis = axis;
        return builder
            .Note("Vid varje månads slut: de som var anställda då och hade kursen tilldelad, och hur många som var klara. Enheten är den de hör till i dag.")
            .BuildWithoutSuppression();
    }

    private ReportTable PoliticiansOf(FollowUpFigures figures, IReadOnlyList<FollowUpLearner> politicians)
    {
        var builder = new ReportTableBuilder("politiker", "Förtroendevaldas genomförande per kurs", "Kurs", CourseColumns);
        foreach (var course in figures.Courses(politicians).Where(c => c.Assigned > 0))
        {
            builder.Row(Title(course.CourseId), course.Assigned, CourseCells(course));
        }

        return builder.Note("Alla förtroendevalda som en grupp, oavsett nämnd.").BuildWithoutSuppression();
    }

    private string Title(string courseId) => catalog.FindLive(courseId)?.Title ?? courseId;

    private IActionResult BadExport(string message) =>
        Problem.Show(this, StatusCodes.Status400BadRequest, "Tabellen gick inte att ladda ned", message, Url.Page("/FollowUp/Municipality"));
}
