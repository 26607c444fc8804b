using Nanolearning.Courses;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.FollowUpBenchmark;

/// <summary>A yearly course campaign in a unit's årshjul, first occurring in <see cref="StartsOn"/>'s year.</summary>
internal sealed record Campaign(int Id, int UnitId, string Title, string CourseId, DateOnly StartsOn, DateOnly EndsOn, string[] Audiences)
{
    /// <summary>The windows that have opened by <paramref name="today"/>: last year's and this year's.</summary>
    public IEnumerable<(DateOnly Opens, DateOnly Due)> OpenedBy(DateOnly today) =>
        Enumerable.Range(StartsOn.Year, today.Year - StartsOn.Year + 1)
            .Select(year => (StartsOn.AddYears(year - StartsOn.Year), EndsOn.AddYears(year - StartsOn.Year)))
            .Where(w => w.Item1 <= today);
}

/// <summary>An assignment as the planner would have made it: one row of the Assignments table.</summary>
internal sealed record PlannedAssignment(int LearnerId, string CourseId, DateOnly OpensOn, DateOnly DueOn, int? EntryId, DateTime AssignedAt, string Origin);

/// <summary>
/// The kommun's årshjul and the assignments the daily planner would have made from it since the app went live
/// (<see cref="Kommun.GoLive"/>): every active person in a campaign's scope and audience while its window was open,
/// and the onboarding course for everyone who started since. So the app's own planner, run at startup, finds nothing
/// to add while these windows are open.
/// </summary>
internal sealed class Campaigns
{
    private readonly Kommun _kommun;
    private readonly DateOnly _today;
    private readonly int _onboardingDays;

    public Campaigns(Kommun kommun, DateOnly today, int onboardingDays)
    {
        _kommun = kommun;
        _today = today;
        _onboardingDays = onboardingDays;
        var administrations = kommun.OfKind(UnitKind.Administration).ToList();
        var (care, social) = (administrations[0].Id, administrations[2].Id);
        var careDepartments = kommun.OfKind(UnitKind.Department).Where(d => d.ParentId == care).ToList();
        var socialDepartments = kommun.OfKind(UnitKind.Department).Where(d => d.ParentId == social).ToList();
        // Avdelningar across the kommun for the conversation course: every seventh.
        var conversationDepartments = kommun.OfKind(UnitKind.Department).Where((_, i) => i % 7 == 3).ToList();
        var kommunId = kommun.MunicipalityId;
        var id = 0;
        Campaign New(int unitId, string title, string courseId, DateOnly starts, DateOnly ends, params string[] audiences) =>
            new(++id, unitId, title, courseId, starts, ends, audiences);

        List<Campaign> all =
        [
            New(kommunId, "Årlig repetition: anhörigperspektiv", BenchmarkCourses.Introduction, new(2025, 2, 1), new(2025, 3, 31), Audience.Employee),
            New(kommunId, "Chefer leder med anhörigperspektiv", BenchmarkCourses.Manager, new(2025, 9, 1), new(2025, 12, 15), Audience.Manager),
            New(kommunId, "Nämndernas utbildning om anhörigstrategin", BenchmarkCourses.Politician, new(2025, 9, 1), new(2025, 10, 31), Audience.Politician),
            New(care, "Handläggare: anhörigperspektiv", BenchmarkCourses.CaseOfficer, new(2025, 10, 1), new(2025, 11, 30), Audience.CaseOfficer),
            New(social, "Handläggare: anhörigperspektiv", BenchmarkCourses.CaseOfficer, new(2025, 10, 1), new(2025, 11, 30), Audience.CaseOfficer),
            New(social, "Unga anhöriga", BenchmarkCourses.YoungCarers, new(2025, 4, 1), new(2025, 5, 31)),
            New(social, "Barn som anhöriga", BenchmarkCourses.ChildrenAsCarers, new(2025, 5, 1), new(2025, 6, 15), Audience.CaseOfficer),
            New(care, "Anhöriga till personer med demens", BenchmarkCourses.Dementia, new(2026, 9, 15), new(2026, 11, 30)),
            .. conversationDepartments.Select(d =>
                New(d.Id, "Samtal med anhöriga", BenchmarkCourses.Conversations, new(2025, 1, 15), new(2025, 3, 15))),
            .. socialDepartments.Where((_, i) => i % 2 == 1).Select(d =>
                New(d.Id, "Anhörigstöd i LSS", BenchmarkCourses.Disability, new(2026, 10, 15), new(2026, 12, 31))),
            .. careDepartments.Where((_, i) => i % 3 == 0).Select(d =>
                New(d.Id, "Anhöriga i palliativ vård", BenchmarkCourses.Palliative, new(2026, 3, 1), new(2026, 4, 30))),
        ];
        All = all;
    }

    public IReadOnlyList<Campaign> All { get; }

    /// <summary>One person's assignments in the order the planner made them, at most one per course and due date.</summary>
    public List<PlannedAssignment> For(Person person)
    {
        var planned = new List<PlannedAssignment>();
        foreach (var campaign in All)
        {
            if (!_kommun.Subtrees[campaign.UnitId].Contains(person.UnitId)
                || (campaign.Audiences.Length > 0 && !campaign.Audiences.Any(person.Has)))
            {
                continue;
            }

            foreach (var (opens, due) in campaign.OpenedBy(_today))
            {
                // The planner assigns people active on a day the window is open: from the window's start or their own.
                var first = person.StartDate > opens ? person.StartDate : opens;
                var last = person.LeftOn is { } left ? left.AddDays(-1) : _today;
                if (first > due || first > last)
                {
                    continue;
                }

                var origin = $"Årshjul: {_kommun.Units[campaign.UnitId - 1].Name}: {campaign.Title}";
                Add(planned, new PlannedAssignment(person.Id, campaign.CourseId, opens, due, campaign.Id, PlannerRun(first),
                    origin.Length > 200 ? origin[..200] : origin));
            }
        }

        if (person.EmployeeNumber is not null && person.StartDate >= Kommun.GoLive && person.StartDate <= _today)
        {
            Add(planned, new PlannedAssignment(person.Id, BenchmarkCourses.Introduction, person.StartDate, person.StartDate.AddDays(_onboardingDays),
                null, PlannerRun(person.StartDate), AssignmentPlanner.OnboardingOrigin));
        }

        return planned;
    }

    /// <summary>The planner runs every night at 02:00 Swedish time.</summary>
    private static DateTime PlannerRun(DateOnly day) => Format.StartOfDayUtc(day).AddHours(2);

    // The unique index (learner, course, due date): a campaign and the onboarding course may share a due date.
    private static void Add(List<PlannedAssignment> planned, PlannedAssignment assignment)
    {
        if (!planned.Any(p => p.CourseId == assignment.CourseId && p.DueOn == assignment.DueOn))
        {
            planned.Add(assignment);
        }
    }
}
