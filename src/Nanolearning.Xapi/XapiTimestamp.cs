using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Nanolearning.Xapi;

/// <summary>
/// xAPI timestamps: always written in UTC with a <c>Z</c> and milliseconds (<c>2026-11-23T15:04:05.123Z</c>),
/// unlike TinCan.NET, which wrote local times without a zone. Read only with an explicit zone: a time without one
/// means different moments on different machines.
/// </summary>
public static partial class XapiTimestamp
{
    /// <summary>
    /// The time as xAPI JSON carries it: whole milliseconds. A statement or column set from this equals what any LRS
    /// gives back.
    /// </summary>
    public static DateTime WholeMilliseconds(DateTime time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMillisecond));

    // "fff" truncates to the millisecond, as XapiDuration does.
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses an ISO 8601 date and time with a zone (<c>Z</c> or an offset other than <c>-00:00</c>).</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null)
            return false;
        var match = Iso8601().Match(text);
        if (!match.Success || match.Groups["zone"].Value is "-00:00" or "-0000" or "-00")
            return false;
        // .NET reads at most 7 fractional digits; the spec allows more and they are below a tick anyway.
        var fraction = match.Groups["fraction"].Value;
        var zone = match.Groups["zone"].Value;
        var normalized = match.Groups["datetime"].Value
            + (fraction.Length > 0 ? "." + fraction[..Math.Min(7, fraction.Length)] : "")
            + (zone == "Z" ? "Z" : NormalizeOffset(zone));
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    static string NormalizeOffset(string zone) => zone.Length switch
    {
        3 => zone + ":00",                      // +01
        5 => zone[..3] + ":" + zone[3..],       // +0100
        _ => zone,                              // +01:00
    };

    [GeneratedRegex(@"^(?<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(?<fraction>\d+))?(?<zone>Z|[+-]\d{2}(?::?\d{2})?)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Iso8601();
}

sealed class TimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return XapiTimestamp.TryParse(text, out var value)
            ? value
            : throw new JsonException($"'{text}' is not an ISO 8601 timestamp with a time zone (like 2026-11-23T15:04:05.123Z).");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(XapiTimestamp.Format(value));
}
