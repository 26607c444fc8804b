using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Reminders;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>
/// The fields of the entry form as posted, kept as text so that a bad value comes back to the user as typed, with
/// a Swedish message next to it. The messages go to ModelState: the attributes for single fields, Validate for the
/// rest, which depends on other fields or on how the text parses. The unit is checked by the page (it is an
/// authorization question, not input).
/// </summary>
public sealed class EntryForm : IValidatableObject
{
    public const int TitleMaxLength = 200;
    public const int NoteMaxLength = 4000;

    public string? UnitId { get; set; }

    [Required(ErrorMessage = KindMissing)]
    public string? Kind { get; set; }

    [Required(ErrorMessage = "Skriv en rubrik.")]
    public string? Title { get; set; }

    [Required(ErrorMessage = "Skriv ett startdatum.")]
    public string? StartsOn { get; set; }

    public string? EndsOn { get; set; }

    public string? CourseId { get; set; }

    public List<string> Audiences { get; set; } = [];

    public bool RecursYearly { get; set; }

    public string? LastYear { get; set; }

    public string? Note { get; set; }

    public bool RemindOnOpening { get; set; } = ReminderPlan.Default.OnOpening;

    public string? RemindDaysBeforeDue { get; set; } = Number(ReminderPlan.Default.DaysBeforeDue);

    public bool RemindOnDueDate { get; set; } = ReminderPlan.Default.OnDueDate;

    public string? RemindWeeksOverdue { get; set; } = Number(ReminderPlan.Default.WeeksOverdue);

    private const string KindMissing = "Välj vad det är för post.";

    /// <summary>The fields in the order of the form, for the error summary (ModelState keeps its keys sorted).</summary>
    public static readonly string[] Fields =
    [
        nameof(UnitId), nameof(Kind), nameof(Title), nameof(StartsOn), nameof(EndsOn), nameof(CourseId), nameof(Audiences),
        nameof(RecursYearly), nameof(LastYear), nameof(Note), nameof(RemindOnOpening), nameof(RemindDaysBeforeDue),
        nameof(RemindOnDueDate), nameof(RemindWeeksOverdue),
    ];

    public static EntryForm For(AnnualWheelEntry entry) => new()
    {
        UnitId = entry.UnitId.ToString(CultureInfo.InvariantCulture),
        Kind = entry.Kind.ToString(),
        Title = entry.Title,
        StartsOn = Iso(entry.StartsOn),
        EndsOn = WheelText.IsOneDay(entry.Kind) ? null : Iso(entry.EndsOn),
        CourseId = entry.CourseId,
        Audiences = [.. entry.Audiences],
        RecursYearly = entry.RecursYearly,
        LastYear = entry.LastYear?.ToString(CultureInfo.InvariantCulture),
        Note = entry.Note,
        RemindOnOpening = entry.RemindOnOpening,
        RemindDaysBeforeDue = Number(entry.RemindDaysBeforeDue),
        RemindOnDueDate = entry.RemindOnDueDate,
        RemindWeeksOverdue = Number(entry.RemindWeeksOverdue),
    };

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The unit id posted, or null if it is not a number.</summary>
    public int? PostedUnitId => int.TryParse(UnitId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>
    /// The rules beyond the attributes. It runs even when an attribute has failed (ValidateComplexTypesIfChildValidationFails
    /// in Program.cs), so every field's message shows at once; a field whose attribute failed is null here and skipped.
    /// </summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var errors = new List<ValidationResult>();
        void Add(string field, string message) => errors.Add(new ValidationResult(message, [field]));

        var kind = ParsedKind;
        if (Kind is not null && kind is null)
        {
            Add(nameof(Kind), KindMissing);
        }

        if (TrimmedTitle is { Length: > TitleMaxLength } title)
        {
            Add(nameof(Title), $"Rubriken får vara högst {TitleMaxLength} tecken. Nu är den {title.Length}.");
        }

        var start = StartsOn is null ? null : Date(nameof(StartsOn), StartsOn, "startdatumet", Add);
        // An APT or a note happens on one day: a stray end date is not an error, it just does not apply.
        var end = kind is { } k && WheelText.IsOneDay(k) ? start
            : EndsOn is null ? Missing(nameof(EndsOn), "Skriv sista dagen.", Add)
            : Date(nameof(EndsOn), EndsOn, "sista dagen", Add);
        if (start is { } s && end is { } e)
        {
            if (e < s)
            {
                Add(nameof(EndsOn), "Sista dagen kan inte vara före startdatumet.");
            }
            else if (e.DayNumber - s.DayNumber + 1 > AnnualWheelEntry.MaxWindowDays)
            {
                Add(nameof(EndsOn), $"En period får vara högst {AnnualWheelEntry.MaxWindowDays} dagar. Dela upp den i två poster om den ska vara längre.");
            }
        }

        var courseId = TrimmedCourseId;
        if (courseId is not null && validationContext.GetRequiredService<CourseCatalog>().FindLive(courseId) is null)
        {
            Add(nameof(CourseId), "Kursen finns inte. Välj en kurs i listan.");
        }
        else if (courseId is null && kind == AnnualWheelKind.CourseCampaign)
        {
            Add(nameof(CourseId), "Välj vilken kurs kampanjen ska ge.");
        }

        if (ChosenAudiences.Any(a => !WheelText.Audiences.Any(x => x.Value == a)))
        {
            Add(nameof(Audiences), "Välj målgrupper i listan.");
        }

        // A last year is only read for an entry that recurs; otherwise whatever the field holds does not apply.
        if (RecursYearly && !string.IsNullOrWhiteSpace(LastYear))
        {
            if (ParsedLastYear is not { } year)
            {
                Add(nameof(LastYear), "Skriv sista året med fyra siffror, till exempel 2030, eller lämna fältet tomt.");
            }
            else if (start is { } first && year < first.Year)
            {
                Add(nameof(LastYear), "Sista året kan inte vara före året då posten börjar.");
            }
        }

        if (TrimmedNote is { Length: > NoteMaxLength } note)
        {
            Add(nameof(Note), $"Beskrivningen får vara högst {NoteMaxLength} tecken. Nu är den {note.Length}.");
        }

        // Not [Range]: it throws on a number too large for an int instead of refusing it.
        if (Count(RemindDaysBeforeDue, ReminderPlan.MaxDaysBeforeDue) is null)
        {
            Add(nameof(RemindDaysBeforeDue), $"Skriv hur många dagar före sista dagen påminnelsen ska gå ut: ett heltal från 0 till {ReminderPlan.MaxDaysBeforeDue}.");
        }

        if (Count(RemindWeeksOverdue, ReminderPlan.MaxWeeksOverdue) is null)
        {
            Add(nameof(RemindWeeksOverdue), $"Skriv hur många veckovisa påminnelser som högst ska gå ut efter sista dagen: ett heltal från 0 till {ReminderPlan.MaxWeeksOverdue}.");
        }

        return errors;
    }

    /// <summary>Writes the fields to the entry; only after validation has passed (ModelState.IsValid).</summary>
    public void ApplyTo(AnnualWheelEntry entry)
    {
        var kind = ParsedKind!.Value;
        var start = ParseDate(StartsOn)!.Value;
        entry.Kind = kind;
        entry.Title = TrimmedTitle;
        entry.StartsOn = start;
        entry.EndsOn = WheelText.IsOneDay(kind) ? start : ParseDate(EndsOn)!.Value;
        entry.CourseId = TrimmedCourseId;
        entry.Audiences = ChosenAudiences;
        entry.RecursYearly = RecursYearly;
        entry.LastYear = RecursYearly && !string.IsNullOrWhiteSpace(LastYear) ? ParsedLastYear : null;
        entry.Note = TrimmedNote;
        entry.RemindOnOpening = RemindOnOpening;
        entry.RemindDaysBeforeDue = Count(RemindDaysBeforeDue, ReminderPlan.MaxDaysBeforeDue)!.Value;
        entry.RemindOnDueDate = RemindOnDueDate;
        entry.RemindWeeksOverdue = Count(RemindWeeksOverdue, ReminderPlan.MaxWeeksOverdue)!.Value;
    }

    private AnnualWheelKind? ParsedKind =>
        Enum.GetNames<AnnualWheelKind>().Contains(Kind) ? Enum.Parse<AnnualWheelKind>(Kind!) : null;

    private string TrimmedTitle => Title?.Trim() ?? "";

    private string? TrimmedCourseId => string.IsNullOrWhiteSpace(CourseId) ? null : CourseId.Trim();

    private List<string> ChosenAudiences => [.. Audiences.Where(a => !string.IsNullOrEmpty(a)).Distinct()];

    private int? ParsedLastYear =>
        int.TryParse(LastYear?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 2000 and <= 2100 ? year : null;

    private string? TrimmedNote => string.IsNullOrWhiteSpace(Note) ? null : Note.Trim();

    /// <summary>A whole number from 0 to <paramref name="max"/>, or null; empty means 0 (no such reminders).</summary>
    private static int? Count(string? text, int max) =>
        string.IsNullOrWhiteSpace(text) ? 0
        : int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= max ? count
        : null;

    private static DateOnly? Missing(string field, string message, Action<string, string> add)
    {
        add(field, message);
        return null;
    }

    // A date input sends ISO dates; a browser without one lets people type, and they type the same form in Sweden.
    private static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    private static DateOnly? Date(string field, string text, string name, Action<string, string> add)
    {
        if (ParseDate(text) is not { } day)
        {
            add(field, $"Skriv {name} som år-månad-dag, till exempel 2027-03-31.");
            return null;
        }

        if (day.Year is < 2000 or > 2100)
        {
            add(field, "Datumet måste ligga mellan år 2000 och 2100.");
            return null;
        }

        return day;
    }
}
