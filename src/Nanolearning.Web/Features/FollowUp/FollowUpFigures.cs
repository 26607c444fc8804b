using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// The follow-up figures of one scope on one day. <see cref="LoadAsync"/> reads three flat projections (the scope's
/// learners, their assignments, their enrolments) once per request; every figure is then counted in memory, for the
/// whole scope or any group of its learners (a sub-unit's subtree, the politicians), so a page with many tables still
/// asks the database three times.
/// </summary>
/// <remarks>
/// The rules: a learner's current assignment of a course on a day is the one with the latest window opened by then;
/// it is completed by a completion from the Swedish midnight its window opens (<c>Assignment.IsMet</c>), in the window
/// if that first completion came before the end of its due date in Swedish time; started if an enrolment began in the
/// window and none completed; overdue if not completed and due before the day. Windows not yet open are ignored.
/// A group is any sequence of <see cref="Learners"/>, leavers included: each figure picks who counts itself (current
/// figures the active, the trend those employed at each month end). Safe to share between concurrent requests (the
/// kommun's snapshot, <see cref="MunicipalitySnapshot"/>, is one instance for all): the loaded rows never change, and
/// the per-learner results worked out on first use are idempotent, published whole (a race computes one twice, never
/// half), with no scratch state shared between calls.
/// </remarks>
public sealed class FollowUpFigures
{
    private readonly Dictionary<int, History> _histories;
    private readonly ILookup<int, FollowUpLearner> _byUnit;
    private readonly List<string> _courseIds;
    private readonly Dictionary<string, int> _courseIndex;
    private readonly int _onboardingDays;
    private readonly bool _withNames;
    private readonly IReadOnlyList<DateOnly> _monthEnds;
    private readonly DayStarts _dayStarts;
    private IReadOnlyList<string>? _currentCourseIds;

    private FollowUpFigures(
        DateOnly today, List<FollowUpLearner> learners, Dictionary<int, History> histories, List<string> courseIds,
        Dictionary<string, int> courseIndex, NanolearningOptions options, bool withNames, DayStarts dayStarts)
    {
        _dayStarts = dayStarts;
        Today = today;
        _monthEnds = MonthEnds(today);
        Learners = learners;
        _histories = histories;
        _byUnit = learners.ToLookup(l => l.UnitId);
        _courseIds = courseIds;
        _courseIndex = courseIndex;
        _onboardingDays = options.OnboardingDays;
        _withNames = withNames;
    }

    /// <summary>
    /// Loads the learners of <paramref name="unitIds"/> (every unit to include, subtrees already expanded with
    /// <c>OrganisationTree.Subtree</c>; null for the whole kommun) as of <paramref name="today"/> (Swedish date), with
    /// their assignments and enrolments. Names are read only <paramref name="withNames"/>, for <see cref="People"/>.
    /// </summary>
    public static async Task<FollowUpFigures> LoadAsync(
        AppDbContext db, NanolearningOptions options, IReadOnlyCollection<int>? unitIds, DateOnly today, bool withNames,
        CancellationToken cancel)
    {
        // Leavers count in the trend while they were employed, so those who left within its months are loaded too.
        var leftAfter = MonthEnds(today)[0];
        var learnerRows = db.Learners.AsNoTracking().Where(l => l.IsActive || l.LeftOn > leftAfter);
        var assignmentRows = db.Assignments.AsNoTracking().Where(a => a.OpensOn <= today);
        var enrolmentRows = db.Enrolments.AsNoTracking();
        if (unitIds is not null)
        {
            learnerRows = learnerRows.Where(l => unitIds.Contains(l.UnitId));
            assignmentRows = assignmentRows.Where(a => unitIds.Contains(a.Learner!.UnitId));
            enrolmentRows = enrolmentRows.Where(e => unitIds.Contains(e.Learner!.UnitId));
        }

        // The whole kommun reads the progress tables without a join: rows of people not loaded are dropped below.
        var learners = await learnerRows
            .Select(l => new FollowUpLearner(
                l.Id, l.UnitId, l.IsActive, l.LeftOn, l.StartDate, l.EmployeeNumber != null,
                l.Audiences.Contains(Audience.Politician), withNames ? l.FirstName + " " + l.LastName : null))
            .ToListAsync(cancel);
        var histories = learners.ToDictionary(l => l.Id, _ => new History());

        var courseIds = new List<string>();
        var courseIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        int IndexOf(string courseId)
        {
            if (!courseIndex.TryGetValue(courseId, out var index))
            {
                index = courseIds.Count;
                courseIds.Add(courseId);
                courseIndex.Add(courseId, index);
            }

            return index;
        }

        // Each window's opening and the end of its due date as instants, kept with the row: the figures compare them
        // for every month end.
        var dayStarts = new DayStarts();
        IndexOf(options.OnboardingCourseId);
        await foreach (var a in assignmentRows.Select(a => new { a.LearnerId, a.CourseId, a.OpensOn, a.DueOn }).AsAsyncEnumerable().WithCancellation(cancel))
        {
            if (histories.TryGetValue(a.LearnerId, out var history))
            {
                history.Assignments.Add(new AssignmentRow(IndexOf(a.CourseId), a.OpensOn, a.DueOn, dayStarts.Of(a.OpensOn), dayStarts.Of(a.DueOn.AddDays(1))));
            }
        }

        await foreach (var e in enrolmentRows.Select(e => new { e.LearnerId, e.CourseId, e.StartedAt, e.CompletedAt }).AsAsyncEnumerable().WithCancellation(cancel))
        {
            if (histories.TryGetValue(e.LearnerId, out var history))
            {
                history.Enrolments.Add(new EnrolmentRow(IndexOf(e.CourseId), e.StartedAt, e.CompletedAt));
            }
        }

        var onboardingCourse = courseIndex[options.OnboardingCourseId];
        foreach (var history in histories.Values)
        {
            history.FirstOnboarding = history.Enrolments.Where(e => e.Course == onboardingCourse).Min(e => e.CompletedAt);

            // Per course, the latest window first: the first one opened by a day is the current assignment that day.
            history.Assignments.Sort((x, y) =>
                x.Course != y.Course ? x.Course.CompareTo(y.Course)
                : x.OpensOn != y.OpensOn ? y.OpensOn.CompareTo(x.OpensOn)
                : y.DueOn.CompareTo(x.DueOn));
        }

        return new FollowUpFigures(today, learners, histories, courseIds, courseIndex, options, withNames, dayStarts);
    }

    /// <summary>The day the figures are for (Swedish date); the trend's last point.</summary>
    public DateOnly Today { get; }

    /// <summary>Everyone loaded: the scope's active learners and those who left within the trend's months.</summary>
    public IReadOnlyList<FollowUpLearner> Learners { get; }

    /// <summary>The courses someone active in the scope has a current assignment for, by id: the rows of a course table.</summary>
    public IReadOnlyList<string> CourseIds => _currentCourseIds ??= CurrentCourseIds();

    private List<string> CurrentCourseIds() => Learners
        .Where(l => l.IsActive)
        .SelectMany(l => ProgressToday(l))
        .Select(p => p.Course).Distinct()
        .Select(c => _courseIds[c]).Order(StringComparer.Ordinal).ToList();

    /// <summary>The loaded learners of some units (pass a subtree's ids for a sub-unit's figures).</summary>
    public IEnumerable<FollowUpLearner> InUnits(IEnumerable<int> unitIds) => unitIds.Distinct().SelectMany(id => _byUnit[id]);

    /// <summary>How many active learners the group holds: the group size that suppression compares with k.</summary>
    public static int Headcount(IEnumerable<FollowUpLearner> group) => group.Count(l => l.IsActive);

    /// <summary>The group's figures for each of <see cref="CourseIds"/> today (zeros where the group has none).</summary>
    public IReadOnlyList<CourseFigures> Courses(IEnumerable<FollowUpLearner> group)
    {
        var counts = new Counts[_courseIds.Count];
        foreach (var learner in group)
        {
            if (!learner.IsActive)
            {
                continue;
            }

            foreach (var p in ProgressToday(learner))
            {
                ref var c = ref counts[p.Course];
                c.Assigned++;
                if (p.CompletedAt is not null)
                {
                    c.Completed++;
                    c.CompletedInWindow += p.InWindow ? 1 : 0;
                }
                else
                {
                    c.Started += p.Started ? 1 : 0;
                    c.Overdue += p.DueOn < Today ? 1 : 0;
                }
            }
        }

        return CourseIds.Select(id =>
        {
            var c = counts[_courseIndex[id]];
            return new CourseFigures(id, c.Assigned, c.Started, c.Assigned - c.Completed - c.Started, c.Completed, c.CompletedInWindow, c.Overdue);
        }).ToList();
    }

    /// <summary>
    /// The group's completion at each of the last 12 month ends, the current month as of <see cref="Today"/>: the
    /// assignments current then among those employed then, and how many were met by the end of that day. All courses
    /// together, or one <paramref name="courseId"/>. Membership is today's: someone who moved units counts where they are now.
    /// </summary>
    public IReadOnlyList<MonthFigures> Trend(IEnumerable<FollowUpLearner> group, string? courseId = null)
    {
        var course = courseId is null ? -1 : _courseIndex.GetValueOrDefault(courseId, -2);
        var (assigned, completed) = (new int[_monthEnds.Count], new int[_monthEnds.Count]);
        var buffer = new List<Progress>();
        foreach (var learner in group)
        {
            foreach (var m in MonthsOf(learner, buffer))
            {
                if (course == -1 || m.Course == course)
                {
                    assigned[m.Month]++;
                    completed[m.Month] += m.Completed ? 1 : 0;
                }
            }
        }

        return [.. _monthEnds.Select((day, i) => new MonthFigures(day, assigned[i], completed[i]))];
    }

    /// <summary>
    /// New employees (an employee number, active) who started in the last 12 months and whose onboarding window has
    /// closed (start + OnboardingDays before today), and how many completed the onboarding course by the end of that
    /// last day (Swedish time): the figure a kommun reports.
    /// </summary>
    public OnboardingFigures Onboarding(IEnumerable<FollowUpLearner> group)
    {
        var (newEmployees, inTime) = (0, 0);
        var startedAfter = Today.AddMonths(-12);
        foreach (var learner in group)
        {
            var due = learner.StartDate.AddDays(_onboardingDays);
            if (!learner.IsActive || !learner.IsEmployee || learner.StartDate <= startedAfter || due >= Today)
            {
                continue;
            }

            newEmployees++;
            inTime += CompletedOnboardingBefore(learner, StartOf(due.AddDays(1))) ? 1 : 0;
        }

        return new OnboardingFigures(newEmployees, inTime);
    }

    /// <summary>The group's active employees (with an employee number) and how many have ever completed the onboarding course.</summary>
    public IntroductionFigures Introduction(IEnumerable<FollowUpLearner> group)
    {
        var end = StartOf(Today.AddDays(1));
        var employees = group.Where(l => l.IsActive && l.IsEmployee).ToList();
        return new IntroductionFigures(Today, employees.Count, employees.Count(l => CompletedOnboardingBefore(l, end)));
    }

    /// <summary><see cref="Introduction"/> at each of the last 12 month ends: employees employed then, completed by then.</summary>
    public IReadOnlyList<IntroductionFigures> IntroductionTrend(IEnumerable<FollowUpLearner> group)
    {
        var employees = group.Where(l => l.IsEmployee).ToList();
        return MonthEnds(Today).Select(day =>
        {
            var end = StartOf(day.AddDays(1));
            var employed = employees.Where(l => l.IsEmployedAt(day)).ToList();
            return new IntroductionFigures(day, employed.Count, employed.Count(l => CompletedOnboardingBefore(l, end)));
        }).ToList();
    }

    /// <summary>
    /// Each active learner of the group with each current assignment (or only <paramref name="courseId"/>'s), by name:
    /// the chef's drill-down. Needs the figures loaded with names.
    /// </summary>
    public IReadOnlyList<PersonStatus> People(IEnumerable<FollowUpLearner> group, string? courseId = null)
    {
        if (!_withNames)
        {
            throw new InvalidOperationException("Load the figures withNames to list people.");
        }

        var course = courseId is null ? -1 : _courseIndex.GetValueOrDefault(courseId, -2);
        return group.Where(l => l.IsActive)
            .SelectMany(l => ProgressToday(l).Where(p => course == -1 || p.Course == course).Select(p => new PersonStatus(
                l.Id, l.Name!, l.UnitId, _courseIds[p.Course],
                p.CompletedAt is not null ? CourseState.Completed
                : p.DueOn < Today ? CourseState.Overdue
                : p.Started ? CourseState.Started
                : CourseState.NotStarted,
                p.DueOn, p.CompletedAt)))
            .OrderBy(p => p.Name, StringComparer.Create(Swedish.Culture, false))
            .ThenBy(p => p.LearnerId)
            .ThenBy(p => p.CourseId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The trend's days: the last day of each of the 11 months before today's, then today.</summary>
    public static IReadOnlyList<DateOnly> MonthEnds(DateOnly today)
    {
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        return [.. Enumerable.Range(1, 11).Reverse().Select(i => thisMonth.AddMonths(-i + 1).AddDays(-1)), today];
    }

    private Progress[] ProgressToday(FollowUpLearner learner)
    {
        var history = _histories[learner.Id];
        return history.Today ??= [.. ProgressOn(history, Today, [])];
    }

    /// <summary>
    /// The learner's current assignments at each month end they were employed, and whether each was met by then:
    /// worked out once, as a page asks for the trend of the whole scope, of each course and of each sub-unit.
    /// <paramref name="buffer"/> is the calling trend's own scratch list, so concurrent trends never share one.
    /// </summary>
    private MonthProgress[] MonthsOf(FollowUpLearner learner, List<Progress> buffer)
    {
        var history = _histories[learner.Id];
        if (history.Months is null)
        {
            var months = new List<MonthProgress>();
            for (var i = 0; i < _monthEnds.Count; i++)
            {
                if (learner.IsEmployedAt(_monthEnds[i]))
                {
                    foreach (var p in ProgressOn(history, _monthEnds[i], buffer))
                    {
                        months.Add(new MonthProgress(i, p.Course, p.CompletedAt is not null));
                    }
                }
            }

            history.Months = [.. months];
        }

        return history.Months;
    }

    /// <summary>
    /// The learner's current assignment per course on <paramref name="day"/> (the latest window opened by then) and
    /// what they had done for it by the end of that day, into <paramref name="into"/> (cleared first).
    /// </summary>
    private List<Progress> ProgressOn(History history, DateOnly day, List<Progress> into)
    {
        into.Clear();
        var end = StartOf(day.AddDays(1));
        var lastCourse = -1;
        foreach (var a in history.Assignments)
        {
            if (a.Course == lastCourse || a.OpensOn > day)
            {
                continue;
            }

            lastCourse = a.Course;
            var opens = a.OpensAt;
            DateTime? first = null;
            var started = false;
            foreach (var e in history.Enrolments)
            {
                if (e.Course != a.Course)
                {
                    continue;
                }

                if (e.CompletedAt is { } at && at >= opens && at < end && (first is null || at < first))
                {
                    first = at;
                }

                started |= e.StartedAt >= opens && e.StartedAt < end;
            }

            into.Add(new Progress(a.Course, a.DueOn, first, first < a.DueEnd, started && first is null));
        }

        return into;
    }

    private bool CompletedOnboardingBefore(FollowUpLearner learner, DateTime end) =>
        _histories[learner.Id].FirstOnboarding < end;

    private DateTime StartOf(DateOnly day) => _dayStarts.Of(day);

    /// <summary>
    /// Format.StartOfDayUtc, remembered: the time-zone conversion would otherwise run for every row and month. Shared
    /// figures ask it for new days from several requests at once, hence the concurrent dictionary.
    /// </summary>
    private sealed class DayStarts
    {
        private readonly ConcurrentDictionary<DateOnly, DateTime> _starts = [];

        public DateTime Of(DateOnly day) =>
            _starts.TryGetValue(day, out var start) ? start : _starts.GetOrAdd(day, Format.StartOfDayUtc);
    }

    private sealed class History
    {
        public List<AssignmentRow> Assignments { get; } = [];

        public List<EnrolmentRow> Enrolments { get; } = [];

        /// <summary>The first completion of the onboarding course, set at load: the introduction figures compare it with each month end.</summary>
        public DateTime? FirstOnboarding { get; set; }

        public Progress[]? Today { get; set; }

        public MonthProgress[]? Months { get; set; }
    }

    /// <summary>One assignment window; <see cref="OpensAt"/> and <see cref="DueEnd"/> are its Swedish day bounds in UTC.</summary>
    private readonly record struct AssignmentRow(int Course, DateOnly OpensOn, DateOnly DueOn, DateTime OpensAt, DateTime DueEnd);

    /// <summary>A current assignment at the trend's month end number <see cref="Month"/>, and whether it was met by then.</summary>
    private readonly record struct MonthProgress(int Month, int Course, bool Completed);

    private readonly record struct EnrolmentRow(int Course, DateTime StartedAt, DateTime? CompletedAt);

    /// <summary>One current assignment on a day: its first completion in the window by then, or whether it is in progress.</summary>
    private readonly record struct Progress(int Course, DateOnly DueOn, DateTime? CompletedAt, bool InWindow, bool Started);

    private struct Counts
    {
        public int Assigned;
        public int Started;
        public int Completed;
        public int CompletedInWindow;
        public int Overdue;
    }
}

/// <summary>A learner as follow-up sees them. <see cref="Name"/> is null unless the figures were loaded with names.</summary>
public sealed record FollowUpLearner(
    int Id, int UnitId, bool IsActive, DateOnly? LeftOn, DateOnly StartDate, bool IsEmployee, bool IsPolitician, string? Name)
{
    /// <summary>Whether they had started and not yet left on <paramref name="day"/>: who counts in the trend at a month end.</summary>
    public bool IsEmployedAt(DateOnly day) => StartDate <= day && (IsActive || LeftOn > day);
}

/// <summary>One course's figures for a group today. Started, NotStarted and Completed add up to Assigned; Overdue overlaps Started and NotStarted.</summary>
public sealed record CourseFigures(
    string CourseId, int Assigned, int Started, int NotStarted, int Completed, int CompletedInWindow, int Overdue)
{
    public double? CompletedShare => Share.Of(Completed, Assigned);
}

/// <summary>One point of the trend: <see cref="Day"/> is a month's last day, or today for the current month.</summary>
public sealed record MonthFigures(DateOnly Day, int Assigned, int Completed)
{
    public double? CompletedShare => Share.Of(Completed, Assigned);
}

/// <summary>New employees whose onboarding window closed in the last 12 months, and how many completed in time.</summary>
public sealed record OnboardingFigures(int NewEmployees, int CompletedInTime)
{
    public double? CompletedShare => Share.Of(CompletedInTime, NewEmployees);
}

/// <summary>Employees on <see cref="Day"/> and how many had completed the introduction (onboarding course) by then.</summary>
public sealed record IntroductionFigures(DateOnly Day, int Employees, int Completed)
{
    public double? CompletedShare => Share.Of(Completed, Employees);
}

/// <summary>
/// One person's current assignment of one course, for the chef's drill-down. CompletedAt is the first completion (UTC)
/// in the assignment's window, null unless the state is Completed.
/// </summary>
public sealed record PersonStatus(int LearnerId, string Name, int UnitId, string CourseId, CourseState State, DateOnly DueOn, DateTime? CompletedAt);

/// <summary>Where a person is with a current assignment: Overdue (not completed, past due) wins over started or not.</summary>
public enum CourseState
{
    NotStarted,
    Started,
    Completed,
    Overdue,
}

internal static class Share
{
    /// <summary>The share 0–1, or null for an empty group (no figure, rather than 0 %).</summary>
    public static double? Of(int part, int whole) => whole == 0 ? null : (double)part / whole;
}
