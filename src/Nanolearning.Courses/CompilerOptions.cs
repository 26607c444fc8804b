using System.Collections.Immutable;

namespace Nanolearning.Courses;

/// <summary>Limits and lint levels for the compiler. The defaults are the ones documented for authors.</summary>
public sealed record CompilerOptions
{
    /// <summary>The default options.</summary>
    public static CompilerOptions Default { get; } = new();

    /// <summary>Reading speed used to estimate a lesson's length. Below the adult Swedish average on purpose:
    /// many learners read on a phone or in their second language.</summary>
    public double WordsPerMinute { get; init; } = 180;

    /// <summary>Time added per question for reading the options and answering.</summary>
    public double MinutesPerQuestion { get; init; } = 0.5;

    /// <summary>Longest a nano-lesson should take.</summary>
    public double NanoLessonMaxMinutes { get; init; } = 5;

    /// <summary>LIX above this gives a warning (40–50 is "medelsvår", above 50 "svår").</summary>
    public double LixWarningLevel { get; init; } = 45;

    /// <summary>The audiences a course may name, with the most minutes a whole course may take for each.</summary>
    public ImmutableDictionary<string, int> AudienceBudgets { get; init; } = new Dictionary<string, int>
    {
        [Audience.NewEmployee] = 20,
        [Audience.Employee] = 20,
        [Audience.CaseOfficer] = 20,
        [Audience.Manager] = 30,
        [Audience.Politician] = 15,
    }.ToImmutableDictionary();

    /// <summary>Largest lesson or course.yml file read; larger files are reported, not parsed.</summary>
    public int MaxFileBytes { get; init; } = 256 * 1024;

    /// <summary>Deepest nesting of lists, quotes and inline elements accepted in a lesson.</summary>
    public int MaxNestingDepth { get; init; } = 32;

    /// <summary>
    /// How many lessons of a course compile at the same time; -1 (the default) uses every core. The result and the
    /// order of the diagnostics are the same for every value.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
