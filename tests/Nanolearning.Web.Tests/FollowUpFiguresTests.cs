using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.FollowUp;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The follow-up figures against a small kommun worked out by hand (<see cref="FollowUpFixture"/> describes it). Every
/// expected number is counted in a comment beside it, from the people and instants the fixture seeds.
/// </summary>
public sealed class FollowUpFiguresTests(FollowUpFixture app) : IClassFixture<FollowUpFixture>
{
    private const string Campaign = FollowUpFixture.Campaign;
    private const string Intro = FollowUpFixture.Intro;
    private const string Leading = FollowUpFixture.Leading;
    private const string Politics = FollowUpFixture.Politics;

    [Fact]
    public async Task Kommun_wide_course_figures_count_only_the_current_window_of_active_learners()
    {
        var figures = await Load(null);

        Assert.Equal(
            [
                // Campaign, this year's window 1–31 May 2027 (last year's is not current): Anna, Bo, Cecilia, David,
                // Eva, Filip, Hans, Ida, Karin = 9 (Gun left). Completed: Anna, Cecilia (23:30 on the due date), David
                // (00:30 the day after), Hans, Karin = 5; in the window all but David = 4. Bo's completion on 28 April
                // and Filip's last year are before the window. Started: Eva = 1. Not started 9 − 5 − 1 = 3 (Bo, Filip,
                // Ida). Overdue (due 31 May < 15 June, not completed): Bo, Eva, Filip, Ida = 4.
                new CourseFigures(Campaign, Assigned: 9, Started: 1, NotStarted: 3, Completed: 5, CompletedInWindow: 4, Overdue: 4),
                // Introduction (onboarding): Hans (done 3 March 23:30, his due date), Ida (done 3 May, due 1 May),
                // Jonas (due 1 July, nothing), Karin (done 2026-06-20, due 2026-07-10) = 4; completed 3, in window 2
                // (Hans, Karin); not started 1 (Jonas); overdue 0.
                new CourseFigures(Intro, Assigned: 4, Started: 0, NotStarted: 1, Completed: 3, CompletedInWindow: 2, Overdue: 0),
                // Politicians' course, 1 March–30 April: Lars done 2 April, Maria nothing (overdue).
                new CourseFigures(Politics, Assigned: 2, Started: 0, NotStarted: 1, Completed: 1, CompletedInWindow: 1, Overdue: 1),
                // Leading, 1–30 June: Anna started, Bo nothing, Cecilia done 12 June. Karin's window opens 1 July: ignored.
                new CourseFigures(Leading, Assigned: 3, Started: 1, NotStarted: 1, Completed: 1, CompletedInWindow: 1, Overdue: 0),
            ],
            figures.Courses(figures.Learners));
    }

    [Fact]
    public async Task A_förvaltning_scope_loads_only_its_subtree_and_a_sub_unit_is_a_group_of_it()
    {
        var units = await app.Query(async db => (await OrganisationTree.LoadAsync(db, default)).Subtree(app.AdministrationA).Select(u => u.Id).ToList());
        var figures = await Load(units);

        // Förvaltning A: Anna, Bo, Cecilia, David (A1), Eva, Filip (A2); Gun left in March but counts in the trend.
        Assert.Equal(
            [app.Anna, app.Bo, app.Cecilia, app.David, app.Eva, app.Filip, app.Gun],
            figures.Learners.Select(l => l.Id).Order());
        Assert.Equal(6, FollowUpFigures.Headcount(figures.Learners));
        Assert.Equal([Campaign, Leading], figures.CourseIds);
        Assert.Equal(
            [
                // Anna, Bo, Cecilia, David, Eva, Filip = 6; completed Anna, Cecilia, David = 3, in window 2; started Eva;
                // not started Bo, Filip; overdue Bo, Eva, Filip.
                new CourseFigures(Campaign, Assigned: 6, Started: 1, NotStarted: 2, Completed: 3, CompletedInWindow: 2, Overdue: 3),
                new CourseFigures(Leading, Assigned: 3, Started: 1, NotStarted: 1, Completed: 1, CompletedInWindow: 1, Overdue: 0),
            ],
            figures.Courses(figures.Learners));

        // Enhet A2: Eva (started, overdue) and Filip (last year's completion only, overdue); Gun left and does not count.
        var a2 = figures.InUnits([app.UnitA2]).ToList();
        Assert.Equal(2, FollowUpFigures.Headcount(a2));
        Assert.Equal(
            [
                new CourseFigures(Campaign, Assigned: 2, Started: 1, NotStarted: 1, Completed: 0, CompletedInWindow: 0, Overdue: 2),
                new CourseFigures(Leading, Assigned: 0, Started: 0, NotStarted: 0, Completed: 0, CompletedInWindow: 0, Overdue: 0),
            ],
            figures.Courses(a2));
    }

    [Fact]
    public async Task The_politicians_are_one_group_with_their_own_course()
    {
        var figures = await Load(null);

        var politicians = figures.Learners.Where(l => l.IsPolitician).ToList();

        Assert.Equal([app.Lars, app.Maria], politicians.Select(l => l.Id).Order());
        var politics = Assert.Single(figures.Courses(politicians), c => c.Assigned > 0);
        Assert.Equal(new CourseFigures(Politics, Assigned: 2, Started: 0, NotStarted: 1, Completed: 1, CompletedInWindow: 1, Overdue: 1), politics);
        Assert.Equal(0.5, politics.CompletedShare);
    }

    [Fact]
    public async Task The_trend_counts_at_each_month_end_those_employed_then_and_what_they_had_met_by_then()
    {
        var figures = await Load(null);

        Assert.Equal(
            [
                // July 2026 to January 2027: last year's campaign (Anna, Filip, Gun, all done in May 2026) and Karin's
                // introduction (opened 10 June, done 20 June) = 4 of 4.
                new MonthFigures(new(2026, 7, 31), 4, 4),
                new MonthFigures(new(2026, 8, 31), 4, 4),
                new MonthFigures(new(2026, 9, 30), 4, 4),
                new MonthFigures(new(2026, 10, 31), 4, 4),
                new MonthFigures(new(2026, 11, 30), 4, 4),
                new MonthFigures(new(2026, 12, 31), 4, 4),
                new MonthFigures(new(2027, 1, 31), 4, 4),
                // Hans started 1 February; his introduction is done on 3 March: 5, 4 done.
                new MonthFigures(new(2027, 2, 28), 5, 4),
                // Gun left 10 March: out. Hans done. The politicians' window opened 1 March, nobody done by 31 March:
                // Anna, Filip, Karin, Hans (done) + Lars, Maria = 6, 4 done.
                new MonthFigures(new(2027, 3, 31), 6, 4),
                // Ida started 1 April (her introduction not done by 30 April); Lars done 2 April: 7, 5 done.
                new MonthFigures(new(2027, 4, 30), 7, 5),
                // This year's campaign replaces last year's: 9 assigned, done by the end of 31 May Anna, Cecilia (23:30),
                // Hans, Karin = 4 (David at 00:30 on 1 June is not yet); introductions Karin, Hans, Ida 3 of 3; politicians
                // 1 of 2: 14, 8 done.
                new MonthFigures(new(2027, 5, 31), 14, 8),
                // Today, the course figures' totals: 9 + 4 + 2 + 3 = 18 assigned, 5 + 3 + 1 + 1 = 10 done.
                new MonthFigures(new(2027, 6, 15), 18, 10),
            ],
            figures.Trend(figures.Learners));
    }

    [Fact]
    public async Task The_trend_of_one_course_follows_its_windows()
    {
        var figures = await Load(null);

        var trend = figures.Trend(figures.Learners, Campaign);

        // Last year's window until April (Anna, Filip, Gun; Gun gone from March), this year's from May.
        Assert.Equal(
            [(3, 3), (3, 3), (3, 3), (3, 3), (3, 3), (3, 3), (3, 3), (3, 3), (2, 2), (2, 2), (9, 4), (9, 5)],
            trend.Select(m => (m.Assigned, m.Completed)));
        Assert.Equal(4 / 9.0, trend[10].CompletedShare);
    }

    [Fact]
    public async Task Onboarding_counts_closed_windows_of_the_last_year_completed_by_the_end_of_the_last_day()
    {
        var figures = await Load(null);

        // Hans (started 1 February, done 23:30 on 3 March, his 30th day) in time; Ida (started 1 April, done 3 May,
        // two days late) not. Jonas's window is still open, Karin started more than a year ago (10 June 2026).
        Assert.Equal(new OnboardingFigures(NewEmployees: 2, CompletedInTime: 1), figures.Onboarding(figures.Learners));
    }

    [Fact]
    public async Task The_employees_introduction_share_now_and_at_each_month_end()
    {
        var figures = await Load(null);

        // Employees now: Anna, Bo, Cecilia, David, Eva, Filip, Hans, Ida, Jonas, Karin = 10 (not Gun, not the
        // politicians); ever done the introduction: Anna (2020), Hans, Ida, Karin = 4.
        Assert.Equal(new IntroductionFigures(new(2027, 6, 15), 10, 4), figures.Introduction(figures.Learners));
        Assert.Equal(
            [
                // July–January: Anna…Filip, Gun, Karin = 8; done Anna, Karin.
                (8, 2), (8, 2), (8, 2), (8, 2), (8, 2), (8, 2), (8, 2),
                // February: + Hans. March: − Gun, Hans done. April: + Ida. May: Ida done. Today: + Jonas.
                (9, 2), (8, 3), (9, 3), (9, 4), (10, 4),
            ],
            figures.IntroductionTrend(figures.Learners).Select(m => (m.Employees, m.Completed)));
    }

    [Fact]
    public async Task The_drill_down_lists_each_active_person_with_their_state_by_name()
    {
        var units = await app.Query(async db => (await OrganisationTree.LoadAsync(db, default)).Subtree(app.AdministrationA).Select(u => u.Id).ToList());
        var figures = await Load(units, withNames: true);

        var due = new DateOnly(2027, 5, 31);
        Assert.Equal(
            [
                new PersonStatus(app.Anna, "Anna Ek", app.UnitA1, Campaign, CourseState.Completed, due, FollowUpFixture.InSweden(2027, 5, 20, 10, 0)),
                new PersonStatus(app.Bo, "Bo Falk", app.UnitA1, Campaign, CourseState.Overdue, due, null),
                new PersonStatus(app.Cecilia, "Cecilia Gran", app.UnitA1, Campaign, CourseState.Completed, due, FollowUpFixture.InSweden(2027, 5, 31, 23, 30)),
                new PersonStatus(app.David, "David Holm", app.UnitA1, Campaign, CourseState.Completed, due, FollowUpFixture.InSweden(2027, 6, 1, 0, 30)),
                // Eva started, but overdue is what her chef needs to see.
                new PersonStatus(app.Eva, "Eva Ivarsson", app.UnitA2, Campaign, CourseState.Overdue, due, null),
                new PersonStatus(app.Filip, "Filip Jonsson", app.UnitA2, Campaign, CourseState.Overdue, due, null),
            ],
            figures.People(figures.Learners, Campaign));
        Assert.Equal(
            [("Anna Ek", CourseState.Started), ("Bo Falk", CourseState.NotStarted), ("Cecilia Gran", CourseState.Completed)],
            figures.People(figures.Learners, Leading).Select(p => (p.Name, p.State)));
    }

    [Fact]
    public async Task Figures_loaded_without_names_refuse_to_list_people()
    {
        var figures = await Load(null);

        Assert.All(figures.Learners, l => Assert.Null(l.Name));
        Assert.Throws<InvalidOperationException>(() => figures.People(figures.Learners));
    }

    [Fact]
    public void The_trend_ends_at_the_last_day_of_each_of_the_eleven_months_before_today_and_then_today()
    {
        Assert.Equal(
            [
                new DateOnly(2027, 4, 30), new(2027, 5, 31), new(2027, 6, 30), new(2027, 7, 31), new(2027, 8, 31),
                new(2027, 9, 30), new(2027, 10, 31), new(2027, 11, 30), new(2027, 12, 31), new(2028, 1, 31), new(2028, 2, 29),
            ],
            FollowUpFigures.MonthEnds(new(2028, 3, 1)).SkipLast(1));
        Assert.Equal(new DateOnly(2028, 3, 1), FollowUpFigures.MonthEnds(new(2028, 3, 1))[^1]);
    }

    private async Task<FollowUpFigures> Load(IReadOnlyCollection<int>? units, bool withNames = false)
    {
        using var scope = app.Services.CreateScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<NanolearningOptions>>().Value;
        return await FollowUpFigures.LoadAsync(
            scope.ServiceProvider.GetRequiredService<AppDbContext>(), options, units, app.Today, withNames, default);
    }
}

/// <summary>
/// A kommun of its own (no demo), on 15 June 2027 at noon in Sweden:
/// <code>
/// Kommun
/// ├ Förvaltning A ── Enhet A1: Anna, Bo, Cecilia, David
/// │               └─ Enhet A2: Eva, Filip, Gun (left 10 March 2027)
/// ├ Förvaltning B ── Enhet B1: Hans (started 1 Feb 2027), Ida (1 Apr 2027), Jonas (1 Jun 2027), Karin (10 Jun 2026)
/// └ Nämnd: Lars, Maria (politicians, no employee number)
/// </code>
/// Everyone else started in 2020. Windows: the campaign 1–31 May each year (2026: Anna, Filip, Gun; 2027: everyone in
/// A and B but Gun and Jonas), Leading 1–30 June 2027 (Anna, Bo, Cecilia) and 1–31 July 2027 (Karin, not yet open),
/// Politics 1 March–30 April 2027, and the introduction from each newcomer's start date, due 30 days later.
/// </summary>
public sealed class FollowUpFixture : AppFixture, IAsyncLifetime
{
    public const string Campaign = DemoSeeder.CaseOfficerCourse;
    public const string Intro = DemoSeeder.IntroductionCourse;
    public const string Leading = DemoSeeder.ManagerCourse;
    public const string Politics = DemoSeeder.PoliticianCourse;

    public FollowUpFixture() => Clock.SetUtcNow(new DateTimeOffset(InSweden(2027, 6, 15, 12, 0)));

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Nanolearning:Demo"] = "false",
        ["Nanolearning:OnboardingCourseId"] = Intro,
        ["Nanolearning:OnboardingDays"] = "30",
    };

    public int AdministrationA { get; private set; }

    public int UnitA1 { get; private set; }

    public int UnitA2 { get; private set; }

    public int Anna { get; private set; }

    public int Bo { get; private set; }

    public int Cecilia { get; private set; }

    public int David { get; private set; }

    public int Eva { get; private set; }

    public int Filip { get; private set; }

    public int Gun { get; private set; }

    public int Lars { get; private set; }

    public int Maria { get; private set; }

    /// <summary>A Swedish wall-clock time as the UTC instant the database stores.</summary>
    public static DateTime InSweden(int year, int month, int day, int hour, int minute) =>
        TimeZoneInfo.ConvertTimeToUtc(new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified), Format.Stockholm);

    public async Task InitializeAsync()
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var kommun = new Unit { Name = "Uppföljningskommun", Kind = UnitKind.Municipality };
        var a = new Unit { Name = "Förvaltning A", Kind = UnitKind.Administration, Parent = kommun };
        var a1 = new Unit { Name = "Enhet A1", Kind = UnitKind.Unit, Parent = a };
        var a2 = new Unit { Name = "Enhet A2", Kind = UnitKind.Unit, Parent = a };
        var b = new Unit { Name = "Förvaltning B", Kind = UnitKind.Administration, Parent = kommun };
        var b1 = new Unit { Name = "Enhet B1", Kind = UnitKind.Unit, Parent = b };
        var committee = new Unit { Name = "Nämnd", Kind = UnitKind.Committee, Parent = kommun };
        db.Units.AddRange(kommun, a, a1, a2, b, b1, committee);

        var longAgo = new DateOnly(2020, 1, 1);
        var anna = Person(a1, "Anna", "Ek", longAgo);
        var bo = Person(a1, "Bo", "Falk", longAgo);
        var cecilia = Person(a1, "Cecilia", "Gran", longAgo);
        var david = Person(a1, "David", "Holm", longAgo);
        var eva = Person(a2, "Eva", "Ivarsson", longAgo);
        var filip = Person(a2, "Filip", "Jonsson", longAgo);
        var gun = Person(a2, "Gun", "Karlsson", longAgo);
        gun.IsActive = false;
        gun.LeftOn = new DateOnly(2027, 3, 10);
        var hans = Person(b1, "Hans", "Lind", new(2027, 2, 1));
        var ida = Person(b1, "Ida", "Moberg", new(2027, 4, 1));
        var jonas = Person(b1, "Jonas", "Nord", new(2027, 6, 1));
        var karin = Person(b1, "Karin", "Olsson", new(2026, 6, 10));
        var lars = Person(committee, "Lars", "Persson", longAgo, politician: true);
        var maria = Person(committee, "Maria", "Rask", longAgo, politician: true);
        db.Learners.AddRange(anna, bo, cecilia, david, eva, filip, gun, hans, ida, jonas, karin, lars, maria);
        await db.SaveChangesAsync();

        void Assign(Learner learner, string course, DateOnly opensOn, DateOnly dueOn) =>
            db.Assignments.Add(new Assignment
            {
                LearnerId = learner.Id, CourseId = course, OpensOn = opensOn, DueOn = dueOn, AssignedAt = UtcNow, Origin = "test",
            });

        foreach (var learner in new[] { anna, filip, gun })
        {
            Assign(learner, Campaign, new(2026, 5, 1), new(2026, 5, 31));
        }

        foreach (var learner in new[] { anna, bo, cecilia, david, eva, filip, hans, ida, karin })
        {
            Assign(learner, Campaign, new(2027, 5, 1), new(2027, 5, 31));
        }

        foreach (var learner in new[] { anna, bo, cecilia })
        {
            Assign(learner, Leading, new(2027, 6, 1), new(2027, 6, 30));
        }

        Assign(karin, Leading, new(2027, 7, 1), new(2027, 7, 31));
        foreach (var learner in new[] { hans, ida, jonas, karin })
        {
            // As the planner's onboarding rule makes them, so an hourly planning run during the tests adds nothing.
            Assign(learner, Intro, learner.StartDate, learner.StartDate.AddDays(30));
        }

        Assign(lars, Politics, new(2027, 3, 1), new(2027, 4, 30));
        Assign(maria, Politics, new(2027, 3, 1), new(2027, 4, 30));

        void Complete(Learner learner, string course, DateTime at) => db.Enrolments.Add(Completed(learner.Id, Catalog.FindLive(course)!, at));
        void Start(Learner learner, string course, DateTime at) => db.Enrolments.Add(Enrolment.Start(learner.Id, Catalog.FindLive(course)!, at));

        Complete(anna, Intro, InSweden(2020, 1, 15, 10, 0));
        Complete(anna, Campaign, InSweden(2026, 5, 10, 10, 0));
        Complete(filip, Campaign, InSweden(2026, 5, 10, 10, 0));
        Complete(gun, Campaign, InSweden(2026, 5, 12, 10, 0));
        Complete(karin, Intro, InSweden(2026, 6, 20, 10, 0));
        Complete(hans, Intro, InSweden(2027, 3, 3, 23, 30));
        Complete(lars, Politics, InSweden(2027, 4, 2, 10, 0));
        Complete(bo, Campaign, InSweden(2027, 4, 28, 10, 0));
        Complete(ida, Intro, InSweden(2027, 5, 3, 10, 0));
        Complete(hans, Campaign, InSweden(2027, 5, 5, 10, 0));
        Start(eva, Campaign, InSweden(2027, 5, 15, 10, 0));
        Complete(anna, Campaign, InSweden(2027, 5, 20, 10, 0));
        Complete(karin, Campaign, InSweden(2027, 5, 25, 10, 0));
        Complete(cecilia, Campaign, InSweden(2027, 5, 31, 23, 30));
        Complete(david, Campaign, InSweden(2027, 6, 1, 0, 30));
        Start(anna, Leading, InSweden(2027, 6, 10, 10, 0));
        Complete(cecilia, Leading, InSweden(2027, 6, 12, 10, 0));
        await db.SaveChangesAsync();

        (AdministrationA, UnitA1, UnitA2) = (a.Id, a1.Id, a2.Id);
        (Anna, Bo, Cecilia, David, Eva, Filip, Gun, Lars, Maria) =
            (anna.Id, bo.Id, cecilia.Id, david.Id, eva.Id, filip.Id, gun.Id, lars.Id, maria.Id);
    }

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();

    private static int _employeeNumber;

    private static Learner Person(Unit unit, string first, string last, DateOnly start, bool politician = false) => new()
    {
        EmployeeNumber = politician ? null : $"U{Interlocked.Increment(ref _employeeNumber)}",
        FirstName = first,
        LastName = last,
        Email = $"{first.ToLowerInvariant()}@uppfoljning.exempel.se",
        Unit = unit,
        StartDate = start,
        Audiences = politician ? [Audience.Politician] : [Audience.Employee],
    };
}
