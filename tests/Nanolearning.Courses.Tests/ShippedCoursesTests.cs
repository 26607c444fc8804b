using YamlDotNet.RepresentationModel;

namespace Nanolearning.Courses.Tests;

/// <summary>The courses in courses/ are the product: they must compile cleanly and cite documents a reader can find.</summary>
public class ShippedCoursesTests
{
    private static readonly CompileResult[] Results = [.. new CourseCompiler(null, Repository.Clock).CompileAll(Repository.Courses)];

    public static TheoryData<string> CourseIds() =>
        ["anhorigperspektiv-introduktion", "anhorigstrategin-for-politiker", "leda-med-anhorigperspektiv", "anhorigperspektiv-i-handlaggning"];

    private static CompiledCourse Course(string id)
    {
        var result = Assert.Single(Results, r => r.Report.Name == id);
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
        return result.Course!;
    }

    [Theory]
    [MemberData(nameof(CourseIds))]
    public void The_course_compiles_without_errors_or_warnings(string id) => Assert.NotNull(Course(id));

    [Theory]
    [MemberData(nameof(CourseIds))]
    public void Every_lesson_cites_a_source_that_the_registry_describes(string id)
    {
        var course = Course(id);
        var registry = ReadRegistry();

        foreach (var lesson in course.Lessons)
        {
            Assert.True(lesson.Sources.Length > 0, $"{id}/{lesson.Id} cites no source");
            foreach (var reference in lesson.Sources)
            {
                Assert.True(registry.TryGetValue(reference.SourceId, out var entry), $"{id}/{lesson.Id} cites '{reference.SourceId}', which is not in sources.yml");
                Assert.False(string.IsNullOrWhiteSpace(entry.GetValueOrDefault("title")), $"{reference.SourceId} has no title");
                Assert.False(string.IsNullOrWhiteSpace(entry.GetValueOrDefault("publisher")), $"{reference.SourceId} has no publisher");
                // A year is left out only when the document gives none, and the entry's notes say so.
                Assert.True(
                    int.TryParse(entry.GetValueOrDefault("year"), out _) || entry.GetValueOrDefault("notes", "").Contains("inget utgivningsår", StringComparison.Ordinal),
                    $"{reference.SourceId} has no year, and its notes do not say that the document gives none");
                Assert.True(Uri.TryCreate(entry.GetValueOrDefault("url"), UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps,
                    $"{reference.SourceId} has no https url");
            }
        }

        // The compiled course carries what the registry says about each cited source, once, in order of first citation.
        var cited = course.Lessons.SelectMany(l => l.Sources).Select(r => r.SourceId).Distinct();
        Assert.Equal(cited, course.Sources.Select(s => s.Id));
        Assert.All(course.Sources, s => Assert.Equal(
            (registry[s.Id]["title"], registry[s.Id]["publisher"], registry[s.Id]["url"]), (s.Title, s.Publisher, s.Url)));
    }

    [Theory]
    [MemberData(nameof(CourseIds))]
    public void Every_quiz_has_a_right_answer_and_an_explanation(string id)
    {
        foreach (var question in Course(id).Lessons.SelectMany(l => l.Questions).Where(q => q.IsGradable))
        {
            Assert.Contains(question.Options, o => o.IsCorrect);
            Assert.Contains(question.Options, o => !o.IsCorrect);
            Assert.False(string.IsNullOrWhiteSpace(question.ExplanationHtml), question.Id);
        }
    }

    [Theory]
    [MemberData(nameof(CourseIds))]
    public void Every_quiz_names_the_source_of_its_right_answer_among_the_lessons_sources(string id)
    {
        foreach (var lesson in Course(id).Lessons)
        {
            var cited = lesson.Sources.Select(s => s.SourceId).ToHashSet();
            foreach (var question in lesson.Questions.Where(q => q.IsGradable))
            {
                Assert.False(question.SourceId is null, $"{id}/{question.Id} names no source");
                Assert.True(cited.Contains(question.SourceId!), $"{id}/{question.Id} names '{question.SourceId}', which the lesson does not cite");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CourseIds))]
    public void The_course_fits_its_audiences_time_budget(string id)
    {
        var course = Course(id);
        foreach (var audience in course.Audiences)
        {
            Assert.True(course.Minutes <= CompilerOptions.Default.AudienceBudgets[audience],
                $"{id} takes {course.Minutes} minutes; {audience} has {CompilerOptions.Default.AudienceBudgets[audience]}");
        }
    }

    [Theory]
    [MemberData(nameof(CourseIds))]
    public void The_course_ends_with_a_graded_quiz_and_carries_apt_discussion_material(string id)
    {
        var course = Course(id);

        Assert.True(course.Lessons[^1].IsFinalQuiz);
        Assert.NotNull(course.PassThreshold);
        Assert.NotEmpty(course.Discussions);
        Assert.All(course.Lessons.Where(l => !l.IsFinalQuiz), l => Assert.Contains(l.Questions, q => q.IsGradable));
    }

    [Fact]
    public void The_politicians_course_takes_at_most_15_minutes() =>
        Assert.InRange(Course("anhorigstrategin-for-politiker").Minutes, 1, 15);

    /// <summary>courses/sources.yml read as plain YAML, without the compiler, so the test does not trust what it checks.</summary>
    private static Dictionary<string, Dictionary<string, string>> ReadRegistry()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Repository.Sources)));
        var entries = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["sources"];
        return entries.Cast<YamlMappingNode>().ToDictionary(
            e => ((YamlScalarNode)e["id"]).Value!,
            e => e.Children.ToDictionary(f => ((YamlScalarNode)f.Key).Value!, f => ((YamlScalarNode)f.Value).Value!));
    }
}
