using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Nanolearning.Web.Features.Errors;

/// <summary>The page for errors without a page of their own: unknown addresses, refused access, faults.</summary>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "";

    public string Message { get; private set; } = "";

    public void OnGet(int? code) => Describe(code);

    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        // Re-executed for an error response keeps its status; visited directly, the page reports the code it names.
        var status = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null && code is { } c and >= 400 and < 600
            ? c
            : Response.StatusCode >= 400 ? Response.StatusCode : code ?? 500;
        Response.StatusCode = status;
        (Title, Message) = status switch
        {
            400 => ("Något blev fel i formuläret", "Sidan skickade något vi inte kunde ta emot. Ladda om sidan och försök igen. Det du redan sparat finns kvar."),
            403 => ("Du har inte behörighet", "Du kan inte se den här sidan med ditt konto."),
            404 => ("Sidan finns inte", "Vi hittar ingen sida med den adressen. Kontrollera adressen eller gå tillbaka till Mina kurser."),
            405 => ("Sidan tar inte emot formulär", "Den här sidan går bara att visa. Gå tillbaka till sidan och försök igen därifrån."),
            429 => ("För många försök", $"Det har kommit för många försök på kort tid. Vänta {Wait()} och försök sedan igen. Det du redan sparat finns kvar."),
            _ => ("Något gick fel hos oss", "Försök igen om en stund. Det du redan sparat finns kvar."),
        };
    }

    // The rate limiter's Retry-After, in seconds, in words.
    private string Wait() =>
        int.TryParse(Response.Headers.RetryAfter, out var seconds) && seconds > 60
            ? $"{(seconds + 59) / 60} minuter"
            : "en minut";
}
