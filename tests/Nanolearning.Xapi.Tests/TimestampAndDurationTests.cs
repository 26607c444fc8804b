using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nanolearning.Xapi.Tests;

public class TimestampAndDurationTests
{
    [Fact]
    public void Timestamps_are_written_in_utc_with_z_and_milliseconds()
    {
        var stockholm = new DateTimeOffset(2026, 11, 23, 16, 4, 5, 123, TimeSpan.FromHours(1)).AddTicks(9999);

        Assert.Equal("2026-11-23T15:04:05.123Z", XapiTimestamp.Format(stockholm));
        Assert.Equal("2026-11-23T15:04:05.000Z", XapiTimestamp.Format(new DateTimeOffset(2026, 11, 23, 15, 4, 5, TimeSpan.Zero)));
    }

    [Fact]
    public void A_statement_carries_its_timestamp_in_utc_on_the_wire()
    {
        var json = JsonNode.Parse(XapiJson.Serialize(Examples.PassedCourse()))!;

        Assert.Equal("2026-11-23T15:04:05.123Z", (string?)json["timestamp"]);
    }

    [Theory]
    [InlineData("2026-11-23T15:04:05.123Z", "2026-11-23T15:04:05.123Z")]
    [InlineData("2026-11-23T16:04:05.123+01:00", "2026-11-23T15:04:05.123Z")]
    [InlineData("2026-11-23T16:04:05+0100", "2026-11-23T15:04:05.000Z")]
    [InlineData("2026-11-23T10:04:05.123456789-05", "2026-11-23T15:04:05.123Z")]
    [InlineData("2026-11-23T15:04Z", "2026-11-23T15:04:00.000Z")]
    public void Timestamps_with_a_zone_are_read_as_that_moment(string text, string utc)
    {
        Assert.True(XapiTimestamp.TryParse(text, out var value));
        Assert.Equal(utc, XapiTimestamp.Format(value));
    }

    [Theory]
    [InlineData("2026-11-23T15:04:05.123")]
    [InlineData("2026-11-23T15:04:05-00:00")]
    [InlineData("2026-11-23")]
    [InlineData("23/11/2026 15:04")]
    [InlineData("")]
    public void Timestamps_without_a_zone_or_in_another_format_are_refused(string text)
    {
        Assert.False(XapiTimestamp.TryParse(text, out _));
        var json = Examples.Simple.Replace("2015-11-18T12:17:00+00:00", text);
        var error = Assert.Throws<JsonException>(() => XapiJson.Deserialize<Statement>(json));
        Assert.Contains("time zone", error.Message);
    }

    [Theory]
    [InlineData(270.5, "PT4M30.5S")]
    [InlineData(0, "PT0S")]
    [InlineData(3600, "PT1H")]
    [InlineData(93784.25, "PT26H3M4.25S")]
    [InlineData(0.0019, "PT0.001S")]
    public void Durations_are_written_as_iso_8601_hours_minutes_and_seconds(double seconds, string expected)
    {
        Assert.Equal(expected, XapiDuration.Format(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData("PT4M30.5S", 270.5)]
    [InlineData("PT1H0M0S", 3600)]
    [InlineData("P1DT2H", 93600)]
    [InlineData("P1W", 604800)]
    [InlineData("PT0,5S", 0.5)]
    [InlineData("PT0S", 0)]
    public void Iso_8601_durations_are_read(string text, double seconds)
    {
        Assert.True(XapiDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("-PT1S")]
    [InlineData("PT-1S")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("4:30")]
    [InlineData("PT1.5.5S")]
    // ISO 8601 has weeks only alone.
    [InlineData("P4W1D")]
    [InlineData("P1WT1H")]
    public void Negative_and_malformed_durations_are_refused(string text)
    {
        Assert.False(XapiDuration.TryParse(text, out _));
        var json = $$"""{ "actor": { "mbox": "mailto:a@example.com" }, "verb": { "id": "http://example.com/v" }, "object": { "id": "http://example.com/a" }, "result": { "duration": "{{text}}" } }""";
        Assert.Throws<JsonException>(() => XapiJson.Deserialize<Statement>(json));
    }

    [Fact]
    public void A_result_cannot_be_given_a_negative_duration()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Result { Duration = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => XapiDuration.Format(TimeSpan.FromTicks(-1)));
    }

    [Fact]
    public void A_statement_carries_its_duration_in_iso_8601_on_the_wire()
    {
        var json = JsonNode.Parse(XapiJson.Serialize(Examples.PassedCourse()))!;

        Assert.Equal("PT4M30.5S", (string?)json["result"]!["duration"]);
    }
}
