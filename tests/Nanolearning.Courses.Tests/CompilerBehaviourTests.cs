namespace Nanolearning.Courses.Tests;

public class CompilerBehaviourTests
{
    private const string Quiz = """
        Text om anhöriga.

        ::: quiz
        Vem är anhörig?

        - [ ] Bara den som är gift
        - [x] Den hemliga rätta raden
        - [ ] Bara den som bor ihop

        > Stödet avgör.
        :::
        """;

    [Fact]
    public void The_right_answer_is_data_and_never_part_of_the_lesson_html()
    {
        using var course = new TempCourse();
        course.Write("01-fraga.md", TempCourse.Lesson(Quiz));

        var lesson = course.Compile().Course!.Lessons.Single();

        var question = Assert.Single(lesson.Questions);
        Assert.Equal(QuestionKind.SingleChoice, question.Kind);
        Assert.Equal(["b"], question.CorrectOptionIds);
        Assert.DoesNotContain(lesson.Parts.OfType<HtmlPart>(), p => p.Html.Contains("hemliga") || p.Html.Contains("checkbox"));
    }

    [Fact]
    public void A_multiple_choice_answer_is_right_only_with_all_right_options_and_no_wrong_one()
    {
        using var course = new TempCourse();
        course.Write("01-flerval.md", TempCourse.Lesson("::: quiz\nVälj?\n\n- [x] a\n- [ ] b\n- [x] c\n\n> Därför.\n:::\n"));

        var question = course.Compile().Course!.Lessons.Single().Questions.Single();

        Assert.Equal(QuestionKind.MultipleChoice, question.Kind);
        Assert.True(question.IsCorrect(["c", "a"]));
        Assert.False(question.IsCorrect(["a"]));
        Assert.False(question.IsCorrect(["a", "b", "c"]));
    }

    [Fact]
    public void The_same_content_compiles_to_the_same_version()
    {
        using var course = new TempCourse();
        course.Write("01-fraga.md", TempCourse.Lesson(Quiz)).Write("02-mer.md", TempCourse.Lesson("Mer text."));

        Assert.Equal(course.Compile().Course!.Version, course.Compile().Course!.Version);
    }

    [Fact]
    public void Editing_one_lesson_changes_its_hash_and_the_course_version_but_not_the_other_lessons()
    {
        using var course = new TempCourse();
        course.Write("01-fraga.md", TempCourse.Lesson(Quiz)).Write("02-mer.md", TempCourse.Lesson("Mer text."));
        var before = course.Compile().Course!;

        course.Write("02-mer.md", TempCourse.Lesson("Ändrad text."));
        var after = course.Compile().Course!;

        Assert.NotEqual(before.Version, after.Version);
        Assert.Equal(before.Lessons[0].ContentHash, after.Lessons[0].ContentHash);
        Assert.NotEqual(before.Lessons[1].ContentHash, after.Lessons[1].ContentHash);
    }

    [Fact]
    public void Changing_only_the_declared_minutes_does_not_change_what_the_learner_must_retake()
    {
        using var course = new TempCourse();
        course.Write("01-fraga.md", TempCourse.Lesson(Quiz, minutes: 2));
        var before = course.Compile().Course!.Lessons[0].ContentHash;

        course.Write("01-fraga.md", TempCourse.Lesson(Quiz, minutes: 3));

        Assert.Equal(before, course.Compile().Course!.Lessons[0].ContentHash);
    }

    [Fact]
    public void A_link_to_another_lesson_file_becomes_a_link_to_that_lesson()
    {
        using var course = new TempCourse();
        course.Write("01-forsta.md", TempCourse.Lesson("Läs [om sekretess](02-sekretess.md#lyssna)."))
              .Write("02-sekretess.md", TempCourse.Lesson("Sekretess."));

        var html = course.Compile().Course!.Lessons[0].Parts.OfType<HtmlPart>().Single().Html;

        Assert.Contains("href=\"sekretess#lyssna\"", html);
    }

    [Fact]
    public void Discussion_blocks_go_to_apt_material_and_not_into_the_lesson()
    {
        using var course = new TempCourse();
        course.Write("01-apt.md", TempCourse.Lesson("Text.\n\n::: diskussion Case: Eva\nVad gör ni när Eva ringer?\n:::\n"));

        var compiled = course.Compile().Course!;

        var discussion = Assert.Single(compiled.Discussions);
        Assert.Equal(("apt", "Case: Eva"), (discussion.LessonId, discussion.Title));
        Assert.Contains("Eva ringer", discussion.Html);
        Assert.DoesNotContain(compiled.Lessons[0].Parts.OfType<HtmlPart>(), p => p.Html.Contains("Eva"));
    }

    [Fact]
    public void Lix_follows_its_definition()
    {
        // 9 words, 2 sentences, 4 words over six letters (Anhöriga, stödjer, närstående, viktigt): 9/2 + 100*4/9 = 48.9.
        using var course = new TempCourse();
        course.Write("01-lix.md", TempCourse.Lesson("Anhöriga stödjer sina närstående. Det är ett viktigt arbete."));

        var statistics = course.Compile().Course!.Lessons[0].Statistics;

        Assert.Equal((9, 2, 4, 48.9), (statistics.Words, statistics.Sentences, statistics.LongWords, statistics.Lix));
    }

    [Fact]
    public void Compiled_json_reads_back_to_the_same_course()
    {
        using var course = new TempCourse();
        course.Write("01-fraga.md", TempCourse.Lesson(Quiz)).Write("media/bild.png", [1, 2, 3]);
        var compiled = course.Compile().Course!;

        var json = CourseJson.Serialize(compiled);
        var read = CourseJson.Deserialize(json);

        Assert.Equal(json, CourseJson.Serialize(read));
        Assert.Equal("media/bild.png", read.Media.Single().Path);
        Assert.Equal(["b"], read.Lessons[0].Questions.Single().CorrectOptionIds);
    }

    [Fact]
    public void Lessons_compiled_in_parallel_give_the_same_course_as_one_at_a_time()
    {
        using var course = new TempCourse();
        for (var n = 1; n <= 40; n++)
        {
            course.Write($"{n:00}-lektion-{n}.md", TempCourse.Lesson(Quiz + $"\n\nLektion {n} [nästa](0{n % 9 + 1}-lektion-{n % 9 + 1}.md).", $"Lektion {n}"));
        }

        var oneAtATime = course.Compile(new CompilerOptions { MaxDegreeOfParallelism = 1 });
        var parallel = course.Compile(new CompilerOptions { MaxDegreeOfParallelism = 4 });

        Assert.NotNull(oneAtATime.Course);
        Assert.Equal(CourseJson.Serialize(oneAtATime.Course!), CourseJson.Serialize(parallel.Course!));
        Assert.Equal(oneAtATime.Report.Lessons.Select(l => l.File), parallel.Report.Lessons.Select(l => l.File));
    }

    [Fact]
    public void Diagnostics_of_lessons_compiled_in_parallel_come_in_the_same_order_as_one_at_a_time()
    {
        using var course = new TempCourse();
        for (var n = 1; n <= 40; n++)
        {
            // Two diagnostics at the same position (no alt text, missing image), one from the front matter, and one
            // from the course-level checks (an unknown source) for every lesson.
            course.Write($"{n:00}-lektion-{n}.md", TempCourse.Lesson($"Text {n}. ![](media/saknas-{n}.png)", $"Lektion {n}",
                extraFrontMatter: $"farg: bla\nsources:\n  - source: okand-{n}\n"));
        }

        var oneAtATime = course.Compile(new CompilerOptions { MaxDegreeOfParallelism = 1 }).Diagnostics;
        var parallel = course.Compile(new CompilerOptions { MaxDegreeOfParallelism = 4 }).Diagnostics;

        Assert.Equal(4 * 40, oneAtATime.Count(d => d.File.EndsWith(".md", StringComparison.Ordinal)));
        Assert.Equal(oneAtATime.Select(d => d.ToString()), parallel.Select(d => d.ToString()));
    }
}
