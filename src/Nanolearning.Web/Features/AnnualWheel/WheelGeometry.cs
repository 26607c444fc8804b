namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>
/// The circle the årshjul is drawn on: the year runs clockwise from 1 January at the top, one equal slice per day,
/// so a date's angle is where the day begins. Angles are degrees clockwise from twelve o'clock, the way a reader
/// reads a clock; SVG's y axis points down, which makes clockwise the positive sweep.
/// </summary>
public sealed class WheelGeometry(int year)
{
    /// <summary>The drawing is <see cref="Size"/> units square; the browser scales it to the width it gets.</summary>
    public const double Size = 420;

    public const double Center = Size / 2;

    public int Year => year;

    private int DaysInYear => DateTime.IsLeapYear(year) ? 366 : 365;

    /// <summary>The angle at which the day begins; days outside the year are clamped to its first or last moment.</summary>
    public double AngleOf(DateOnly day) =>
        day.Year < year ? 0
        : day.Year > year ? 360
        : (day.DayOfYear - 1) * 360.0 / DaysInYear;

    /// <summary>The angle at which the day ends.</summary>
    public double EndAngleOf(DateOnly day) => AngleOf(day.AddDays(1));

    public double MonthStart(int month) => AngleOf(new DateOnly(year, month, 1));

    public double MonthEnd(int month) => month == 12 ? 360 : MonthStart(month + 1);

    public double MonthMiddle(int month) => (MonthStart(month) + MonthEnd(month)) / 2;

    public static (double X, double Y) Point(double angle, double radius)
    {
        var radians = angle * Math.PI / 180;
        return (Math.Round(Center + radius * Math.Sin(radians), 2), Math.Round(Center - radius * Math.Cos(radians), 2));
    }

    /// <summary>
    /// An arc along <paramref name="radius"/> over the days from one date to another, clipped to the year; null if
    /// none of it falls in the year. A <paramref name="gap"/> in degrees is left at each end, so that windows that
    /// follow each other on a ring do not run together into one.
    /// </summary>
    public string? Arc(DateOnly from, DateOnly to, double radius, double gap = 0) =>
        Span(from, to, gap) is (var start, var end) ? Arc(start, end, radius) : null;

    /// <summary>The angles <see cref="Arc(DateOnly, DateOnly, double, double)"/> draws between; null if the window is not in the year.</summary>
    public (double Start, double End)? Span(DateOnly from, DateOnly to, double gap = 0)
    {
        var (start, end) = (AngleOf(from), EndAngleOf(to));
        if (end <= start)
        {
            return null;
        }

        return end - start > 4 * gap && end - start < 359.99 ? (start + gap, end - gap) : (start, end);
    }

    /// <summary>
    /// The angle a share of a window's days reaches from its first day, clamped to the year: where a campaign's
    /// completed share ends when the whole window stands for everyone assigned.
    /// </summary>
    public double AngleAtShare(DateOnly from, DateOnly to, double share)
    {
        var days = to.DayNumber - from.DayNumber + 1;
        var reached = from.DayNumber - new DateOnly(year, 1, 1).DayNumber + Math.Clamp(share, 0, 1) * days;
        return Math.Clamp(reached, 0, DaysInYear) * 360.0 / DaysInYear;
    }

    /// <summary>An arc along <paramref name="radius"/> between two angles; null if it has no length.</summary>
    public static string? Arc(double start, double end, double radius)
    {
        if (end <= start)
        {
            return null;
        }

        // SVG cannot draw a closed arc from a point back to itself: a whole year is two half circles.
        if (end - start >= 359.99)
        {
            var (tx, ty) = Point(0, radius);
            var (bx, by) = Point(180, radius);
            return Svg($"M {tx} {ty} A {radius} {radius} 0 1 1 {bx} {by} A {radius} {radius} 0 1 1 {tx} {ty}");
        }

        var (x1, y1) = Point(start, radius);
        var (x2, y2) = Point(end, radius);
        var large = end - start > 180 ? 1 : 0;
        return Svg($"M {x1} {y1} A {radius} {radius} 0 {large} 1 {x2} {y2}");
    }

    /// <summary>The ring segment of a month between two radii, for the month sectors.</summary>
    public string MonthSector(int month, double inner, double outer)
    {
        var (start, end) = (MonthStart(month), MonthEnd(month));
        var (ox1, oy1) = Point(start, outer);
        var (ox2, oy2) = Point(end, outer);
        var (ix2, iy2) = Point(end, inner);
        var (ix1, iy1) = Point(start, inner);
        return Svg($"M {ox1} {oy1} A {outer} {outer} 0 0 1 {ox2} {oy2} L {ix2} {iy2} A {inner} {inner} 0 0 0 {ix1} {iy1} Z");
    }

    /// <summary>A label's position and rotation along the circle, turned so that no text is upside down.</summary>
    public static string LabelTransform(double angle, double radius)
    {
        var (x, y) = Point(angle, radius);
        var rotation = Math.Round(angle > 90 && angle < 270 ? angle - 180 : angle, 2);
        return Svg($"translate({x} {y}) rotate({rotation})");
    }

    /// <summary>A diamond centred on a point, the marker of an APT.</summary>
    public static string Diamond(double angle, double radius, double size)
    {
        var (x, y) = Point(angle, radius);
        return Svg($"M {x} {y - size} L {x + size} {y} L {x} {y + size} L {x - size} {y} Z");
    }

    /// <summary>
    /// A ring for each arc so that windows at the same time lie side by side: each goes into the first ring whose
    /// last arc has ended. Beyond <paramref name="rings"/> they share the innermost ring (the table has them all).
    /// </summary>
    public static int[] Rings(IReadOnlyList<(double Start, double End)> arcs, int rings)
    {
        var ringOf = new int[arcs.Count];
        var endOf = new List<double>();
        foreach (var i in Enumerable.Range(0, arcs.Count).OrderBy(i => arcs[i].Start))
        {
            var ring = endOf.FindIndex(end => end <= arcs[i].Start);
            if (ring < 0)
            {
                ring = endOf.Count < rings ? endOf.Count : rings - 1;
                if (ring == endOf.Count)
                {
                    endOf.Add(0);
                }
            }

            endOf[ring] = Math.Max(endOf[ring], arcs[i].End);
            ringOf[i] = ring;
        }

        return ringOf;
    }

    /// <summary>Numbers with a decimal point whatever the request culture: Swedish would write a comma and break the path.</summary>
    private static string Svg(FormattableString path) => FormattableString.Invariant(path);
}
