using System.CommandLine;
using System.Globalization;
using Nanolearning.Courses;

namespace Nanolearning.Cli;

/// <summary>The <c>nanolearning</c> command: <c>check</c> and <c>compile</c> course folders.</summary>
public static class CourseTool
{
    public const int Ok = 0;
    public const int HasErrors = 1;
    public const int UsageError = 2;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var folder = new Argument<DirectoryInfo>("folder")
        {
            Description = "En kursmapp, eller en mapp med kursmappar (till exempel courses).",
        };
        var outDir = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "Mappen där en JSON-fil per kurs skrivs.",
            Required = true,
        };

        var today = new Option<string?>("--idag")
        {
            Description = "Datumet (ÅÅÅÅ-MM-DD) som varningen om gammal granskning räknar från; annars dagens datum.",
        };

        var check = new Command("check", "Kontrollera kurser och visa fel, varningar och en sammanställning per kurs.") { folder, today };
        check.SetAction(parse => Check(parse.GetRequiredValue(folder), parse.GetValue(today), output, error));

        var compile = new Command("compile", "Kompilera kurser till JSON (bara kurser utan fel skrivs).") { folder, outDir };
        compile.SetAction(parse => Compile(parse.GetRequiredValue(folder), parse.GetRequiredValue(outDir), output, error));

        var root = new RootCommand("Nanolearning: kontrollera och kompilera nanokurser skrivna i Markdown.") { check, compile };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    private static int Check(DirectoryInfo folder, string? today, TextWriter output, TextWriter error)
    {
        if (!folder.Exists)
        {
            error.WriteLine($"Mappen '{folder}' finns inte.");
            return UsageError;
        }

        TimeProvider clock = TimeProvider.System;
        if (today is not null)
        {
            if (!DateOnly.TryParseExact(today, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                error.WriteLine($"--idag ska vara ett datum på formen 2026-12-02, inte '{today}'.");
                return UsageError;
            }

            clock = new DayClock(day);
        }

        var results = new CourseCompiler(clock: clock).CompileAll(folder.ToString());
        WriteDiagnostics(results, output);
        WriteSummary(results, output);
        return results.Any(r => r.HasErrors) ? HasErrors : Ok;
    }

    private static int Compile(DirectoryInfo folder, DirectoryInfo outDir, TextWriter output, TextWriter error)
    {
        if (!folder.Exists)
        {
            error.WriteLine($"Mappen '{folder}' finns inte.");
            return UsageError;
        }

        var results = new CourseCompiler().CompileAll(folder.ToString());
        WriteDiagnostics(results, output);
        outDir.Create();
        foreach (var course in results.Select(r => r.Course).OfType<CompiledCourse>())
        {
            var path = Path.Combine(outDir.FullName, course.Id + ".json");
            File.WriteAllText(path, CourseJson.Serialize(course));
            output.WriteLine($"{course.Id} version {course.Version} -> {path}");
        }

        return results.Any(r => r.HasErrors) ? HasErrors : Ok;
    }

    /// <summary>
    /// Each problem once: an error in sources.yml belongs to every course that cites sources, but the author fixes
    /// it in one place.
    /// </summary>
    private static IEnumerable<Diagnostic> Diagnostics(IEnumerable<CompileResult> results) =>
        results.SelectMany(r => r.Diagnostics).Distinct();

    private static void WriteDiagnostics(IEnumerable<CompileResult> results, TextWriter output)
    {
        foreach (var diagnostic in Diagnostics(results))
        {
            output.WriteLine(diagnostic);
        }
    }

    private static void WriteSummary(IReadOnlyCollection<CompileResult> results, TextWriter output)
    {
        var c = CultureInfo.GetCultureInfo("sv-SE");
        output.WriteLine();
        output.WriteLine(string.Format(c, "{0,-44} {1,9} {2,7} {3,9} {4,6} {5,5}", "kurs / lektion", "lektioner", "minuter", "beräknat", "frågor", "LIX"));
        foreach (var result in results)
        {
            var report = result.Report;
            output.WriteLine(string.Format(c, "{0,-44} {1,9} {2,7} {3,9:0.0} {4,6} {5,5:0}",
                report.Name, report.Lessons.Length, report.Minutes, report.EstimatedMinutes, report.Questions, report.Lix));
            foreach (var lesson in report.Lessons)
            {
                output.WriteLine(string.Format(c, "  {0,-42} {1,9} {2,7} {3,9:0.0} {4,6} {5,5:0}",
                    Path.GetFileName(lesson.File), "", lesson.Minutes, lesson.Statistics.EstimatedMinutes, lesson.Questions, lesson.Statistics.Lix));
            }
        }

        var errors = Diagnostics(results).Count(d => d.Severity == Severity.Error);
        var warnings = Diagnostics(results).Count(d => d.Severity == Severity.Warning);
        output.WriteLine();
        output.WriteLine($"{results.Count} {(results.Count == 1 ? "kurs" : "kurser")}, {errors} fel, {warnings} varningar.");
    }
}

/// <summary>A clock that reads noon (UTC) on one day: <c>check --idag</c>, for a check as of a given date.</summary>
internal sealed class DayClock(DateOnly day) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => new(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
