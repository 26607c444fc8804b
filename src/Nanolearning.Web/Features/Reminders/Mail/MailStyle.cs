namespace Nanolearning.Web.Features.Reminders.Mail;

/// <summary>
/// The site's look for e-mail: the colours of wwwroot/css/site.css (which meet WCAG AA contrast) and its type, as
/// inline styles, because many mail programs drop a &lt;style&gt; element or a linked stylesheet. Sizes are in
/// pixels (1rem = 16px), which mail programs handle more alike than rem.
/// </summary>
public static class MailStyle
{
    private const string Ink = "#1b1b1f";
    private const string Muted = "#4a4a55";
    private const string Paper = "#ffffff";
    private const string Wash = "#f3f4f7";
    private const string Accent = "#0b5cad";
    private const string Line = "#c9ccd4";

    public const string Body =
        $"margin:0;padding:0;background-color:{Wash};color:{Ink};font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;font-size:16px;line-height:1.55";

    public const string Page = "max-width:704px;margin:0 auto;padding:16px";
    public const string Brand = $"margin:0 0 12px;font-weight:700;color:{Ink}";
    public const string BrandTail = $"font-weight:400;color:{Muted}";
    public const string Card = $"background-color:{Paper};border:1px solid {Line};border-radius:8px;padding:16px";
    public const string Heading1 = $"margin:0 0 16px;font-size:26px;line-height:1.25;color:{Ink}";
    public const string Heading2 = $"margin:24px 0 8px;font-size:20px;line-height:1.3;color:{Ink}";
    public const string Paragraph = "margin:0 0 12px";
    public const string List = "margin:0 0 12px;padding-left:24px";
    public const string Link = $"color:{Accent};text-decoration:underline";

    /// <summary>The main action, as the site's .button: white on the accent colour.</summary>
    public const string Button =
        $"display:inline-block;padding:10px 19px;border-radius:6px;background-color:{Accent};color:{Paper};font-weight:600;text-decoration:none";

    public const string Footer = $"margin:16px 0 0;padding:0 16px;color:{Muted};font-size:14px";
}
