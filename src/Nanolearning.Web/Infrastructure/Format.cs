using Nanolearning.Courses;

namespace Nanolearning.Web.Infrastructure;

/// <summary>Dates as Swedish readers expect them, in Swedish time.</summary>
public static class Format
{
    public static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    /// <summary>Today's date in Sweden, whatever time zone the server runs in: due dates turn overdue at Swedish midnight.</summary>
    public static DateOnly Today(TimeProvider time) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Stockholm).DateTime);

    /// <summary>The UTC instant a Swedish day begins: a completion on or after it counts for that day.</summary>
    public static DateTime StartOfDayUtc(DateOnly day) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), Stockholm);

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", Swedish.Culture);

    public static string Date(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, Stockholm).ToString("d MMMM yyyy", Swedish.Culture);

    public static string Time(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, Stockholm).ToString("HH:mm:ss", Swedish.Culture);
}
