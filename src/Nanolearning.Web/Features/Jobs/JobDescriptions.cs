using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Jobs;

/// <summary>A recurring job as the admin page names it: a Swedish name, what it does, and the admin page it feeds.</summary>
public sealed record JobDescription(string Name, string Purpose, string? Page = null, string? PageTitle = null);

/// <summary>
/// The Swedish names of the recurring jobs in <see cref="BackgroundJobs"/>. Kept beside the page rather than in
/// Infrastructure: they are words for the admin, not part of how the jobs run.
/// </summary>
public static class JobDescriptions
{
    public static JobDescription Of(string id) => id switch
    {
        BackgroundJobs.AssignmentPlanning => new(
            "Planering av tilldelningar",
            "Ger kurser till dem som ska gå dem: öppna utbildningskampanjer i årshjulen och introduktionen för nyanställda."),
        BackgroundJobs.XapiDelivery => new(
            "xAPI-leverans",
            "Skickar lärandehändelser (startade kurser, lästa lektioner, prov) till LRS:en.",
            "/Xapi/Delivery", "xAPI-leverans"),
        BackgroundJobs.FollowUpSnapshot => new(
            "Kommunens siffror",
            "Räknar om kommunens uppföljningssiffror, så att uppföljningssidorna och rapporten inte behöver vänta på en räkning.",
            "/FollowUp/Municipality", "Uppföljning för hela kommunen"),
        BackgroundJobs.ReminderScanning => new(
            "Påminnelser: vem ska påminnas",
            "Går igenom tilldelningarna och bestämmer vem som ska få en påminnelse och vilken dag.",
            "/Reminders/Outbox", "Påminnelser"),
        BackgroundJobs.ReminderDispatching => new(
            "Påminnelser: skicka e-post",
            "Samlar dagens påminnelser till ett e-postmeddelande per person och skickar dem.",
            "/Reminders/Outbox", "Påminnelser"),
        BackgroundJobs.Retention => new(
            "Gallring",
            "Tar bort uppgifter som har sparats längre än sin gallringsfrist och byter namn mot pseudonym för personer som slutat.",
            "/Retention/Index", "Gallring"),
        _ => new(id, "Ett jobb som appen inte har någon beskrivning av."),
    };
}
