using System.Globalization;
using Nanolearning.Web.Features.AnnualWheel;

namespace Nanolearning.Web.Tests;

/// <summary>The årshjul's circle: 1 January at the top, months clockwise, each date at its share of the year.</summary>
public sealed class WheelGeometryTests
{
    private const double Center = WheelGeometry.Center;

    [Fact]
    public void The_first_of_January_is_at_the_top()
    {
        var wheel = new WheelGeometry(2027);
        Assert.Equal(0, wheel.AngleOf(new DateOnly(2027, 1, 1)));
        Assert.Equal((Center, Center - 100), WheelGeometry.Point(0, 100));
    }

    [Fact]
    public void The_months_run_clockwise_so_April_is_at_three_o_clock_and_July_at_the_bottom()
    {
        var wheel = new WheelGeometry(2027);
        var starts = Enumerable.Range(1, 12).Select(wheel.MonthStart).ToList();
        Assert.Equal(starts.Order(), starts);

        // On screen y grows downwards: a quarter turn clockwise from the top is to the right of the centre.
        var (x, y) = WheelGeometry.Point(wheel.MonthStart(4), 100);
        Assert.True(x > Center + 99 && Math.Abs(y - Center) < 3, $"April starts at ({x}, {y})");
        (x, y) = WheelGeometry.Point(wheel.MonthStart(7), 100);
        Assert.True(y > Center + 99 && Math.Abs(x - Center) < 3, $"July starts at ({x}, {y})");
    }

    [Theory]
    [InlineData(2027, 4, 1, 90 * 360.0 / 365)]
    [InlineData(2027, 12, 31, 364 * 360.0 / 365)]
    [InlineData(2028, 7, 1, 182 * 360.0 / 366)]
    [InlineData(2028, 12, 31, 365 * 360.0 / 366)]
    public void A_date_is_at_its_days_share_of_the_year(int year, int month, int day, double degrees)
    {
        Assert.Equal(degrees, new WheelGeometry(year).AngleOf(new DateOnly(year, month, day)), precision: 6);
    }

    [Fact]
    public void The_last_day_of_the_year_ends_where_the_first_begins()
    {
        Assert.Equal(360, new WheelGeometry(2027).EndAngleOf(new DateOnly(2027, 12, 31)));
    }

    [Fact]
    public void A_window_across_New_Year_is_drawn_only_up_to_the_years_edge()
    {
        var wheel = new WheelGeometry(2027);
        var (start, end) = (new DateOnly(2026, 11, 15), new DateOnly(2027, 1, 15));

        var arc = wheel.Arc(start, end, 100)!;
        var (x, y) = WheelGeometry.Point(wheel.EndAngleOf(new DateOnly(2027, 1, 15)), 100);
        Assert.StartsWith($"M {Center} {Center - 100} A 100 100 0 0 1 ", arc, StringComparison.Ordinal);
        Assert.EndsWith(FormattableString.Invariant($" {x} {y}"), arc, StringComparison.Ordinal);
        Assert.Null(wheel.Arc(new DateOnly(2025, 11, 15), new DateOnly(2026, 1, 15), 100));
    }

    [Fact]
    public void A_window_over_half_a_year_takes_the_long_way_round()
    {
        var wheel = new WheelGeometry(2027);
        Assert.Contains(" 0 0 1 ", wheel.Arc(new DateOnly(2027, 2, 1), new DateOnly(2027, 3, 31), 100), StringComparison.Ordinal);
        Assert.Contains(" 0 1 1 ", wheel.Arc(new DateOnly(2027, 2, 1), new DateOnly(2027, 10, 31), 100), StringComparison.Ordinal);
    }

    [Fact]
    public void A_whole_year_is_a_closed_circle_of_two_halves()
    {
        var arc = new WheelGeometry(2027).Arc(new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31), 100)!;
        Assert.Equal(2, arc.Count(c => c == 'A'));
        Assert.EndsWith($"{Center} {Center - 100}", arc, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_use_decimal_points_even_when_the_request_is_Swedish()
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("sv-SE");
        try
        {
            var wheel = new WheelGeometry(2027);
            Assert.DoesNotContain(',', wheel.Arc(new DateOnly(2027, 2, 3), new DateOnly(2027, 5, 7), 99.5)!);
            Assert.DoesNotContain(',', wheel.MonthSector(5, 170, 205));
            Assert.DoesNotContain(',', WheelGeometry.LabelTransform(wheel.MonthMiddle(5), 188));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Month_names_in_the_lower_half_are_turned_so_they_are_not_upside_down()
    {
        var wheel = new WheelGeometry(2027);
        Assert.EndsWith($"rotate({Math.Round(wheel.MonthMiddle(2), 2).ToString(CultureInfo.InvariantCulture)})", WheelGeometry.LabelTransform(wheel.MonthMiddle(2), 188), StringComparison.Ordinal);
        Assert.EndsWith($"rotate({Math.Round(wheel.MonthMiddle(7) - 180, 2).ToString(CultureInfo.InvariantCulture)})", WheelGeometry.LabelTransform(wheel.MonthMiddle(7), 188), StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_at_the_same_time_get_rings_of_their_own_and_later_ones_reuse_them()
    {
        // Placed in order of start: (10, 300) takes ring 1 before (45, 120) comes and needs ring 2.
        var rings = WheelGeometry.Rings([(0, 90), (45, 120), (100, 200), (130, 140), (10, 300)], rings: 3);
        Assert.Equal([0, 2, 0, 2, 1], rings);
    }

    [Fact]
    public void Beyond_the_last_ring_windows_share_the_innermost()
    {
        Assert.Equal([0, 1, 1], WheelGeometry.Rings([(0, 90), (10, 90), (20, 90)], rings: 2));
    }

    [Fact]
    public void A_campaigns_completed_share_reaches_that_share_of_its_window_from_the_first_day()
    {
        var wheel = new WheelGeometry(2027);
        var (from, to) = (new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 10));

        Assert.Equal(wheel.AngleOf(from), wheel.AngleAtShare(from, to, 0));
        Assert.Equal(wheel.AngleOf(new DateOnly(2027, 3, 6)), wheel.AngleAtShare(from, to, 0.5), precision: 6);
        Assert.Equal(wheel.EndAngleOf(to), wheel.AngleAtShare(from, to, 1), precision: 6);
    }

    [Fact]
    public void A_completed_share_across_New_Year_is_clipped_to_the_years_edges()
    {
        // Twenty days from 22 December: a quarter ends on 27 December, three quarters on 6 January.
        var (from, to) = (new DateOnly(2026, 12, 22), new DateOnly(2027, 1, 10));

        Assert.Equal(0, new WheelGeometry(2027).AngleAtShare(from, to, 0.25));
        Assert.Equal(new WheelGeometry(2027).AngleOf(new DateOnly(2027, 1, 6)), new WheelGeometry(2027).AngleAtShare(from, to, 0.75), precision: 6);
        Assert.Equal(360, new WheelGeometry(2026).AngleAtShare(from, to, 0.75));
    }
}
