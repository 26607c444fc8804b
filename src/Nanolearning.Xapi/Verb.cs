namespace Nanolearning.Xapi;

/// <summary>What the actor did: an IRI (see <see cref="Verbs"/>) and its display name per language.</summary>
public sealed record Verb
{
    public required string Id { get; init; }

    public LanguageMap? Display { get; init; }

    public Verb() { }

    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    public Verb(string id, LanguageMap? display = null) => (Id, Display) = (id, display);
}

/// <summary>The ADL verbs Nanolearning uses, with English display names as in the ADL vocabulary.</summary>
public static class Verbs
{
    public static Verb Launched { get; } = Adl("launched");
    public static Verb Experienced { get; } = Adl("experienced");
    public static Verb Answered { get; } = Adl("answered");
    public static Verb Completed { get; } = Adl("completed");
    public static Verb Passed { get; } = Adl("passed");
    public static Verb Failed { get; } = Adl("failed");
    public static Verb Progressed { get; } = Adl("progressed");
    public static Verb Voided { get; } = Adl("voided");

    static Verb Adl(string name) => new("http://adlnet.gov/expapi/verbs/" + name, new LanguageMap("en-US", name));
}
