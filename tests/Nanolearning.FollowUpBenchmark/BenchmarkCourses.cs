using Nanolearning.Courses;

namespace Nanolearning.FollowUpBenchmark;

/// <summary>
/// The benchmark's ten courses: the four in <c>courses/</c> and six copies of them under new ids and titles, written
/// to a folder of their own so the app (its CoursesPath setting) and the generated data know the same ten courses.
/// </summary>
internal static class BenchmarkCourses
{
    public const string Introduction = "anhorigperspektiv-introduktion";
    public const string Manager = "leda-med-anhorigperspektiv";
    public const string CaseOfficer = "anhorigperspektiv-i-handlaggning";
    public const string Politician = "anhorigstrategin-for-politiker";

    public const string YoungCarers = "unga-anhoriga";
    public const string Dementia = "anhoriga-till-personer-med-demens";
    public const string Conversations = "samtal-med-anhoriga";
    public const string ChildrenAsCarers = "barn-som-anhoriga";
    public const string Disability = "anhorigstod-i-lss";
    public const string Palliative = "anhoriga-i-palliativ-vard";

    private static readonly string[] Real = [Introduction, Manager, CaseOfficer, Politician];

    private static readonly (string Id, string Title, string CopyOf, string Audiences)[] Copies =
    [
        (YoungCarers, "Unga anhöriga", Introduction, "[medarbetare]"),
        (Dementia, "Anhöriga till personer med demens", Introduction, "[medarbetare]"),
        (Conversations, "Samtal med anhöriga", CaseOfficer, "[medarbetare]"),
        (ChildrenAsCarers, "Barn som anhöriga", CaseOfficer, "[handlaggare]"),
        (Disability, "Anhörigstöd i LSS", Manager, "[medarbetare]"),
        (Palliative, "Anhöriga i palliativ vård", Introduction, "[medarbetare]"),
    ];

    /// <summary>Writes the ten course folders (and the sources registry) into an empty <paramref name="folder"/> and compiles them.</summary>
    public static IReadOnlyList<CompiledCourse> Write(string repository, string folder)
    {
        var source = Path.Combine(repository, "courses");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(source, CourseCompiler.SourcesFileName), Path.Combine(folder, CourseCompiler.SourcesFileName));
        foreach (var id in Real)
        {
            CopyFolder(Path.Combine(source, id), Path.Combine(folder, id));
        }

        foreach (var (id, title, copyOf, audiences) in Copies)
        {
            var target = Path.Combine(folder, id);
            CopyFolder(Path.Combine(source, copyOf), target);
            var courseFile = Path.Combine(target, CourseCompiler.CourseFileName);
            var lines = File.ReadAllLines(courseFile).Select(line =>
                line.StartsWith("id:", StringComparison.Ordinal) ? $"id: {id}"
                : line.StartsWith("title:", StringComparison.Ordinal) ? $"title: {title}"
                : line.StartsWith("audiences:", StringComparison.Ordinal) ? $"audiences: {audiences}"
                : line);
            File.WriteAllLines(courseFile, lines);
        }

        var results = new CourseCompiler().CompileAll(folder);
        var broken = results.Where(r => r.HasErrors || r.Course is null).Select(r => Path.GetFileName(r.Folder)).ToList();
        if (broken.Count > 0 || results.Length != Real.Length + Copies.Length)
        {
            throw new InvalidOperationException($"The benchmark courses did not all compile: {string.Join(", ", broken)}.");
        }

        return [.. results.Select(r => r.Course!).OrderBy(c => c.Id, StringComparer.Ordinal)];
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
