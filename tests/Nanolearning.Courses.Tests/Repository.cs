namespace Nanolearning.Courses.Tests;

/// <summary>Paths in the repository, found from the test binaries.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Courses => Path.Combine(Root, "courses");
    public static string Sources => Path.Combine(Courses, CourseCompiler.SourcesFileName);
    public static string Corpus => Path.Combine(Root, "tests", "Nanolearning.Courses.Tests", "Corpus");
    public static string CourseFormatDoc => Path.Combine(Root, "docs", "course-format.md");

    /// <summary>
    /// "Today" for every compile in the tests: the day the shipped courses were last reviewed, so the review warning
    /// depends on the dates in the test, never on the day the tests run.
    /// </summary>
    public static TimeProvider Clock { get; } = new FixedClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Nanolearning.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Nanolearning.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// A course folder in a temporary directory, deleted after the test, with a sources registry beside it (unless
/// <c>sourcesYml</c> is null).
/// </summary>
internal sealed class TempCourse : IDisposable
{
    public const string DefaultCourseYml = """
        id: testkurs
        title: Testkurs
        audiences: [medarbetare]
        summary: En kurs för test.
        pass_threshold: 80
        reviewed: 2026-12-02
        reviewed_by: Testredaktionen
        """;

    public const string DefaultSourcesYml = """
        sources:
          - id: nka-anhorigstrategin-folder
            title: Nationella anhörigstrategin – för att möta anhörigas behov (folder)
            publisher: Nationellt kompetenscentrum anhöriga (Nka)
            url: https://anhoriga.se/anhorigstrategi
        """;

    public TempCourse(string courseYml = DefaultCourseYml, string? sourcesYml = DefaultSourcesYml)
    {
        Folder = Path.Combine(Path.GetTempPath(), "nanolearning-tests", Guid.NewGuid().ToString("N"), "testkurs");
        Directory.CreateDirectory(Folder);
        Write("course.yml", courseYml);
        if (sourcesYml is not null)
        {
            WriteSources(sourcesYml);
        }
    }

    public string Folder { get; }

    /// <summary>The folder that holds the course folder, where the sources registry is.</summary>
    public string Root => Path.GetDirectoryName(Folder)!;

    public string SourcesFile => Path.Combine(Root, CourseCompiler.SourcesFileName);

    public TempCourse WriteSources(string text)
    {
        File.WriteAllText(SourcesFile, text);
        return this;
    }

    public TempCourse Write(string relativePath, string text) => Write(relativePath, System.Text.Encoding.UTF8.GetBytes(text));

    public TempCourse Write(string relativePath, byte[] bytes)
    {
        var path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return this;
    }

    public TempCourse Delete(string relativePath)
    {
        File.Delete(Path.Combine(Folder, relativePath));
        return this;
    }

    public CompileResult Compile(CompilerOptions? options = null) => new CourseCompiler(options, Repository.Clock).Compile(Folder);

    public static string Lesson(string body, string title = "Lektion", int minutes = 3, string extraFrontMatter = "") =>
        $"---\ntitle: {title}\nminutes: {minutes}\n{extraFrontMatter}---\n\n{body}";

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>A clock that always reads the same instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
