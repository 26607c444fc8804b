using System.Globalization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Reminders;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>
/// The fields of the entry form as posted, kept as text so that a bad value comes back to the user as typed, with
/// a Swedish message next to it. The unit is checked by the page (it is an authorization question, not input).
/// </summary>
public sealed class EntryForm
{
    public const int TitleMaxLength = 200;
    public const int NoteMaxLength = 4000;

    public string? UnitId { get; set; }

    public string? Kind { get; set; }

    public string? Title { get; set; }

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

    /// <summary>Messages by field name, in the order of the form; never bound from the request.</summary>
    [BindNever]
    public Dictionary<string, string> Errors { get; } = [];

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

    /// <summary>Checks every field and, only if all are valid, writes them to the entry.</summary>
    public bool TryApplyTo(AnnualWheelEntry entry, CourseCatalog catalog)
    {
        Errors.Clear();
        AnnualWheelKind? kind = Enum.GetNames<AnnualWheelKind>().Contains(Kind) ? Enum.Parse<AnnualWheelKind>(Kind!) : null;
        if (kind is null)
        {
            Errors[nameof(Kind)] = "Välj vad det är för post.";
        }

        var title = Title?.Trim() ?? "";
        if (title.Length == 0)
        {
            Errors[nameof(Title)] = "Skriv en rubrik.";
        }
        else if (title.Length > TitleMaxLength)
        {
            Errors[nameof(Title)] = $"Rubriken får vara högst {TitleMaxLength} tecken. Nu är den {title.Length}.";
        }

        var start = Date(nameof(StartsOn), StartsOn, "Skriv ett startdatum.", "startdatumet");
        var oneDay = kind is { } k && WheelText.IsOneDay(k);
        // An APT or a note happens on one day: a stray end date is not an error, it just does not apply.
        var end = oneDay ? start : Date(nameof(EndsOn), EndsOn, "Skriv sista dagen.", "sista dagen");
        if (start is { } s && end is { } e && !Errors.ContainsKey(nameof(EndsOn)))
        {
            if (e < s)
            {
                Errors[nameof(EndsOn)] = "Sista dagen kan inte vara före startdatumet.";
            }
            else if (e.DayNumber - s.DayNumber + 1 > AnnualWheelEntry.MaxWindowDays)
            {
                Errors[nameof(EndsOn)] = $"En period får vara högst {AnnualWheelEntry.MaxWindowDays} dagar. Dela upp den i två poster om den ska vara längre.";
            }
        }

        var courseId = string.IsNullOrWhiteSpace(CourseId) ? null : CourseId.Trim();
        if (courseId is not null && catalog.FindLive(courseId) is null)
        {
            Errors[nameof(CourseId)] = "Kursen finns inte. Välj en kurs i listan.";
        }
        else if (courseId is null && kind == AnnualWheelKind.CourseCampaign)
        {
            Errors[nameof(CourseId)] = "Välj vilken kurs kampanjen ska ge.";
        }

        var audiences = Audiences.Where(a => !string.IsNullOrEmpty(a)).Distinct().ToList();
        if (audiences.Any(a => !WheelText.Audiences.Any(x => x.Value == a)))
        {
            Errors[nameof(Audiences)] = "Välj målgrupper i listan.";
        }

        int? lastYear = null;
        if (RecursYearly && !string.IsNullOrWhiteSpace(LastYear))
        {
            if (!int.TryParse(LastYear.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 2000 or > 2100)
            {
                Errors[nameof(LastYear)] = "Skriv sista året med fyra siffror, till exempel 2030, eller lämna fältet tomt.";
            }
            else if (start is { } first && year < first.Year)
            {
                Errors[nameof(LastYear)] = "Sista året kan inte vara före året då posten börjar.";
            }
            else
            {
                lastYear = year;
            }
        }

        var note = string.IsNullOrWhiteSpace(Note) ? null : Note.Trim();
        if (note?.Length > NoteMaxLength)
        {
            Errors[nameof(Note)] = $"Beskrivningen får vara högst {NoteMaxLength} tecken. Nu är den {note.Length}.";
        }

        var daysBefore = Count(nameof(RemindDaysBeforeDue), RemindDaysBeforeDue, ReminderPlan.MaxDaysBeforeDue, "Skriv hur många dagar före sista dagen påminnelsen ska gå ut");
        var weeksOverdue = Count(nameof(RemindWeeksOverdue), RemindWeeksOverdue, ReminderPlan.MaxWeeksOverdue, "Skriv hur många veckovisa påminnelser som högst ska gå ut efter sista dagen");

        if (Errors.Count > 0)
        {
            return false;
        }

        entry.Kind = kind!.Value;
        entry.Title = title;
        entry.StartsOn = start!.Value;
        entry.EndsOn = end!.Value;
        entry.CourseId = courseId;
        entry.Audiences = audiences;
        entry.RecursYearly = RecursYearly;
        entry.LastYear = lastYear;
        entry.Note = note;
        entry.RemindOnOpening = RemindOnOpening;
        entry.RemindDaysBeforeDue = daysBefore!.Value;
        entry.RemindOnDueDate = RemindOnDueDate;
        entry.RemindWeeksOverdue = weeksOverdue!.Value;
        return true;
    }

    /// <summary>A whole number from 0 to <paramref name="max"/>; empty means 0 (no such reminders).</summary>
    private int? Count(string field, string? text, int max, string ask)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > max)
        {
            Errors[field] = $"{ask}: ett heltal från 0 till {max}.";
            return null;
        }

        return count;
    }

    private DateOnly? Date(string field, string? text, string missing, string name)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            Errors[field] = missing;
            return null;
        }

        // A date input sends ISO dates; a browser without one lets people type, and they type the same form in Sweden.
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            Errors[field] = $"Skriv {name} som år-månad-dag, till exempel 2027-03-31.";
            return null;
        }

        if (day.Year is < 2000 or > 2100)
        {
            Errors[field] = "Datumet måste ligga mellan år 2000 och 2100.";
            return null;
        }

        return day;
    }
}
