using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Nanolearning.Xapi;

/// <summary>
/// ISO 8601 durations (<c>PT4M30.5S</c>), never negative: TinCan.NET could write <c>-PT…</c>, which no LRS accepts.
/// Written as hours, minutes and seconds to the millisecond; read with years as 365 days and months as 30 days
/// (xAPI durations of learning are seconds to hours; the spec only asks for 0.01 s precision).
/// </summary>
public static partial class XapiDuration
{
    public static string Format(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
        var ticks = value.Ticks - value.Ticks % TimeSpan.TicksPerMillisecond;
        var hours = ticks / TimeSpan.TicksPerHour;
        var minutes = ticks % TimeSpan.TicksPerHour / TimeSpan.TicksPerMinute;
        var seconds = (decimal)(ticks % TimeSpan.TicksPerMinute) / TimeSpan.TicksPerSecond;
        var text = "PT";
        if (hours > 0)
            text += hours.ToString(CultureInfo.InvariantCulture) + "H";
        if (minutes > 0)
            text += minutes.ToString(CultureInfo.InvariantCulture) + "M";
        if (seconds > 0 || ticks == 0)
            text += seconds.ToString("0.###", CultureInfo.InvariantCulture) + "S";
        return text;
    }

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (text is null)
            return false;
        var match = Iso8601().Match(text);
        // "P" and "PT" alone match the pattern but name no amount.
        if (!match.Success || text is "P" || text.EndsWith('T'))
            return false;
        var days = Number(match, "years") * 365 + Number(match, "months") * 30 + Number(match, "weeks") * 7 + Number(match, "days");
        var seconds = Number(match, "hours") * 3600 + Number(match, "minutes") * 60 + Number(match, "seconds");
        try
        {
            value = TimeSpan.FromTicks((long)((days * 86400 + seconds) * TimeSpan.TicksPerSecond));
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    static decimal Number(Match match, string group) =>
        match.Groups[group].Success ? decimal.Parse(match.Groups[group].Value.Replace(',', '.'), CultureInfo.InvariantCulture) : 0;

    // ISO 8601 has weeks only alone (P4W); P4W1D is not a duration.
    [GeneratedRegex(@"^P(?:(?<weeks>\d+(?:[.,]\d+)?)W|(?:(?<years>\d+(?:[.,]\d+)?)Y)?(?:(?<months>\d+(?:[.,]\d+)?)M)?(?:(?<days>\d+(?:[.,]\d+)?)D)?(?:T(?:(?<hours>\d+(?:[.,]\d+)?)H)?(?:(?<minutes>\d+(?:[.,]\d+)?)M)?(?:(?<seconds>\d+(?:[.,]\d+)?)S)?)?)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Iso8601();
}

sealed class DurationConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return XapiDuration.TryParse(text, out var value)
            ? value
            : throw new JsonException($"'{text}' is not a non-negative ISO 8601 duration (like PT4M30.5S).");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(XapiDuration.Format(value));
}
