using Microsoft.Extensions.Options;

namespace Nanolearning.Web.Tests;

/// <summary>xAPI settings that cannot work stop the app at start-up, naming each mistake.</summary>
public sealed class XapiSettingsTests
{
    [Fact]
    public void Impossible_xapi_settings_stop_the_app_and_say_what_is_wrong()
    {
        using var app = new AppWith(new Dictionary<string, string>
        {
            ["Xapi:HomePage"] = "exempelkommun.se",
            ["Xapi:ActivityIriBase"] = "https://nanolearning.se/xapi",
            ["Xapi:Delivery:Endpoint"] = "lrs.exempelkommun.se/xapi/",
            ["Xapi:Delivery:BatchSize"] = "0",
            ["Xapi:Lrs:MaxStatementsPerBatch"] = "0",
            ["Xapi:Lrs:MaxRequestBytes"] = "1000",
            ["Xapi:Delivery:Schedule"] = "varje minut",
        });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var messages = string.Join("\n", Flatten(failure).OfType<OptionsValidationException>().SelectMany(e => e.Failures));
        Assert.Contains("Xapi:HomePage \"exempelkommun.se\" is not an absolute IRI", messages);
        Assert.Contains("Xapi:ActivityIriBase \"https://nanolearning.se/xapi\" must be an absolute IRI ending in /.", messages);
        Assert.Contains("Xapi:Delivery:Endpoint \"lrs.exempelkommun.se/xapi/\" is not an absolute http(s) URL", messages);
        Assert.Contains("Xapi:Delivery:BatchSize must be between 1 and 500.", messages);
        Assert.Contains("Xapi:Lrs:MaxStatementsPerBatch must be between 1 and 10000.", messages);
        Assert.Contains("Xapi:Lrs:MaxRequestBytes must be between 1048576 (1 MB, the largest document) and 104857600 (100 MB).", messages);
        Assert.Contains("Xapi:Delivery:Schedule \"varje minut\" is not a cron expression", messages);
    }

    [Theory]
    [InlineData(1, 1024 * 1024, true)]
    [InlineData(10_000, 100 * 1024 * 1024, true)]
    [InlineData(10_001, 8 * 1024 * 1024, false)]
    [InlineData(1_000, 1024 * 1024 - 1, false)]
    [InlineData(1_000, 100 * 1024 * 1024 + 1, false)]
    public void The_built_in_LRS_limits_stay_where_a_batch_cannot_block_the_database_or_refuse_a_document(int statements, long bytes, bool accepted)
    {
        var settings = new Nanolearning.Web.Features.Xapi.XapiOptions { Lrs = { MaxStatementsPerBatch = statements, MaxRequestBytes = bytes } };

        Assert.Equal(accepted, !settings.Mistakes().Any());
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("   ", true)]
    [InlineData("https://lrs.exempelkommun.se/xapi/", true)]
    [InlineData("http://127.0.0.1:8080/xapi/", true)]
    [InlineData("ftp://lrs.exempelkommun.se/xapi/", false)]
    [InlineData("file:///var/lrs/", false)]
    public void A_delivery_endpoint_is_blank_for_the_built_in_LRS_or_an_http_address(string endpoint, bool accepted)
    {
        var settings = new Nanolearning.Web.Features.Xapi.XapiOptions { Delivery = { Endpoint = endpoint } };

        Assert.Equal(accepted, !settings.Mistakes().Any());
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException many ? many.InnerExceptions.SelectMany(Flatten) : e.InnerException is { } inner ? [e, .. Flatten(inner)] : [e];
}
