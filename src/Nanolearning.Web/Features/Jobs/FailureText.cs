namespace Nanolearning.Web.Features.Jobs;

/// <summary>
/// A failed run explained in Swedish from the kind of exception, not its message: the message is English and may name
/// a recipient's address, and the admin needs to know what to check, not what the code saw. Details stay in the
/// expert view.
/// </summary>
public static class FailureText
{
    public static string Of(string? exceptionType)
    {
        var type = exceptionType ?? "";
        if (type.Contains("Smtp", StringComparison.Ordinal) || type.StartsWith("MailKit.", StringComparison.Ordinal))
        {
            return "E-postservern gick inte att nå eller tog inte emot e-posten. Kontrollera e-postinställningarna; nästa körning försöker igen.";
        }

        if (type.EndsWith("HttpRequestException", StringComparison.Ordinal) || type.EndsWith("SocketException", StringComparison.Ordinal))
        {
            return "En annan server (till exempel LRS:en) gick inte att nå eller svarade med ett fel. Nästa körning försöker igen.";
        }

        if (type.EndsWith("TimeoutException", StringComparison.Ordinal) || type.EndsWith("CanceledException", StringComparison.Ordinal))
        {
            return "Jobbet tog för lång tid och avbröts. Nästa körning fortsätter där det slutade.";
        }

        if (type.Contains("Sqlite", StringComparison.Ordinal) || type.Contains("DbUpdate", StringComparison.Ordinal))
        {
            return "Databasen gick inte att läsa eller skriva, till exempel för att den var upptagen. Nästa körning försöker igen.";
        }

        if (type.Contains("JobLoadException", StringComparison.Ordinal) || type.Contains("TypeLoad", StringComparison.Ordinal))
        {
            return "Jobbet gick inte att starta: appen känner inte längre igen det, kanske efter en uppdatering.";
        }

        return "Jobbet stannade på ett oväntat fel. Nästa körning försöker igen; detaljerna finns i expertvyn.";
    }
}
