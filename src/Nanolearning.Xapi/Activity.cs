using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Nanolearning.Xapi;

/// <summary>A thing interacted with (a course, lesson or question), identified by a stable IRI.</summary>
public sealed record Activity : IStatementTarget
{
    [JsonPropertyOrder(-1)]
    public string ObjectType => "Activity";

    public required string Id { get; init; }

    public ActivityDefinition? Definition { get; init; }

    public Activity() { }

    [SetsRequiredMembers]
    public Activity(string id, ActivityDefinition? definition = null) => (Id, Definition) = (id, definition);
}

/// <summary>What an activity is: names, type IRI and, for questions, the interaction and its correct responses.</summary>
public sealed record ActivityDefinition
{
    public LanguageMap? Name { get; init; }
    public LanguageMap? Description { get; init; }

    /// <summary>Activity type IRI, e.g. <c>http://adlnet.gov/expapi/activities/course</c>.</summary>
    public string? Type { get; init; }

    public string? MoreInfo { get; init; }
    public InteractionType? InteractionType { get; init; }

    /// <summary>Correct responses in xAPI's response syntax (<c>"a[,]c"</c> for a choice of a and c).</summary>
    public ValueList<string>? CorrectResponsesPattern { get; init; }

    public ValueList<InteractionComponent>? Choices { get; init; }
    public ValueList<InteractionComponent>? Scale { get; init; }
    public ValueList<InteractionComponent>? Source { get; init; }
    public ValueList<InteractionComponent>? Target { get; init; }
    public ValueList<InteractionComponent>? Steps { get; init; }
    public Extensions? Extensions { get; init; }
}

/// <summary>The kinds of question xAPI (after SCORM's cmi.interactions) knows.</summary>
[JsonConverter(typeof(InteractionTypeConverter))]
public enum InteractionType
{
    [JsonStringEnumMemberName("true-false")] TrueFalse,
    [JsonStringEnumMemberName("choice")] Choice,
    [JsonStringEnumMemberName("fill-in")] FillIn,
    [JsonStringEnumMemberName("long-fill-in")] LongFillIn,
    [JsonStringEnumMemberName("matching")] Matching,
    [JsonStringEnumMemberName("performance")] Performance,
    [JsonStringEnumMemberName("sequencing")] Sequencing,
    [JsonStringEnumMemberName("likert")] Likert,
    [JsonStringEnumMemberName("numeric")] Numeric,
    [JsonStringEnumMemberName("other")] Other,
}

/// <summary>One choice, scale point, source, target or step of an interaction.</summary>
public sealed record InteractionComponent(string Id, LanguageMap? Description = null);

/// <summary>The interaction types by name only: the default enum converter also reads numbers (12345 was a "choice").</summary>
sealed class InteractionTypeConverter() : JsonStringEnumConverter<InteractionType>(namingPolicy: null, allowIntegerValues: false);
