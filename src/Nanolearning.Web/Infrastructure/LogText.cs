using System.Text.RegularExpressions;

namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// Text from outside (a mail server's answer, an LRS's error) made fit for the logs, which must name nobody: logs travel
/// further and live longer than the database (docs/privacy.md). The app's own log messages name ids, never people.
/// </summary>
public static partial class LogText
{
    /// <summary>The text with every e-mail address replaced by "[e-post]".</summary>
    public static string WithoutEmail(string text) => Email().Replace(text, "[e-post]");

    [GeneratedRegex(@"[^\s<>""'(),;:@]+@[^\s<>""'(),;:@]+\.[^\s<>""'(),;:@]+")]
    private static partial Regex Email();
}
