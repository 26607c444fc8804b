namespace Nanolearning.Courses.Tests;

/// <summary>
/// Each folder under Corpus/ is a broken (or doubtful) course with the exact lines <c>check</c> must print for it
/// in expected.txt, paths relative to the folder.
/// </summary>
public class CorpusTests
{
    public static TheoryData<string> Cases() =>
        [.. Directory.EnumerateDirectories(Repository.Corpus).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_reports_exactly_the_expected_diagnostics(string name)
    {
        var folder = Path.Combine(Repository.Corpus, name);
        var expected = File.ReadAllLines(Path.Combine(folder, "expected.txt")).Where(l => l.Length > 0);

        var results = new CourseCompiler(null, Repository.Clock).CompileAll(folder);

        var actual = results.SelectMany(r => r.Diagnostics).Select(d => Relative(folder, d));
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_course_with_errors_is_not_published_and_one_with_only_warnings_is(string name)
    {
        foreach (var result in new CourseCompiler(null, Repository.Clock).CompileAll(Path.Combine(Repository.Corpus, name)))
        {
            Assert.Equal(result.HasErrors, result.Course is null);
        }
    }

    [Fact]
    public void Every_diagnostic_the_compiler_knows_has_a_case_in_the_corpus_or_the_bad_input_registry_or_media_tests()
    {
        var seen = Directory.EnumerateDirectories(Repository.Corpus)
            .SelectMany(folder => new CourseCompiler(null, Repository.Clock).CompileAll(folder))
            .SelectMany(r => r.Diagnostics)
            .Select(d => d.Code)
            .Concat(BadInputTests.CodesCovered)
            .Concat(SourceRegistryTests.CodesCovered)
            .Concat(MediaFolderTests.CodesCovered)
            .ToHashSet();

        var missing = Enum.GetValues<DiagnosticCode>().Where(code => !seen.Contains(code));
        Assert.Empty(missing);
    }

    internal static string Relative(string folder, Diagnostic diagnostic) =>
        (diagnostic with { File = Path.GetRelativePath(folder, diagnostic.File).Replace('\\', '/') }).ToString();
}
