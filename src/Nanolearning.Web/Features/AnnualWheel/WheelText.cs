using Nanolearning.Courses;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>The Swedish words the årshjul pages use for kinds, audiences and windows.</summary>
public static class WheelText
{
    public static string Kind(AnnualWheelKind kind) => kind switch
    {
        AnnualWheelKind.CourseCampaign => "Kurskampanj",
        AnnualWheelKind.WorkplaceMeeting => "APT",
        _ => "Anteckning",
    };

    /// <summary>How the wheel draws the kind, so that it is told apart by shape as well as colour.</summary>
    public static string Shape(AnnualWheelKind kind) => kind switch
    {
        AnnualWheelKind.CourseCampaign => "båge, fylld så långt som andelen klara",
        AnnualWheelKind.WorkplaceMeeting => "romb",
        _ => "ring",
    };

    /// <summary>The CSS class that gives the kind its colour and its shape or dash pattern.</summary>
    public static string CssClass(AnnualWheelKind kind) => kind switch
    {
        AnnualWheelKind.CourseCampaign => "kind-campaign",
        AnnualWheelKind.WorkplaceMeeting => "kind-apt",
        _ => "kind-note",
    };

    /// <summary>"3 kurskampanjer, 1 APT och 2 anteckningar": what a year holds, for the wheel's description.</summary>
    public static string Summary(IEnumerable<AnnualWheelKind> kinds)
    {
        var parts = kinds.GroupBy(k => k).OrderBy(g => g.Key).Select(g => (g.Count(), g.Key) switch
        {
            (1, AnnualWheelKind.CourseCampaign) => "1 kurskampanj",
            (var n, AnnualWheelKind.CourseCampaign) => $"{n} kurskampanjer",
            (1, AnnualWheelKind.WorkplaceMeeting) => "1 APT",
            (var n, AnnualWheelKind.WorkplaceMeeting) => $"{n} APT:er",
            (1, _) => "1 anteckning",
            (var n, _) => $"{n} anteckningar",
        }).ToList();
        return parts.Count switch
        {
            0 => "inga poster",
            1 => parts[0],
            _ => string.Join(", ", parts[..^1]) + " och " + parts[^1],
        };
    }

    /// <summary>APTs and notes happen on one day; campaigns run over a window.</summary>
    public static bool IsOneDay(AnnualWheelKind kind) => kind is AnnualWheelKind.WorkplaceMeeting or AnnualWheelKind.Note;

    public static readonly (string Value, string Label)[] Audiences =
    [
        (Audience.NewEmployee, "Nyanställda"),
        (Audience.Employee, "Medarbetare"),
        (Audience.CaseOfficer, "Handläggare"),
        (Audience.Manager, "Chefer"),
        (Audience.Politician, "Politiker"),
    ];

    public static string AudienceList(IEnumerable<string> audiences)
    {
        var labels = audiences.Select(a => Audiences.FirstOrDefault(x => x.Value == a).Label ?? a).ToList();
        return labels.Count == 0 ? "Alla" : string.Join(", ", labels);
    }

    public static string Window(DateOnly start, DateOnly end) =>
        start == end ? Format.Date(start) : $"{Format.Date(start)} – {Format.Date(end)}";

    public static string Recurrence(AnnualWheelEntry entry) =>
        !entry.RecursYearly ? "En gång"
        : entry.LastYear is { } last ? $"Varje år till och med {last}"
        : "Varje år";

    /// <summary>"34 av 50 klara (68 %)": a campaign's progress in the unit, for the table and the wheel's text alternative.</summary>
    public static string Completed(CampaignProgress progress) =>
        progress.Assigned == 0 ? "Ingen har kursen här"
        : $"{progress.Completed} av {progress.Assigned} klara ({progress.Percent}\u00a0%)";

    /// <summary>A campaign's arc as a sentence: what, when, and how far it has come if it has begun.</summary>
    public static string ArcTitle(WheelRow row) =>
        $"{row.Entry.Title}, {Window(row.Occurrence.Start, row.Occurrence.End)}: " +
        (row.Progress is { } progress ? FirstLower(Completed(progress)) : "har inte börjat");

    private static string FirstLower(string text) => char.ToLower(text[0], Swedish.Culture) + text[1..];

    public static string Month(int year, int month) =>
        Swedish.Culture.DateTimeFormat.GetMonthName(month) + " " + year.ToString(Swedish.Culture);

    public static string MonthName(int month) => Swedish.Culture.DateTimeFormat.GetMonthName(month);
}
