namespace Nanolearning.Courses.Tests;

/// <summary>Paths in the repository, found from the test binaries.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Courses => Path.Combine(Root, "courses");
    public static string Corpus => Path.Combine(Root, "tests", "Nanolearning.Courses.Tests", "Corpus");
    public static string CourseFormatDoc => Path.Combine(Root, "docs", "course-format.md");

    /// <summary>The seed documents live beside the repository, in shared/.</summary>
    public static string Seeds => Path.GetFullPath(Path.Combine(Root, "..", "shared", "seeds"));

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

/// <summary>A course folder in a temporary directory, deleted after the test.</summary>
internal sealed class TempCourse : IDisposable
{
    public const string DefaultCourseYml = """
        id: testkurs
        title: Testkurs
        audiences: [medarbetare]
        summary: En kurs för test.
        pass_threshold: 80
        sources:
          - id: folder
            title: Folder om anhörigstrategin
            document: nka-folder-nationella-anhorigstrategin
        """;

    public TempCourse(string courseYml = DefaultCourseYml)
    {
        Folder = Path.Combine(Path.GetTempPath(), "nanolearning-tests", Guid.NewGuid().ToString("N"), "testkurs");
        Directory.CreateDirectory(Folder);
        Write("course.yml", courseYml);
    }

    public string Folder { get; }

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

    public CompileResult Compile(CompilerOptions? options = null) => new CourseCompiler(options).Compile(Folder);

    public static string Lesson(string body, string title = "Lektion", int minutes = 3, string extraFrontMatter = "") =>
        $"---\ntitle: {title}\nminutes: {minutes}\n{extraFrontMatter}---\n\n{body}";

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Folder)!, recursive: true);
}
