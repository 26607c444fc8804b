namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// The days Swedish workplaces are closed: the public holidays of lagen (1989:253) om allmänna helgdagar, national
/// day included, and the three eves (midsommar-, jul- and nyårsafton) that collective agreements treat as holidays.
/// Computed, since the movable ones follow Easter and no holiday package is served here.
/// </summary>
public static class SwedishHolidays
{
    public static bool IsHoliday(DateOnly day) =>
        (day.Month, day.Day) is (1, 1) or (1, 6) or (5, 1) or (6, 6) or (12, 24) or (12, 25) or (12, 26) or (12, 31)
        || IsEasterRelated(day) || IsMidsummer(day) || IsAllSaints(day);

    /// <summary>Långfredagen, påskdagen, annandag påsk, Kristi himmelsfärds dag and pingstdagen.</summary>
    private static bool IsEasterRelated(DateOnly day)
    {
        var offset = day.DayNumber - EasterSunday(day.Year).DayNumber;
        return offset is -2 or 0 or 1 or 39 or 49;
    }

    /// <summary>Midsommarafton (a Friday 19–25 June) and midsommardagen (the Saturday after).</summary>
    private static bool IsMidsummer(DateOnly day) =>
        day.Month == 6 && ((day.DayOfWeek == DayOfWeek.Friday && day.Day is >= 19 and <= 25)
            || (day.DayOfWeek == DayOfWeek.Saturday && day.Day is >= 20 and <= 26));

    /// <summary>Alla helgons dag: the Saturday from 31 October to 6 November.</summary>
    private static bool IsAllSaints(DateOnly day) =>
        day.DayOfWeek == DayOfWeek.Saturday && ((day.Month == 10 && day.Day == 31) || (day.Month == 11 && day.Day <= 6));

    /// <summary>The Gregorian Easter Sunday (the anonymous algorithm of Meeus/Jones/Butcher).</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var dayOfMonth = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, dayOfMonth);
    }
}
