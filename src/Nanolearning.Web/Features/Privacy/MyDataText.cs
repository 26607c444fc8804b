using System.Text.Json;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Features.Xapi;

namespace Nanolearning.Web.Features.Privacy;

/// <summary>The stored codes of "Mina uppgifter" in the words the page uses; the JSON keeps the codes.</summary>
public static class MyDataText
{
    public static string YesNo(bool value) => value ? "Ja" : "Nej";

    public static string Reminder(ReminderKind kind) => kind switch
    {
        ReminderKind.Assigned => "Ny kurs",
        ReminderKind.DueSoon => "Snart sista dag",
        ReminderKind.DueToday => "Sista dag i dag",
        ReminderKind.Overdue => "Försenad",
        ReminderKind.Digest => "Veckosammanfattning",
        ReminderKind.Repetition => "Repetitionsfråga",
        ReminderKind.ManagerNudge => "Påminnelse från chef",
        _ => kind.ToString(),
    };

    public static string Mail(ReminderMailState state) => state switch
    {
        ReminderMailState.Pending => "Väntar",
        ReminderMailState.Sending => "Skickas",
        ReminderMailState.Sent => "Skickat",
        ReminderMailState.Failed => "Misslyckades",
        ReminderMailState.Uncertain => "Osäkert om det kom fram",
        ReminderMailState.Dropped => "Inte skickat, inget kvar att påminna om",
        _ => state.ToString(),
    };

    public static string Verb(LearningVerb verb) => verb switch
    {
        LearningVerb.Launched => "Började kursen",
        LearningVerb.Experienced => "Gick igenom en lektion",
        LearningVerb.Answered => "Svarade på en fråga",
        LearningVerb.Passed => "Klarade slutprovet",
        LearningVerb.Failed => "Klarade inte slutprovet",
        LearningVerb.Completed => "Blev klar med kursen",
        _ => verb.ToString(),
    };

    /// <summary>The verb and object of a stored statement, as its ids say them.</summary>
    public static (string Verb, string Object) Statement(JsonElement statement) =>
        (Id(statement, "verb"), Id(statement, "object"));

    private static string Id(JsonElement statement, string property) =>
        statement.TryGetProperty(property, out var part) && part.ValueKind == JsonValueKind.Object && part.TryGetProperty("id", out var id)
            ? id.GetString() ?? ""
            : "";
}
