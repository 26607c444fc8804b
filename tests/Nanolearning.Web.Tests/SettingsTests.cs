using Microsoft.Extensions.Options;

namespace Nanolearning.Web.Tests;

/// <summary>Settings that cannot work stop the app at start-up, naming each mistake.</summary>
public sealed class SettingsTests
{
    [Fact]
    public void Impossible_settings_stop_the_app_and_say_what_is_wrong()
    {
        using var app = new AppWith(new Dictionary<string, string>
        {
            ["Mail:FromAddress"] = "inte en adress",
            ["HrImport:MaxFileMegabytes"] = "0",
        });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var messages = string.Join("\n", Flatten(failure).OfType<OptionsValidationException>().SelectMany(e => e.Failures));
        Assert.Contains("Mail:FromAddress \"inte en adress\" is not an e-mail address.", messages);
        Assert.Contains("HrImport:MaxFileMegabytes must be positive.", messages);
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException many ? many.InnerExceptions.SelectMany(Flatten) : e.InnerException is { } inner ? [e, .. Flatten(inner)] : [e];

    private sealed class AppWith(IReadOnlyDictionary<string, string> settings) : AppFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings => settings;
    }
}
