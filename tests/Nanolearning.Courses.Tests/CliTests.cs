using System.Diagnostics;

namespace Nanolearning.Courses.Tests;

/// <summary>The real <c>nanolearning</c> program, run as a process the way an author runs it.</summary>
public class CliTests
{
    private static (int ExitCode, string Output) Run(params string[] args)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "nanolearning.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(tool);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }

    [Fact]
    public void Check_passes_on_the_shipped_courses_and_prints_a_table_per_course()
    {
        var (exitCode, output) = Run("check", "--idag", "2026-12-02", Repository.Courses);

        Assert.Equal(0, exitCode);
        Assert.Contains("4 kurser, 0 fel, 0 varningar.", output);
        Assert.Matches(@"anhorigstrategin-for-politiker\s+5\s+15\s", output);
    }

    [Fact]
    public void Check_fails_with_located_errors_on_a_broken_course()
    {
        var folder = Path.Combine(Repository.Corpus, "quiz-no-correct-answer");

        var (exitCode, output) = Run("check", "--idag", "2026-12-02", folder);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{Path.Combine(folder, "01-lektion.md")}:11:1: error: Quizet har inget rätt svar.", output);
    }

    [Fact]
    public void Check_of_one_course_folder_finds_the_sources_registry_beside_it()
    {
        var (exitCode, output) = Run("check", "--idag", "2026-12-02", Path.Combine(Repository.Courses, "anhorigstrategin-for-politiker"));

        Assert.Equal(0, exitCode);
        Assert.Contains("1 kurs, 0 fel, 0 varningar.", output);
    }

    [Fact]
    public void An_error_in_sources_yml_is_printed_once_with_its_position_though_two_courses_depend_on_it()
    {
        using var course = new TempCourse("id: testkurs\ntitle: Testkurs\naudiences: [medarbetare]\nsummary: En kurs för test.\nreviewed: 2026-12-02\nreviewed_by: Test\n",
            TempCourse.DefaultSourcesYml + "\n  - id: nka-anhorigstrategin-folder\n    title: Samma id igen\n    publisher: Nka\n");
        var lesson = TempCourse.Lesson("Text om anhöriga.", extraFrontMatter: "sources:\n  - source: nka-anhorigstrategin-folder\n");
        course.Write("01-a.md", lesson).Write("../annan/course.yml", "id: annan\ntitle: Annan\naudiences: [medarbetare]\nsummary: En till.\nreviewed: 2026-12-02\nreviewed_by: Test\n")
            .Write("../annan/01-a.md", lesson);

        var (exitCode, output) = Run("check", "--idag", "2026-12-02", course.Root);

        Assert.Equal(1, exitCode);
        var line = $"{course.SourcesFile}:6:9: error: Källan 'nka-anhorigstrategin-folder' finns redan i sources.yml. Ge varje källa ett eget id.";
        Assert.Single(output.Split('\n'), l => l == line);
        Assert.Contains("2 kurser, 1 fel, 0 varningar.", output);
    }

    [Fact]
    public void Compile_writes_one_json_file_per_course()
    {
        var outDir = Path.Combine(Path.GetTempPath(), "nanolearning-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var (exitCode, _) = Run("compile", Repository.Courses, "--out", outDir);

            Assert.Equal(0, exitCode);
            var course = CourseJson.Deserialize(File.ReadAllText(Path.Combine(outDir, "anhorigperspektiv-introduktion.json")));
            Assert.Equal("anhorigperspektiv-introduktion", course.Id);
            Assert.Equal(4, Directory.GetFiles(outDir, "*.json").Length);
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public void A_folder_that_does_not_exist_is_a_usage_error() =>
        Assert.Equal(2, Run("check", "--idag", "2026-12-02", "/finns/inte").ExitCode);
}

