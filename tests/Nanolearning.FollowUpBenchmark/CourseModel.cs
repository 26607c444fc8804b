using Nanolearning.Courses;

namespace Nanolearning.FollowUpBenchmark;

/// <summary>What the generator needs of a compiled course, worked out once: each question's right and wrong responses
/// (as the app stores them) and how likely a learner gets it right the first time.</summary>
internal sealed class CourseModel
{
    private static readonly string[] Reflections =
    [
        "Jag tar med mig det till nästa APT.",
        "Jag vill fråga mer om anhörigas behov.",
        "Vi kan bli bättre på att fråga hur den anhöriga själv mår.",
        "Jag tänker på en familj jag mötte förra veckan.",
        "Bra att veta var anhörigkonsulenten finns.",
    ];

    public CourseModel(CompiledCourse course, Random difficulty)
    {
        Course = course;
        Lessons = [.. course.Lessons.Select(l => new LessonModel(l, [.. l.Questions.Select(q => QuestionModel.Of(q, difficulty))]))];
        Quiz = Lessons.FirstOrDefault(l => l.Lesson.IsFinalQuiz);
        // A refresher carries over every unchanged ordinary lesson (none changes here); without a final quiz, all but the last.
        var carried = Lessons.Where(l => !l.Lesson.IsFinalQuiz).ToList();
        if (carried.Count == Lessons.Length)
        {
            carried.RemoveAt(carried.Count - 1);
        }

        CarriedOver = [.. carried];
        RefresherLessons = [.. Lessons.Except(carried)];
        Minutes = Math.Max(1, course.Minutes);
    }

    public CompiledCourse Course { get; }

    public string Id => Course.Id;

    public LessonModel[] Lessons { get; }

    public LessonModel? Quiz { get; }

    public LessonModel[] CarriedOver { get; }

    public LessonModel[] RefresherLessons { get; }

    public int Minutes { get; }

    public int PassThreshold => Course.PassThreshold ?? 100;

    public static string Reflection(Random random) => Reflections[random.Next(Reflections.Length)];
}

internal sealed record LessonModel(Lesson Lesson, QuestionModel[] Questions)
{
    public string Id => Lesson.Id;

    public int GradableCount { get; } = Questions.Count(q => q.IsGradable);
}

/// <summary>A question's responses as <c>Answer.Response</c> holds them: option ids in order, joined with commas.</summary>
internal sealed record QuestionModel(string Id, bool IsGradable, string Right, string[] Wrong, double FirstTry)
{
    public static QuestionModel Of(Question question, Random difficulty)
    {
        // Most questions are answered right the first time by 50–95 %; one in six is hard (30–60 %).
        var firstTry = difficulty.NextDouble() < 1.0 / 6 ? 0.3 + 0.3 * difficulty.NextDouble() : 0.5 + 0.45 * difficulty.NextDouble();
        if (!question.IsGradable)
        {
            return new QuestionModel(question.Id, false, "", [], firstTry);
        }

        var right = question.CorrectOptionIds.Order(StringComparer.Ordinal).ToList();
        var wrongOptions = question.Options.Where(o => !o.IsCorrect).Select(o => o.Id).ToList();
        var wrong = new List<string>(wrongOptions);
        if (question.Kind == QuestionKind.MultipleChoice)
        {
            if (right.Count > 1)
            {
                wrong.Add(Join(right.SkipLast(1)));
            }

            if (wrongOptions.Count > 0)
            {
                wrong.Add(Join(right.Append(wrongOptions[0])));
            }
        }

        return new QuestionModel(question.Id, true, Join(right), wrong.Count > 0 ? [.. wrong] : [""], firstTry);
    }

    private static string Join(IEnumerable<string> options) => string.Join(',', options.Order(StringComparer.Ordinal));
}
