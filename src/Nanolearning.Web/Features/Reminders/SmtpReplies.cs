using System.Text.RegularExpressions;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// Swedish for the mail server's common answers, so an admin reading "554 5.7.1 Relay access denied" on the outbox page
/// learns what it means and what to check. The server's own words are always shown too: this only explains them.
/// </summary>
public static partial class SmtpReplies
{
    /// <summary>What a reply means, from its code and (when the server gave one) its enhanced status code (RFC 3463).</summary>
    public static string? Explain(int? code, string? serverText)
    {
        var enhanced = serverText is null ? null : EnhancedCode().Match(serverText) is { Success: true } match ? match.Value : null;
        if (code == 535)
        {
            return "Servern godtog inte appens inloggning. Kontrollera användarnamn och lösenord (Mail:UserName, Mail:Password) och att kontot får skicka e-post via SMTP.";
        }

        if (enhanced is not null && enhanced.StartsWith("5.7.", StringComparison.Ordinal))
        {
            return "Servern nekar av behörighets- eller policyskäl: appen får inte skicka genom den (relay), eller avsändaradressen är inte tillåten. Kontrollera att servern släpper igenom e-post från appens server eller att appen loggar in, och att Mail:FromAddress är en adress servern godtar.";
        }

        if (enhanced is "5.1.1")
        {
            return "Mottagarens adress finns inte. Kontrollera e-postadressen i personalregistret.";
        }

        return code switch
        {
            421 => "Servern stänger förbindelsen tillfälligt (den är överbelastad eller startar om). Meddelandet försöks igen.",
            450 => "Mottagarens brevlåda går inte att nå just nu (upptagen, eller servern ber nya avsändare vänta). Meddelandet försöks igen.",
            451 => "Servern fick ett tillfälligt fel och ber appen försöka senare. Meddelandet försöks igen.",
            452 => "Servern har för lite utrymme just nu. Meddelandet försöks igen.",
            550 => "Servern tar inte emot e-post till mottagaren: adressen finns inte eller brevlådan är avstängd. Kontrollera adressen.",
            551 => "Mottagaren finns inte på den här servern, och servern skickar inte vidare. Kontrollera adressen.",
            552 => "Meddelandet är för stort, eller mottagarens brevlåda är full.",
            553 => "Servern godtar inte adressen: den har fel form eller är inte en tillåten avsändare. Kontrollera mottagarens adress och Mail:FromAddress.",
            554 => "Servern nekar meddelandet, ofta efter en skräppost- eller policyregel. Kontakta den som sköter e-postservern med felmeddelandet.",
            >= 400 and < 500 => "Servern ber appen försöka senare. Meddelandet försöks igen.",
            >= 500 => "Servern nekar meddelandet för gott.",
            _ => null,
        };
    }

    /// <summary>
    /// The refusal names the recipient's mailbox (enhanced status 5.1.x: no such user, bad address or domain), so it says
    /// nothing about the server: never a reason to pause everyone's e-mail, however many such refusals come in a row.
    /// </summary>
    public static bool IsAboutMailbox(string? serverText) =>
        serverText is not null && EnhancedCode().Match(serverText) is { Success: true } match
        && match.Value.StartsWith("5.1.", StringComparison.Ordinal);

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex EnhancedCode();
}
