namespace Nanolearning.Courses.Tests;

/// <summary>The courses in courses/ are the product: they must compile cleanly and stay traceable to the seeds.</summary>
public class ShippedCoursesTests
{
    private static readonly CompileResult[] Results = [.. new CourseCompiler().CompileAll(Repository.Courses)];

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
    public void Every_lesson_names_a_seed_document_that_exists(string id)
    {
        var course = Course(id);
        Assert.True(Directory.Exists(Repository.Seeds), $"Seed documents not found at {Repository.Seeds}");

        foreach (var lesson in course.Lessons)
        {
            Assert.NotEmpty(lesson.Sources);
            foreach (var reference in lesson.Sources)
            {
                var source = Assert.Single(course.Sources, s => s.Id == reference.SourceId);
                Assert.NotNull(source.Document);
                Assert.True(File.Exists(Path.Combine(Repository.Seeds, source.Document + ".txt")),
                    $"{id}/{lesson.Id}: the source '{source.Id}' names '{source.Document}', which is not a seed document");
            }
        }
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
}
