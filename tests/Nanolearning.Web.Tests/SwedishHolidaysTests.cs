using Nanolearning.Web.Features.Reminders;

namespace Nanolearning.Web.Tests;

/// <summary>The days reminder e-mail waits over, checked against the almanac for two years with Easter far apart.</summary>
public sealed class SwedishHolidaysTests
{
    [Theory]
    [InlineData(2026, "01-01 01-06 04-03 04-05 04-06 05-01 05-14 05-24 06-06 06-19 06-20 10-31 12-24 12-25 12-26 12-31")]
    [InlineData(2027, "01-01 01-06 03-26 03-28 03-29 05-01 05-06 05-16 06-06 06-25 06-26 11-06 12-24 12-25 12-26 12-31")]
    public void The_holidays_of_a_year_are_those_of_the_almanac(int year, string almanac)
    {
        var holidays = Enumerable.Range(0, DateTime.IsLeapYear(year) ? 366 : 365)
            .Select(d => new DateOnly(year, 1, 1).AddDays(d))
            .Where(SwedishHolidays.IsHoliday)
            .Select(d => d.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(almanac.Split(' '), holidays);
    }
}
