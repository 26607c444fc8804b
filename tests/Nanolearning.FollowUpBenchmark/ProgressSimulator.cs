using Nanolearning.Courses;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.FollowUpBenchmark;

/// <summary>
/// Plays out each person's courses: the assignments the planner made, and whether and when the person did them.
/// A diligent person in a keen unit usually completes, mostly near the due date, some late; others start and stop, or
/// never start. Completions from the years before the campaigns (<see cref="HistoryYears"/>) fill the history; how much
/// is <c>history</c>, which the generator tunes to reach the wanted number of progress rows. Deterministic: the same
/// seed and history give the same rows, so a counting run predicts a writing run exactly.
/// </summary>
internal sealed class ProgressSimulator(Kommun kommun, Campaigns campaigns, IReadOnlyList<CourseModel> courses, DateOnly today, int seed)
{
    /// <summary>The history level at which every year that can have a completion has one.</summary>
    public const double MaxHistory = 1 / HistoryChance;

    // The chance of a completion in a history year, per unit of history level.
    private const double HistoryChance = 0.3;

    private static readonly int[] HistoryYears = [2021, 2022, 2023, 2024];

    private Random _random = null!;
    private int _attemptId;

    /// <summary>The generated "now": 10:00 Swedish time on the benchmark's today. Nothing happens after it.</summary>
    public DateTime Now { get; } = Format.StartOfDayUtc(today).AddHours(10);

    /// <summary>What became of the assignments in the last run, by outcome.</summary>
    public Dictionary<string, int> Outcomes { get; } = [];

    public async Task RunAsync(Rows rows, double history)
    {
        _attemptId = 0;
        Outcomes.Clear();
        foreach (var person in kommun.People)
        {
            // A generator per person: more or less history for one person leaves everyone else's rows as they were,
            // so the row count follows the history level closely enough to be tuned.
            _random = new Random(unchecked((seed * 1_000_003) + person.Id));
            var planned = campaigns.For(person);
            foreach (var assignment in planned)
            {
                await rows.AssignmentAsync(assignment);
            }

            var limit = person.LeftOn is { } left && Format.StartOfDayUtc(left) < Now ? Format.StartOfDayUtc(left) : Now;
            var keenness = Math.Clamp(0.58 * person.Diligence * kommun.Units[person.UnitId - 1].Engagement, 0.03, 0.97);
            foreach (var course in courses)
            {
                var assigned = planned.Where(a => a.CourseId == course.Id).OrderBy(a => a.OpensOn).ThenBy(a => a.DueOn).ToList();
                var historyYears = HistoryYears.Where(y => HasHistory(person, course, y) && _random.NextDouble() < history * HistoryChance).ToList();
                if (assigned.Count == 0 && historyYears.Count == 0)
                {
                    continue;
                }

                var progress = new CourseProgress(person, course, limit);
                foreach (var year in historyYears)
                {
                    var completed = WorkTime(new DateOnly(year, 2, 1).AddDays(_random.Next(303)));
                    Complete(progress, completed.AddMinutes(-OneSitting(course)), completed);
                }

                foreach (var assignment in assigned)
                {
                    Play(progress, assignment, keenness);
                }

                foreach (var enrolment in progress.Enrolments)
                {
                    await rows.EnrolmentAsync(enrolment);
                }
            }
        }
    }

    /// <summary>Whether the person could have taken the course in a year before the campaigns: in its audience and employed all year.</summary>
    private static bool HasHistory(Person person, CourseModel course, int year)
    {
        var audience = course.Id switch
        {
            BenchmarkCourses.Introduction => person.EmployeeNumber is not null,
            BenchmarkCourses.Manager => person.Has(Audience.Manager),
            BenchmarkCourses.CaseOfficer => person.Has(Audience.CaseOfficer),
            BenchmarkCourses.Politician => person.Has(Audience.Politician) && year >= 2023,
            _ => false,
        };
        return audience && person.StartDate <= new DateOnly(year, 2, 1) && (person.LeftOn is not { } left || left > new DateOnly(year, 12, 31));
    }

    private void Play(CourseProgress progress, PlannedAssignment assignment, double keenness)
    {
        var opens = Format.StartOfDayUtc(assignment.OpensOn);
        // Met already, by a completion in an overlapping window (onboarding during a campaign).
        if (progress.LastCompletedAt >= opens)
        {
            Tally("met by an earlier completion");
            return;
        }

        var firstDay = assignment.OpensOn > progress.Person.StartDate ? assignment.OpensOn : progress.Person.StartDate;
        var windowDays = assignment.DueOn.DayNumber - firstDay.DayNumber + 1;
        var earliest = Later(WorkTime(firstDay, minute: 7 * 60), progress.LastActivity.AddMinutes(1));
        var draw = _random.NextDouble();
        if (draw < keenness)
        {
            // Most finish near the due date (day drawn with density rising through the window); 18 % finish late.
            var day = _random.NextDouble() < 0.18
                ? assignment.DueOn.AddDays(1 + _random.Next(75))
                : firstDay.AddDays((int)(windowDays * Math.Sqrt(_random.NextDouble())));
            var completed = Later(WorkTime(day), earliest.AddMinutes(30));
            var started = Later(earliest, _random.NextDouble() < 0.65
                ? completed.AddMinutes(-OneSitting(progress.Course))
                : completed.AddDays(-1 - _random.Next(20)));
            if (completed < progress.Limit)
            {
                Complete(progress, started, completed);
                Tally(progress.LastCompletedAt < Format.StartOfDayUtc(assignment.DueOn.AddDays(1)) ? "completed in window" : "completed late");
                return;
            }

            if (started < progress.Limit)
            {
                Tally(Start(progress, started, (progress.Limit - started) / (completed - started)));
                return;
            }
        }
        else if (draw < keenness + 0.12)
        {
            // Starts, does part of it, and stops.
            var started = Later(WorkTime(firstDay.AddDays(_random.Next(windowDays + 30))), earliest);
            if (started < progress.Limit)
            {
                Tally(Start(progress, started, 0.1 + 0.8 * _random.NextDouble()));
                return;
            }
        }

        Tally(progress.Open is null ? "not started" : "open from before");
    }

    private void Tally(string outcome) => Outcomes[outcome] = Outcomes.GetValueOrDefault(outcome) + 1;

    /// <summary>Completes the course at <paramref name="completed"/>: the open enrolment if there is one, else a new one (a refresher after an earlier completion).</summary>
    private void Complete(CourseProgress progress, DateTime started, DateTime completed)
    {
        var enrolment = progress.Open ?? progress.Begin(NewGuid(), started);
        var from = Later(started, enrolment.LastActivity);
        var lessons = enrolment.Remaining;
        if (completed < from.AddMinutes(2 * lessons))
        {
            completed = from.AddMinutes(2 * lessons);
        }

        for (var i = 1; i <= lessons; i++)
        {
            enrolment.TakeNextLesson(from + (completed - from) * i / lessons, _random, () => ++_attemptId, NewGuid);
        }

        progress.Finished(enrolment);
    }

    /// <summary>Starts an enrolment and does about <paramref name="share"/> of its lessons, never the last; nothing if one is open already.</summary>
    private string Start(CourseProgress progress, DateTime started, double share)
    {
        if (progress.Open is not null)
        {
            return "open from before";
        }

        var enrolment = progress.Begin(NewGuid(), started);
        var lessons = Math.Clamp((int)(enrolment.Remaining * share), 0, enrolment.Remaining - 1);
        var at = started;
        var perLesson = Math.Max(2, progress.Course.Minutes / progress.Course.Lessons.Length);
        for (var i = 0; i < lessons; i++)
        {
            at = at.AddMinutes(perLesson * (1 + 2 * _random.NextDouble()));
            if (at >= progress.Limit)
            {
                break;
            }

            enrolment.TakeNextLesson(at, _random, () => ++_attemptId, NewGuid);
        }

        at = at.AddMinutes(5);
        if (enrolment.NextIsQuiz && _random.NextDouble() < 0.4 && at < progress.Limit)
        {
            enrolment.FailQuiz(at, _random, ++_attemptId, NewGuid());
        }

        progress.Opened(enrolment);
        return "started";
    }

    private double OneSitting(CourseModel course) => course.Minutes * (0.7 + 1.1 * _random.NextDouble());

    private DateTime WorkTime(DateOnly day, int? minute = null) =>
        Format.StartOfDayUtc(day).AddMinutes(minute ?? 7 * 60 + _random.Next(10 * 60));

    private Guid NewGuid() => Kommun.NewGuid(_random);

    private static DateTime Later(DateTime a, DateTime b) => a > b ? a : b;

    /// <summary>One person's enrolments in one course, in the order they happened.</summary>
    private sealed class CourseProgress(Person person, CourseModel course, DateTime limit)
    {
        public Person Person { get; } = person;

        public CourseModel Course { get; } = course;

        /// <summary>Nothing happens at or after this instant: now, or the day the person left.</summary>
        public DateTime Limit { get; } = limit;

        public List<GeneratedEnrolment> Enrolments { get; } = [];

        public GeneratedEnrolment? Open { get; private set; }

        public DateTime? LastCompletedAt { get; private set; }

        public DateTime LastActivity { get; private set; } = DateTime.MinValue;

        public GeneratedEnrolment Begin(Guid id, DateTime started)
        {
            var enrolment = new GeneratedEnrolment(id, Person.Id, Course, started, refresher: LastCompletedAt is not null);
            Enrolments.Add(enrolment);
            return enrolment;
        }

        public void Finished(GeneratedEnrolment enrolment)
        {
            Open = null;
            LastCompletedAt = enrolment.CompletedAt;
            LastActivity = enrolment.LastActivity;
        }

        public void Opened(GeneratedEnrolment enrolment)
        {
            Open = enrolment;
            LastActivity = enrolment.LastActivity;
        }
    }
}
