namespace Nanolearning.FollowUpBenchmark;

/// <summary>
/// One enrolment with its progress rows, built up the way <c>Enrolment</c> records them in the app: practice answers
/// and a completion per lesson, graded final-quiz attempts until one passes, and for a refresher the carried-over
/// lessons. Written out once it is finished (a later window may complete an enrolment left open in an earlier one).
/// </summary>
internal sealed class GeneratedEnrolment
{
    private readonly LessonModel[] _asked;
    private int _next;

    public GeneratedEnrolment(Guid id, int learnerId, CourseModel course, DateTime startedAt, bool refresher)
    {
        Id = id;
        LearnerId = learnerId;
        Course = course;
        StartedAt = startedAt;
        LastActivity = startedAt;
        _asked = refresher ? course.RefresherLessons : course.Lessons;
        if (refresher)
        {
            Lessons.AddRange(course.CarriedOver.Select(l => new LessonDone(l, startedAt, CarriedOver: true)));
        }
    }

    public Guid Id { get; }

    public int LearnerId { get; }

    public CourseModel Course { get; }

    public DateTime StartedAt { get; }

    public DateTime? CompletedAt { get; private set; }

    public DateTime LastActivity { get; private set; }

    public int? BestScore { get; private set; }

    /// <summary>Where the learner resumes: the next lesson asked for, or the last one once the course is done.</summary>
    public string CurrentLessonId => _asked[Math.Min(_next, _asked.Length - 1)].Id;

    /// <summary>Lessons asked for that are not done yet.</summary>
    public int Remaining => _asked.Length - _next;

    public List<LessonDone> Lessons { get; } = [];

    public List<AnswerRow> Answers { get; } = [];

    public List<AttemptRow> Attempts { get; } = [];

    /// <summary>Does the next asked lesson at <paramref name="at"/>: its check questions, or the final quiz until it passes.</summary>
    public void TakeNextLesson(DateTime at, Random random, Func<int> attemptIds, Func<Guid> guids)
    {
        var lesson = _asked[_next];
        if (lesson.Lesson.IsFinalQuiz)
        {
            // Quiz attempts a few minutes apart, the passing one at `at`.
            var attempts = new List<(bool[] Right, bool Passed)>();
            do
            {
                attempts.Add(Grade(lesson, Attempts.Count + attempts.Count + 1, random, forceRight: attempts.Count == 3));
            }
            while (!attempts[^1].Passed);

            for (var i = 0; i < attempts.Count; i++)
            {
                Attempt(lesson, attempts[i].Right, at.AddMinutes(-4 * (attempts.Count - 1 - i)), random, attemptIds(), guids());
            }
        }
        else
        {
            foreach (var question in lesson.Questions)
            {
                if (!question.IsGradable)
                {
                    Answers.Add(new AnswerRow(Id, lesson.Id, question.Id, CourseModel.Reflection(random), null, guids(), null, at.AddMinutes(-1)));
                    continue;
                }

                var right = random.NextDouble() < question.FirstTry;
                Answers.Add(new AnswerRow(Id, lesson.Id, question.Id, right ? question.Right : Pick(question.Wrong, random), right, guids(), null, at.AddMinutes(-2)));
                if (!right && random.NextDouble() < 0.7)
                {
                    var second = random.NextDouble() < 0.85;
                    Answers.Add(new AnswerRow(Id, lesson.Id, question.Id, second ? question.Right : Pick(question.Wrong, random), second, guids(), null, at.AddMinutes(-1)));
                }
            }
        }

        Lessons.Add(new LessonDone(lesson, at, CarriedOver: false));
        LastActivity = at;
        _next++;
        if (_next == _asked.Length)
        {
            CompletedAt = at;
        }
    }

    /// <summary>Fails the final quiz (it must be the next lesson) once at <paramref name="at"/>.</summary>
    public void FailQuiz(DateTime at, Random random, int attemptId, Guid submission)
    {
        var lesson = _asked[_next];
        var (right, _) = Grade(lesson, Attempts.Count + 1, random, forceRight: false);
        // Below the pass mark: turn right answers wrong until the score fails.
        while (Score(right) >= Course.PassThreshold && right.Contains(true))
        {
            right[Array.IndexOf(right, true)] = false;
        }

        Attempt(lesson, right, at, random, attemptId, submission);
        LastActivity = at;
    }

    public bool NextIsQuiz => _next < _asked.Length && _asked[_next].Lesson.IsFinalQuiz;

    private (bool[] Right, bool Passed) Grade(LessonModel quiz, int number, Random random, bool forceRight)
    {
        var right = quiz.Questions.Select(q => q.IsGradable && (forceRight || random.NextDouble() < Math.Min(0.98, q.FirstTry + 0.15 + 0.12 * (number - 1)))).ToArray();
        return (right, Score(right) >= Course.PassThreshold);
    }

    private int Score(bool[] right)
    {
        var gradable = Course.Quiz!.GradableCount;
        return gradable == 0 ? 100 : (int)Math.Floor(100.0 * right.Count(r => r) / gradable);
    }

    private void Attempt(LessonModel quiz, bool[] right, DateTime at, Random random, int attemptId, Guid submission)
    {
        var score = Score(right);
        Attempts.Add(new AttemptRow(attemptId, Id, Attempts.Count + 1, submission, quiz.GradableCount, right.Count(r => r), score,
            score >= Course.PassThreshold, at));
        BestScore = Math.Max(BestScore ?? 0, score);
        for (var i = 0; i < quiz.Questions.Length; i++)
        {
            var question = quiz.Questions[i];
            Answers.Add(question.IsGradable
                ? new AnswerRow(Id, quiz.Id, question.Id, right[i] ? question.Right : Pick(question.Wrong, random), right[i], submission, attemptId, at)
                : new AnswerRow(Id, quiz.Id, question.Id, CourseModel.Reflection(random), null, submission, attemptId, at));
        }
    }

    private static string Pick(string[] responses, Random random) => responses[random.Next(responses.Length)];
}

internal readonly record struct LessonDone(LessonModel Lesson, DateTime At, bool CarriedOver);

internal readonly record struct AnswerRow(
    Guid EnrolmentId, string LessonId, string QuestionId, string Response, bool? IsCorrect, Guid SubmissionId, int? QuizAttemptId, DateTime At);

internal readonly record struct AttemptRow(
    int Id, Guid EnrolmentId, int Number, Guid SubmissionId, int QuestionCount, int CorrectCount, int ScorePercent, bool Passed, DateTime At);
