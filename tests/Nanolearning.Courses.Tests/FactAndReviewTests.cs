using Nanolearning.Courses.Facts;

namespace Nanolearning.Courses.Tests;

/// <summary>The kommun's facts in lesson text, and the review date in course.yml.</summary>
public class FactAndReviewTests
{
    [Fact]
    public void A_fact_becomes_its_slot_with_the_placeholder_even_beside_raw_html_that_is_sanitized()
    {
        using var course = new TempCourse();
        course.Write("01-stod.md", TempCourse.Lesson("Ring <b>anhörigstödet</b> på {{anhorigstod.telefon}}.<script>x()</script>\n"));

        var result = course.Compile();

        var html = Assert.Single(result.Course!.Lessons.Single().Parts.OfType<HtmlPart>()).Html;
        Assert.True(html.Contains(KommunFacts.Slot(KommunFacts.SupportPhone), StringComparison.Ordinal), html);
        Assert.Contains("[anhörigstödets telefonnummer – kommunen har inte fyllt i det än]", html);
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public void A_fact_in_a_code_span_stays_text()
    {
        using var course = new TempCourse();
        course.Write("01-kod.md", TempCourse.Lesson("Skriv `{{kommun.namn}}` i lektionen.\n"));

        var result = course.Compile();

        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Contains("<code>{{kommun.namn}}</code>", result.Course!.Lessons.Single().Parts.OfType<HtmlPart>().Single().Html);
    }

    [Fact]
    public void The_version_does_not_change_with_the_review_date_alone()
    {
        using var course = new TempCourse();
        course.Write("01-text.md", TempCourse.Lesson("Anhöriga finns överallt.\n"));
        var before = course.Compile().Course!;

        course.Write("course.yml", TempCourse.DefaultCourseYml.Replace("2026-12-02", "2026-11-01").Replace("Testredaktionen", "Anhörigstödet"));
        var after = course.Compile().Course!;

        Assert.Equal(before.Version, after.Version);
        Assert.Equal(new CourseReview(new DateOnly(2026, 11, 1), "Anhörigstödet"), after.Review);
    }

    [Theory]
    [InlineData("2025-12-02", false)]
    [InlineData("2025-12-01", true)]
    public void A_review_older_than_twelve_months_on_the_clock_warns(string reviewed, bool warns)
    {
        using var course = new TempCourse(TempCourse.DefaultCourseYml.Replace("2026-12-02", reviewed));
        course.Write("01-text.md", TempCourse.Lesson("Anhöriga finns överallt.\n"));

        var result = course.Compile();

        Assert.Equal(warns, result.Diagnostics.Any(d => d.Code == DiagnosticCode.ReviewOutdated));
        Assert.NotNull(result.Course);
    }

    [Fact]
    public void A_review_date_that_is_not_a_date_is_an_error_at_the_value()
    {
        using var course = new TempCourse(TempCourse.DefaultCourseYml.Replace("2026-12-02", "december 2026"));
        course.Write("01-text.md", TempCourse.Lesson("Anhöriga finns överallt.\n"));

        var diagnostic = Assert.Single(course.Compile().Diagnostics, d => d.Code != DiagnosticCode.PassThresholdWithoutFinalQuiz);

        Assert.Equal("course.yml:6:11: error: Fältet 'reviewed' ska vara ett datum på formen 2026-12-02.", CorpusTests.Relative(course.Folder, diagnostic));
    }
}
