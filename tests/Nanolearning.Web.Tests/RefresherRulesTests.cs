using Nanolearning.Courses;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Features.Xapi;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The refresher rules on the enrolment itself, without HTTP or a database: courses compiled from a private copy of
/// the introduction, edited the way an author would, so lessons get new content hashes.
/// </summary>
public sealed class RefresherRulesTests : IDisposable
{
    private const int LearnerId = 7;

    private static readonly DateTime LastYear = new(2025, 9, 10, 8, 0, 0, DateTimeKind.Utc);

    private static readonly DateTime Now = new(2026, 9, 14, 7, 30, 0, DateTimeKind.Utc);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "nanolearning-refresher-tests", Guid.NewGuid().ToString("N"));

    private readonly string _folder;

    public RefresherRulesTests()
    {
        _folder = Path.Combine(_root, DemoSeeder.IntroductionCourse);
        var courses = Path.Combine(Repository.Root, "courses");
        Directory.CreateDirectory(_folder);
        foreach (var file in Directory.GetFiles(Path.Combine(courses, DemoSeeder.IntroductionCourse)))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }

        // The lessons cite the sources registry, which sits beside the course folders.
        File.Copy(Path.Combine(courses, CourseCompiler.SourcesFileName), Path.Combine(_root, CourseCompiler.SourcesFileName));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void An_unchanged_course_asks_only_for_the_final_quiz()
    {
        var course = Compile();
        var refresher = Enrolment.Start(LearnerId, course, Now, CompletedAt(course, LastYear));

        Assert.Equal([course.FinalQuiz!.Id], refresher.RemainingLessons(course).Select(l => l.Id));
        Assert.Equal(course.FinalQuiz!.Id, refresher.CurrentLessonId);
        Assert.All(course.Lessons.Where(l => !l.IsFinalQuiz), l => Assert.True(refresher.IsCarriedOver(l)));
        Assert.Equal("bara repetitionsprovet", Refresher.Plan(CompletedAt(course, LastYear), course).Asks());
    }

    [Fact]
    public void A_changed_lesson_is_asked_with_the_final_quiz_and_the_rest_carries_over()
    {
        var before = Compile();
        var completed = CompletedAt(before, LastYear);
        Append("02-", "Den här meningen är ny i år.");
        var after = Compile();
        var changed = after.Lessons[1];
        Assert.NotEqual(before.Lessons[1].ContentHash, changed.ContentHash);

        var plan = Refresher.Plan(completed, after);
        Assert.Equal([changed.Id], plan.Changed.Select(l => l.Id));
        Assert.Empty(plan.Added);
        Assert.Equal("1 ändrad lektion och slutprovet", plan.Asks());
        Assert.Equal(changed.Minutes + after.FinalQuiz!.Minutes, plan.Minutes);

        var refresher = Enrolment.Start(LearnerId, after, Now, completed);
        Assert.Equal([changed.Id, after.FinalQuiz!.Id], refresher.RemainingLessons(after).Select(l => l.Id));
        Assert.Equal(changed.Id, refresher.CurrentLessonId);
        Assert.Equal(after.Lessons.Length - 2, refresher.CompletedLessons.Count(c => c.CarriedOver));
    }

    [Fact]
    public void After_the_changed_lesson_the_learner_goes_on_to_the_next_lesson_still_to_do()
    {
        var before = Compile();
        var completed = CompletedAt(before, LastYear);
        Append("02-", "Den här meningen är ny i år.");
        var after = Compile();
        var refresher = Enrolment.Start(LearnerId, after, Now, completed);

        Assert.Equal(after.FinalQuiz!.Id, refresher.NextAskedAfter(after, after.Lessons[1])?.Id);
        Assert.Equal(after.Lessons[1].Id, refresher.PreviousAskedBefore(after, after.FinalQuiz!)?.Id);
        refresher.CompleteLesson(after, after.Lessons[1], Now.AddMinutes(3));

        Assert.Equal(after.FinalQuiz!.Id, refresher.CurrentLessonId);
        Assert.False(refresher.IsCompleted);
    }

    [Fact]
    public void Carried_over_lessons_emit_no_experienced_event_and_passing_the_quiz_completes_the_course()
    {
        var course = Compile();
        var refresher = Enrolment.Start(LearnerId, course, Now, CompletedAt(course, LastYear));
        Assert.Equal([LearningVerb.Launched], refresher.Events.Select(e => e.Verb));

        PassFinalQuiz(refresher, course, Now.AddMinutes(4));

        Assert.True(refresher.IsCompleted);
        Assert.Equal(
            [LearningVerb.Launched, LearningVerb.Passed, LearningVerb.Experienced, LearningVerb.Completed],
            refresher.Events.Select(e => e.Verb));
        Assert.Equal(course.FinalQuiz!.Id, refresher.Events.Single(e => e.Verb == LearningVerb.Experienced).LessonId);
    }

    [Fact]
    public void Reading_a_carried_over_lesson_again_records_nothing_new()
    {
        var before = Compile();
        var completed = CompletedAt(before, LastYear);
        Append("04-", "Ett nytt exempel.");
        var after = Compile();
        var refresher = Enrolment.Start(LearnerId, after, Now, completed);
        var completions = refresher.CompletedLessons.Count;

        refresher.CompleteLesson(after, after.Lessons[0], Now.AddMinutes(1));

        Assert.Equal(completions, refresher.CompletedLessons.Count);
        Assert.Equal([LearningVerb.Launched], refresher.Events.Select(e => e.Verb));
        Assert.Equal(after.Lessons[3].Id, refresher.CurrentLessonId);
    }

    [Fact]
    public void An_added_lesson_is_asked_with_the_final_quiz()
    {
        var before = Compile();
        var completed = CompletedAt(before, LastYear);
        var first = Directory.GetFiles(_folder, "01-*.md").Single();
        File.WriteAllText(Path.Combine(_folder, "00-nytt-i-ar.md"),
            File.ReadAllText(first).Replace("title: Anhörig och närstående", "title: Nytt i år"));
        var after = Compile();
        var added = after.Lessons.Single(l => l.Id == "nytt-i-ar");

        var plan = Refresher.Plan(completed, after);
        Assert.Equal([added.Id], plan.Added.Select(l => l.Id));
        Assert.Empty(plan.Changed);
        Assert.Equal("1 ny lektion och slutprovet", plan.Asks());
        Assert.Equal([added.Id, after.FinalQuiz!.Id], Enrolment.Start(LearnerId, after, Now, completed).RemainingLessons(after).Select(l => l.Id));
    }

    [Fact]
    public void A_course_without_a_final_quiz_and_without_changes_asks_for_its_last_lesson()
    {
        File.Delete(Directory.GetFiles(_folder, "06-*.md").Single());
        var course = Compile();
        Assert.Null(course.FinalQuiz);
        var refresher = Enrolment.Start(LearnerId, course, Now, CompletedAt(course, LastYear));

        Assert.Equal([course.Lessons[^1].Id], refresher.RemainingLessons(course).Select(l => l.Id));
        Assert.Equal("bara den sista lektionen", Refresher.Plan(CompletedAt(course, LastYear), course).Asks());
        refresher.CompleteLesson(course, course.Lessons[^1], Now.AddMinutes(3));
        Assert.True(refresher.IsCompleted);
        Assert.Equal(LearningVerb.Completed, refresher.Events[^1].Verb);
    }

    [Fact]
    public void The_next_refresher_compares_with_the_content_read_not_with_when_it_was_carried_over()
    {
        var first = Compile();
        var completed = CompletedAt(first, LastYear);
        Append("02-", "Ändrat förra året.");
        var second = Compile();
        var refresher = Enrolment.Start(LearnerId, second, Now, completed);
        refresher.CompleteLesson(second, second.Lessons[1], Now.AddMinutes(3));
        PassFinalQuiz(refresher, second, Now.AddMinutes(6));

        Append("03-", "Ändrat i år.");
        var third = Compile();
        var plan = Refresher.Plan(refresher, third);

        Assert.Equal([third.Lessons[2].Id], plan.Changed.Select(l => l.Id));
    }

    [Fact]
    public void A_completion_counts_for_an_assignment_from_the_start_of_its_first_day_in_Swedish_time()
    {
        var assignment = new Assignment { CourseId = "kurs", OpensOn = new DateOnly(2026, 3, 1), DueOn = new DateOnly(2026, 3, 31), Origin = "test" };

        // Midnight on 1 March in Stockholm (UTC+1) is 23:00 UTC on 28 February.
        Assert.True(assignment.IsMetBy(new DateTime(2026, 2, 28, 23, 0, 0, DateTimeKind.Utc)));
        Assert.False(assignment.IsMetBy(new DateTime(2026, 2, 28, 22, 59, 0, DateTimeKind.Utc)));
        Assert.False(assignment.IsMetBy(null));
    }

    [Fact]
    public void An_assignment_without_a_window_start_takes_any_completion()
    {
        var assignment = new Assignment { CourseId = "kurs", DueOn = new DateOnly(2026, 3, 31), Origin = "Demo" };

        Assert.True(assignment.IsMetBy(new DateTime(2016, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        Assert.False(assignment.IsMetBy(null));
    }

    private CompiledCourse Compile()
    {
        var result = new CourseCompiler().Compile(_folder);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Course!;
    }

    private void Append(string filePrefix, string sentence) =>
        File.AppendAllText(Directory.GetFiles(_folder, filePrefix + "*.md").Single(), $"\n{sentence}\n");

    private static Enrolment CompletedAt(CompiledCourse course, DateTime at) => AppFixture.Completed(LearnerId, course, at);

    private static void PassFinalQuiz(Enrolment enrolment, CompiledCourse course, DateTime at)
    {
        var quiz = course.FinalQuiz!;
        var responses = quiz.Questions.ToDictionary(q => q.Id, q => new Response([.. q.CorrectOptionIds], q.IsGradable ? null : "Svar."));
        Assert.True(enrolment.SubmitFinalQuiz(course, quiz, responses, Guid.NewGuid(), at).Passed);
    }
}
