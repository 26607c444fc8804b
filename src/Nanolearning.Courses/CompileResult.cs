using System.Collections.Immutable;

namespace Nanolearning.Courses;

/// <summary>
/// The outcome of compiling one course folder. <see cref="Course"/> is null when there are errors: a course with
/// errors is never published. <see cref="Report"/> has the figures of whatever could be read.
/// </summary>
public sealed record CompileResult(string Folder, CompiledCourse? Course, CourseReport Report, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}

/// <summary>Figures for the compile report: one row per course, with its lessons.</summary>
public sealed record CourseReport(string Name, ImmutableArray<LessonReport> Lessons)
{
    public int Minutes => Lessons.Sum(l => l.Minutes);
    public double EstimatedMinutes => Math.Round(Lessons.Sum(l => l.Statistics.EstimatedMinutes), 1);
    public int Questions => Lessons.Sum(l => l.Questions);

    /// <summary>LIX of the course's text taken as a whole.</summary>
    public double Lix => Math.Round(Lint.ReadingStatistics.Lix(
        Lessons.Sum(l => l.Statistics.Words), Lessons.Sum(l => l.Statistics.Sentences), Lessons.Sum(l => l.Statistics.LongWords)), 1);
}

/// <summary>Figures for one lesson.</summary>
public sealed record LessonReport(string File, string Title, int Minutes, int Questions, LessonStatistics Statistics);
