using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Nanolearning.Courses;
using Nanolearning.Web.Features.AnnualWheel;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The planner against the real database: each test builds its own small förvaltning with two enheter under the demo
/// kommun, so it sees only its own entries' assignments, and runs the planner on chosen days. Its campaigns use a
/// course no demo campaign uses: the planner gives a person one assignment per course and due date, whichever entry
/// asks first.
/// </summary>
public sealed class PlanningTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Course = DemoSeeder.CaseOfficerCourse;

    [Fact]
    public async Task A_recurring_window_across_new_year_assigns_in_the_next_year_due_in_january()
    {
        var org = await NewOrganisation();
        var entry = await AddCampaign(org.Administration, new(2025, 11, 1), new(2026, 1, 31), recurs: true);

        await Plan(new(2027, 1, 15));

        var assignments = await AssignmentsOf(entry);
        Assert.Equal(org.AllPeople.Order(), assignments.Select(a => a.LearnerId).Order());
        Assert.All(assignments, a => Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2027, 1, 31)), (a.OpensOn, a.DueOn)));
    }

    [Fact]
    public async Task Each_year_of_a_recurring_campaign_is_a_new_assignment_and_a_stopped_one_ends()
    {
        var org = await NewOrganisation();
        var entry = await AddCampaign(org.Administration, new(2026, 3, 1), new(2026, 3, 31), recurs: true, lastYear: 2027);

        await Plan(new(2026, 3, 10));
        await Plan(new(2027, 3, 10));
        await Plan(new(2028, 3, 10));

        var dues = (await AssignmentsOf(entry)).Select(a => a.DueOn).Distinct().Order();
        Assert.Equal([new DateOnly(2026, 3, 31), new DateOnly(2027, 3, 31)], dues);
    }

    [Fact]
    public async Task A_unit_inherits_its_parents_campaign_and_a_sibling_förvaltning_does_not()
    {
        var org = await NewOrganisation();
        var other = await NewOrganisation();
        var entry = await AddCampaign(org.Administration, new(2026, 11, 1), new(2026, 12, 15));

        await Plan(new(2026, 11, 23));

        var assigned = (await AssignmentsOf(entry)).Select(a => a.LearnerId).ToList();
        Assert.Equal(org.AllPeople.Order(), assigned.Order());
        Assert.Empty(assigned.Intersect(other.AllPeople));
    }

    [Fact]
    public async Task A_campaign_for_chefer_assigns_only_chefer()
    {
        var org = await NewOrganisation();
        var entry = await AddCampaign(org.Administration, new(2026, 11, 1), new(2026, 12, 15), audiences: [Audience.Manager]);

        await Plan(new(2026, 11, 23));

        Assert.Equal([org.Chef], (await AssignmentsOf(entry)).Select(a => a.LearnerId));
    }

    [Fact]
    public async Task A_late_joiner_is_assigned_while_the_window_is_open_and_not_after_it_closed()
    {
        var org = await NewOrganisation();
        var entry = await AddCampaign(org.Administration, new(2026, 11, 1), new(2026, 12, 15));
        await Plan(new(2026, 11, 2));
        var before = await AssignmentsOf(entry);

        var joiner = await AddPerson(org.UnitA, "Sen", [Audience.Employee]);
        await Plan(new(2026, 11, 20));
        var latecomer = await AddPerson(org.UnitA, "Senare", [Audience.Employee]);
        await Plan(new(2026, 12, 16));

        var after = await AssignmentsOf(entry);
        Assert.Equal(before.Count + 1, after.Count);
        Assert.Contains(after, a => a.LearnerId == joiner);
        Assert.DoesNotContain(after, a => a.LearnerId == latecomer);
    }

    [Fact]
    public async Task Planning_twice_adds_nothing_the_second_time()
    {
        var org = await NewOrganisation();
        var entry = await AddCampaign(org.Administration, new(2026, 11, 1), new(2026, 12, 15));
        await Plan(new(2026, 11, 23));
        var first = await AssignmentsOf(entry);

        await Plan(new(2026, 11, 23));

        Assert.Equal(first.Select(a => a.Id), (await AssignmentsOf(entry)).Select(a => a.Id));
    }

    [Fact]
    public async Task Two_planning_runs_at_once_assign_everyone_once_without_failing()
    {
        var org = await NewOrganisation();
        var entry = await AddCampaign(org.Administration, new(2026, 11, 1), new(2026, 12, 15));

        await Task.WhenAll(Plan(new(2026, 11, 23)), Plan(new(2026, 11, 23)), Plan(new(2026, 11, 23)));

        Assert.Equal(org.AllPeople.Order(), (await AssignmentsOf(entry)).Select(a => a.LearnerId).Order());
    }

    [Fact]
    public async Task A_mover_out_of_scope_loses_an_unfinished_campaign_assignment_but_keeps_a_finished_one()
    {
        var org = await NewOrganisation();
        var other = await NewOrganisation();
        var entry = await AddCampaign(org.UnitA, new(2026, 11, 1), new(2026, 12, 15));
        await Plan(new(2026, 11, 10));
        var (unfinished, finished) = (org.PeopleIn(org.UnitA)[0], org.PeopleIn(org.UnitA)[1]);
        await app.Complete(finished, app.Catalog.FindLive(Course)!, new DateTime(2026, 11, 12, 9, 0, 0, DateTimeKind.Utc));

        await MoveTo(other.UnitA, unfinished, finished);
        await Plan(new(2026, 11, 20));

        var assigned = (await AssignmentsOf(entry)).Select(a => a.LearnerId).ToList();
        Assert.DoesNotContain(unfinished, assigned);
        Assert.Contains(finished, assigned);
    }

    [Fact]
    public async Task A_mover_into_scope_is_assigned()
    {
        var org = await NewOrganisation();
        var other = await NewOrganisation();
        var entry = await AddCampaign(org.UnitA, new(2026, 11, 1), new(2026, 12, 15));
        await Plan(new(2026, 11, 10));

        var mover = other.PeopleIn(other.UnitB)[0];
        await MoveTo(org.UnitA, mover);
        await Plan(new(2026, 11, 20));

        Assert.Contains(mover, (await AssignmentsOf(entry)).Select(a => a.LearnerId));
    }

    [Fact]
    public async Task A_leaver_gets_no_new_assignment_and_keeps_the_old_ones()
    {
        var org = await NewOrganisation();
        var early = await AddCampaign(org.UnitA, new(2026, 11, 1), new(2026, 12, 15));
        await Plan(new(2026, 11, 10));
        var leaver = org.PeopleIn(org.UnitA)[0];
        await app.Query(db => db.Learners.Where(l => l.Id == leaver)
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.IsActive, false).SetProperty(x => x.LeftOn, new DateOnly(2026, 11, 15))));

        var later = await AddCampaign(org.UnitA, new(2026, 11, 16), new(2026, 12, 20));
        await Plan(new(2026, 11, 20));

        Assert.Contains(leaver, (await AssignmentsOf(early)).Select(a => a.LearnerId));
        Assert.DoesNotContain(leaver, (await AssignmentsOf(later)).Select(a => a.LearnerId));
    }

    [Fact]
    public async Task A_new_employee_gets_the_introduction_due_the_configured_days_after_starting()
    {
        var org = await NewOrganisation();
        var today = new DateOnly(2026, 11, 23);
        var started = await AddPerson(org.UnitA, "Ny", [Audience.Employee], start: today.AddDays(-3));
        var startsLater = await AddPerson(org.UnitA, "Kommande", [Audience.Employee], start: today.AddDays(5));
        var longAgo = await AddPerson(org.UnitA, "Gammal", [Audience.Employee], start: today.AddDays(-50));
        var politician = await AddPerson(org.UnitA, "Vald", [Audience.Politician], start: today.AddDays(-1), employeeNumber: false);

        await Plan(today, onboardingDays: 45);

        var onboarding = await app.Query(db => db.Assignments
            .Where(a => a.Origin == AssignmentPlanner.OnboardingOrigin && new[] { started, startsLater, longAgo, politician }.Contains(a.LearnerId))
            .ToListAsync());
        var only = Assert.Single(onboarding);
        Assert.Equal(
            (started, DemoSeeder.IntroductionCourse, today.AddDays(-3), today.AddDays(42)), (only.LearnerId, only.CourseId, only.OpensOn, only.DueOn));
    }

    [Fact]
    public void An_entry_occurs_only_in_its_years_and_29_february_moves_to_the_28th()
    {
        var once = new AnnualWheelEntry { Title = "En gång", StartsOn = new(2026, 5, 1), EndsOn = new(2026, 5, 31) };
        var leap = new AnnualWheelEntry { Title = "Skottdag", StartsOn = new(2028, 2, 29), EndsOn = new(2028, 3, 10), RecursYearly = true };
        var winter = new AnnualWheelEntry { Title = "Vinter", StartsOn = new(2026, 12, 1), EndsOn = new(2027, 1, 31), RecursYearly = true };

        Assert.Null(once.In(2027));
        Assert.Null(leap.In(2027));
        Assert.Equal(new DateOnly(2029, 2, 28), leap.In(2029)!.Start);
        Assert.Equal(new DateOnly(2032, 2, 29), leap.In(2032)!.Start);
        Assert.Equal([2026, 2027], winter.Touching(2027).Select(o => o.Year));
        Assert.Equal(new DateOnly(2027, 1, 31), Assert.Single(winter.OpenOn(new(2027, 1, 10))).End);
        Assert.Empty(winter.OpenOn(new(2027, 2, 1)));
    }

    private async Task<PlanResult> Plan(DateOnly today, int onboardingDays = 30)
    {
        using var scope = app.Services.CreateScope();
        var options = new NanolearningOptions { OnboardingCourseId = DemoSeeder.IntroductionCourse, OnboardingDays = onboardingDays };
        var planner = new AssignmentPlanner(
            scope.ServiceProvider.GetRequiredService<AppDbContext>(), Options.Create(options), NoonInStockholm(today), NullLogger<AssignmentPlanner>.Instance);
        return await planner.PlanAsync();
    }

    private Task<List<Assignment>> AssignmentsOf(AnnualWheelEntry entry) =>
        app.Query(db => db.Assignments.AsNoTracking().Where(a => a.EntryId == entry.Id).OrderBy(a => a.Id).ToListAsync());

    private async Task<AnnualWheelEntry> AddCampaign(
        int unitId, DateOnly start, DateOnly end, bool recurs = false, int? lastYear = null, string[]? audiences = null)
    {
        var entry = new AnnualWheelEntry
        {
            UnitId = unitId, Kind = AnnualWheelKind.CourseCampaign, Title = "Kampanj", StartsOn = start, EndsOn = end,
            RecursYearly = recurs, LastYear = lastYear, CourseId = Course, Audiences = [.. audiences ?? []],
        };
        await app.Query(db =>
        {
            db.AnnualWheelEntries.Add(entry);
            return db.SaveChangesAsync();
        });
        return entry;
    }

    private async Task<TestOrganisation> NewOrganisation()
    {
        var key = Guid.NewGuid().ToString("N")[..6];
        var (administration, a, b) = await app.Query(async db =>
        {
            var kommun = await db.Units.SingleAsync(u => u.Kind == UnitKind.Municipality);
            var administration = new Unit { Name = "Förvaltning " + key, Kind = UnitKind.Administration, ParentId = kommun.Id };
            var a = new Unit { Name = "Enhet A " + key, Kind = UnitKind.Unit, Parent = administration };
            var b = new Unit { Name = "Avdelning B " + key, Kind = UnitKind.Department, Parent = administration };
            db.Units.AddRange(administration, a, b);
            await db.SaveChangesAsync();
            return (administration.Id, a.Id, b.Id);
        });

        var old = new DateOnly(2015, 1, 1);
        var chef = await AddPerson(administration, "Chef", [Audience.Employee, Audience.Manager], old);
        var people = new Dictionary<int, List<int>> { [administration] = [chef], [a] = [], [b] = [] };
        foreach (var unit in new[] { a, a, a, b, b })
        {
            people[unit].Add(await AddPerson(unit, "Anställd", [Audience.Employee], old));
        }

        return new TestOrganisation(administration, a, b, chef, people);
    }

    private static int _employeeNumber = 900_000;

    private Task<int> AddPerson(int unitId, string name, string[] audiences, DateOnly? start = null, bool employeeNumber = true) =>
        app.Query(async db =>
        {
            var learner = new Learner
            {
                EmployeeNumber = employeeNumber ? Interlocked.Increment(ref _employeeNumber).ToString(Swedish.Culture) : null,
                FirstName = name,
                LastName = "Planering",
                Email = $"{Guid.NewGuid():N}@planering.exempel.se",
                UnitId = unitId,
                StartDate = start ?? new DateOnly(2015, 1, 1),
                Audiences = [.. audiences],
            };
            db.Learners.Add(learner);
            await db.SaveChangesAsync();
            return learner.Id;
        });

    private Task MoveTo(int unitId, params int[] learners) =>
        app.Query(db => db.Learners.Where(l => learners.Contains(l.Id)).ExecuteUpdateAsync(l => l.SetProperty(x => x.UnitId, unitId)));

    /// <summary>A förvaltning with a chef, enhet A (three people) and avdelning B (two).</summary>
    private sealed record TestOrganisation(int Administration, int UnitA, int UnitB, int Chef, Dictionary<int, List<int>> People)
    {
        public List<int> PeopleIn(int unit) => People[unit];

        public IEnumerable<int> AllPeople => People.Values.SelectMany(p => p);
    }

    /// <summary>Noon in Stockholm on a chosen day.</summary>
    private static FakeTimeProvider NoonInStockholm(DateOnly today) => new(new DateTimeOffset(today.ToDateTime(new TimeOnly(11, 0)), TimeSpan.Zero));
}
