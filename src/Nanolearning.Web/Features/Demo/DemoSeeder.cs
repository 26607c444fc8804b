using Bogus;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.AnnualWheel;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Demo;

/// <summary>
/// Seeds a demo municipality into an empty database: one kommun with förvaltningar, enheter and nämnder, employees
/// with chefer, politicians, assignments and some progress history. Deterministic, so demos and benchmarks repeat.
/// Every demo person can log in with the demo password; five personas have fixed names for the login page.
/// </summary>
public sealed class DemoSeeder(
    AppDbContext db,
    CourseCatalog catalog,
    IPasswordHasher<AppUser> hasher,
    ILookupNormalizer normalizer,
    TimeProvider time,
    IOptions<NanolearningOptions> options,
    ILogger<DemoSeeder> log)
{
    public const string Password = "demo-anhorig-2026";

    /// <summary>Every demo login's e-mail domain, and only theirs: a domain no kommun's HR file has.</summary>
    public const string EmailDomain = "demo.nanolearning.se";

    /// <summary>
    /// A login the seeder made. Known by the domain rather than a stored mark, so databases seeded before there was
    /// a mark are covered too.
    /// </summary>
    public static bool IsDemoAccount(AppUser user) =>
        new[] { user.UserName, user.Email }.Any(name => name?.EndsWith("@" + EmailDomain, StringComparison.OrdinalIgnoreCase) == true);
    public const string IntroductionCourse = "anhorigperspektiv-introduktion";
    public const string ManagerCourse = "leda-med-anhorigperspektiv";
    public const string PoliticianCourse = "anhorigstrategin-for-politiker";
    public const string CaseOfficerCourse = "anhorigperspektiv-i-handlaggning";

    /// <summary>The one-click personas, in the order the login page shows them.</summary>
    public static readonly DemoPersona[] Personas =
    [
        new("nyanstalld", "Nyanställd medarbetare", "Nora", "Nyberg", "Undersköterska", [Audience.NewEmployee, Audience.Employee], DaysEmployed: 5),
        new("medarbetare", "Medarbetare", "Maja", "Lind", "Undersköterska", [Audience.Employee], DaysEmployed: 1_100, LessonsDone: 2),
        new("chef", "Chef", "Kristina", "Berg", "Enhetschef", [Audience.Employee, Audience.Manager], DaysEmployed: 2_900),
        new("politiker", "Politiker", "Per", "Olsson", "Ledamot", [Audience.Politician], DaysEmployed: 700),
        new("admin", "Anhörigkonsulent (admin)", "Anna", "Ek", "Anhörigkonsulent", [Audience.Employee], DaysEmployed: 2_200, IsAdmin: true),
    ];

    private static readonly (string Name, (string Unit, string[] Titles)[] Units)[] Administrations =
    [
        ("Vård- och omsorgsförvaltningen",
        [
            ("Hemtjänst Norr", ["Undersköterska", "Vårdbiträde"]),
            ("Hemtjänst Söder", ["Undersköterska", "Vårdbiträde"]),
            ("Särskilt boende Björken", ["Undersköterska", "Sjuksköterska", "Vårdbiträde"]),
            ("Särskilt boende Eken", ["Undersköterska", "Sjuksköterska", "Arbetsterapeut"]),
            ("Biståndsenheten", ["Biståndshandläggare"]),
            ("Anhörigstöd och träffpunkter", ["Anhörigkonsulent", "Aktivitetsledare"]),
        ]),
        ("Socialförvaltningen",
        [
            ("Individ- och familjeomsorg", ["Socialsekreterare", "Familjebehandlare"]),
            ("LSS-boende Lärkan", ["Stödassistent", "Boendestödjare"]),
            ("Socialpsykiatri", ["Boendestödjare", "Biståndshandläggare"]),
        ]),
        ("Barn- och utbildningsförvaltningen",
        [
            ("Centralskolan", ["Lärare", "Kurator", "Skolsköterska"]),
            ("Förskolan Solrosen", ["Förskollärare", "Barnskötare"]),
        ]),
        ("Kommunledningsförvaltningen",
        [
            ("HR-avdelningen", ["HR-konsult", "Lönehandläggare"]),
            ("Kontaktcenter", ["Kommunvägledare"]),
        ]),
    ];

    private static readonly string[] Committees = ["Kommunstyrelsen", "Vård- och omsorgsnämnden", "Socialnämnden"];

    public async Task SeedAsync(CancellationToken cancel = default)
    {
        var settings = options.Value;
        Randomizer.Seed = new Random(20_261_123);
        var faker = new Faker("sv");
        var today = Format.Today(time);
        var now = time.GetUtcNow().UtcDateTime;
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        var municipality = new Unit { Name = faker.Address.City() + " kommun", Kind = UnitKind.Municipality };
        db.Units.Add(municipality);
        await db.SaveChangesAsync(cancel);

        var units = new List<(Unit Unit, string[] Titles, Unit Administration)>();
        foreach (var (name, administrationUnits) in Administrations)
        {
            var administration = new Unit { Name = name, Kind = UnitKind.Administration, Parent = municipality };
            db.Units.Add(administration);
            units.AddRange(administrationUnits.Select(e => (new Unit { Name = e.Unit, Kind = UnitKind.Unit, Parent = administration }, e.Titles, administration)));
        }

        // Large benchmark kommuner get more enheter of the same kinds, about 40 people each.
        var copies = Math.Max(1, settings.DemoEmployees / 40 / units.Count);
        for (var copy = 2; copy <= copies; copy++)
        {
            units.AddRange(units.Take(13).Select(u => (new Unit { Name = $"{u.Unit.Name} {copy}", Kind = UnitKind.Unit, Parent = u.Administration }, u.Titles, u.Administration)).ToList());
        }

        db.Units.AddRange(units.Select(u => u.Unit));
        var committees = Committees.Select(c => new Unit { Name = c, Kind = UnitKind.Committee, Parent = municipality }).ToList();
        db.Units.AddRange(committees);
        // HR unit codes, as an import would set them: the kommun 1000, förvaltningar 1100, 1200 …, the rest from 2000.
        var administrations = units.Select(u => u.Administration).Distinct().ToList();
        municipality.Code = "1000";
        administrations.ForEach(a => a.Code = (1100 + 100 * administrations.IndexOf(a)).ToString(Swedish.Culture));
        var code = 2000;
        foreach (var unit in units.Select(u => u.Unit).Concat(committees))
        {
            unit.Code = (code++).ToString(Swedish.Culture);
        }

        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancel);
        AddAnnualWheel(municipality, administrations[0], units[0].Unit, today, now);
        await db.SaveChangesAsync(cancel);

        var learners = new List<Learner>();
        var employeeNumber = 10_000;
        Learner NewLearner(string first, string last, string title, Unit unit, DateOnly start, string[] audiences, string? email = null)
        {
            var learner = new Learner
            {
                EmployeeNumber = audiences.Contains(Audience.Politician) ? null : (employeeNumber++).ToString(Swedish.Culture),
                FirstName = first,
                LastName = last,
                Email = email ?? $"{Ascii(first)}.{Ascii(last)}{learners.Count.ToString(Swedish.Culture)}@{EmailDomain}",
                JobTitle = title,
                UnitId = unit.Id,
                StartDate = start,
                Audiences = [.. audiences],
                PseudonymKey = faker.Random.Guid(),
            };
            learners.Add(learner);
            return learner;
        }

        // The personas work in the first enhet (the chef leads it); the politician sits in a nämnd and the
        // anhörigkonsulent in the anhörigstöd unit.
        var home = units[0].Unit;
        var personas = Personas.ToDictionary(
            p => NewLearner(
                p.FirstName, p.LastName, p.JobTitle,
                p.Audiences.Contains(Audience.Politician) ? committees[1] : p.IsAdmin ? units[5].Unit : home,
                today.AddDays(-p.DaysEmployed), p.Audiences, p.Email),
            p => p);

        var managers = new Dictionary<Unit, Learner> { [home] = personas.Keys.Single(l => l.Audiences.Contains(Audience.Manager)) };
        foreach (var (unit, _, _) in units.Skip(1))
        {
            managers[unit] = NewLearner(faker.Name.FirstName(), faker.Name.LastName(), "Enhetschef", unit, Past(faker, today, 15), [Audience.Employee, Audience.Manager]);
        }

        foreach (var committee in committees)
        {
            for (var i = 0; i < 5; i++)
            {
                NewLearner(faker.Name.FirstName(), faker.Name.LastName(), i == 0 ? "Ordförande" : "Ledamot", committee, Past(faker, today, 4), [Audience.Politician]);
            }
        }

        while (learners.Count < settings.DemoEmployees)
        {
            var (unit, titles, _) = faker.PickRandom(units);
            var title = faker.PickRandom(titles);
            var isNew = faker.Random.Double() < 0.06;
            var start = isNew ? today.AddDays(-faker.Random.Int(0, 60)) : Past(faker, today, 20);
            string[] audiences = (isNew, title.Contains("handläggare", StringComparison.OrdinalIgnoreCase) || title == "Socialsekreterare") switch
            {
                (true, true) => [Audience.NewEmployee, Audience.Employee, Audience.CaseOfficer],
                (true, false) => [Audience.NewEmployee, Audience.Employee],
                (false, true) => [Audience.Employee, Audience.CaseOfficer],
                _ => [Audience.Employee],
            };
            NewLearner(faker.Name.FirstName(), faker.Name.LastName(), title, unit, start, audiences);
        }

        await InsertInBatchesAsync(learners, cancel);
        foreach (var (unit, manager) in managers)
        {
            await db.Units.Where(u => u.Id == unit.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.ManagerId, manager.Id), cancel);
        }

        await AddLoginsAsync(learners, personas, cancel);
        await AddAssignmentsAndProgressAsync(faker, learners, personas, today, now, settings.DemoProgressRows, cancel);
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        log.LogInformation("Seeded {Learners} learners in {Units} enheter and {Committees} nämnder.", learners.Count, units.Count, committees.Count);
    }

    /// <summary>
    /// A year's planning as a kommun might have it: a yearly repetition for all staff that reminds two weeks ahead,
    /// the chefer's course in the care förvaltning (open now, so the demo chef has it), the politicians' course, an APT
    /// and a note.
    /// </summary>
    private void AddAnnualWheel(Unit municipality, Unit care, Unit home, DateOnly today, DateTime now)
    {
        var year = today.Year;
        AnnualWheelEntry Entry(Unit unit, AnnualWheelKind kind, string title, DateOnly start, DateOnly end, string? course = null, string[]? audiences = null, string? note = null) =>
            new()
            {
                Unit = unit, Kind = kind, Title = title, StartsOn = start, EndsOn = end, RecursYearly = true, CourseId = course,
                Audiences = [.. audiences ?? []], Note = note, CreatedAt = now, UpdatedAt = now,
            };

        var repetition = Entry(municipality, AnnualWheelKind.CourseCampaign, "Årlig repetition: anhörigperspektiv", new(year, 2, 1), new(year, 3, 31),
            IntroductionCourse, [Audience.Employee]);
        // Its own reminder days, so the demo shows a plan other than the default.
        repetition.RemindDaysBeforeDue = 14;
        db.AnnualWheelEntries.AddRange(
            repetition,
            Entry(municipality, AnnualWheelKind.Note, "Anhörigdagen", new(year, 10, 6), new(year, 10, 6),
                note: "Bjud in anhörigkonsulenten till en APT under hösten."),
            Entry(municipality, AnnualWheelKind.CourseCampaign, "Nämndernas utbildning om anhörigstrategin",
                new(year, 9, 1), new(year, 10, 31), PoliticianCourse, [Audience.Politician]),
            Entry(care, AnnualWheelKind.CourseCampaign, "Chefer leder med anhörigperspektiv", new(year, 11, 1), new(year + 1, 1, 31),
                ManagerCourse, [Audience.Manager]),
            Entry(home, AnnualWheelKind.WorkplaceMeeting, "Anhöriga i vardagen", new(year, 12, 10), new(year, 12, 10), IntroductionCourse));
    }

    /// <summary>One login per learner, all with the demo password: hashed once, since each hash carries its own salt.</summary>
    private async Task AddLoginsAsync(List<Learner> learners, Dictionary<Learner, DemoPersona> personas, CancellationToken cancel)
    {
        var roleIds = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id, cancel);
        var hash = hasher.HashPassword(null!, Password);
        var users = new List<AppUser>();
        var userRoles = new List<IdentityUserRole<string>>();
        foreach (var learner in learners)
        {
            var user = AppUser.For(learner, normalizer);
            user.PasswordHash = hash;
            users.Add(user);
            var roles = ExternalAccounts.RolesOf(learner).ToList();
            if (personas.GetValueOrDefault(learner)?.IsAdmin == true)
            {
                roles.Add(Roles.Admin);
            }

            userRoles.AddRange(roles.Select(r => new IdentityUserRole<string> { UserId = user.Id, RoleId = roleIds[r] }));
        }

        await InsertInBatchesAsync(users, cancel);
        await InsertInBatchesAsync(userRoles, cancel);
    }

    private async Task AddAssignmentsAndProgressAsync(
        Faker faker, List<Learner> learners, Dictionary<Learner, DemoPersona> personas, DateOnly today, DateTime now, int progressRows,
        CancellationToken cancel)
    {
        var assignments = new List<Assignment>();
        var enrolments = new List<Enrolment>();
        var rows = 0;
        foreach (var learner in learners)
        {
            var persona = personas.GetValueOrDefault(learner);
            foreach (var (courseId, due) in CoursesFor(learner, persona, faker, today))
            {
                assignments.Add(new Assignment
                {
                    LearnerId = learner.Id, CourseId = courseId, DueOn = due, AssignedAt = now.AddDays(-40), Origin = "Demo",
                });
                if (catalog.FindLive(courseId) is not { } course || rows >= progressRows)
                {
                    continue;
                }

                // Personas start where the login page promises; everyone else: a third nothing, some part-way, half all.
                var progress = persona?.LessonsDone ?? faker.Random.WeightedRandom([0, 1, 2, 3, 99], [0.3f, 0.07f, 0.07f, 0.06f, 0.5f]);
                if (progress > 0)
                {
                    var enrolment = History(course, learner.Id, progress, faker, now);
                    enrolments.Add(enrolment);
                    rows += enrolment.CompletedLessons.Count + enrolment.Answers.Count;
                }
            }

            if (assignments.Count >= 10_000)
            {
                await InsertInBatchesAsync(assignments, cancel);
                await InsertInBatchesAsync(enrolments, cancel);
                assignments.Clear();
                enrolments.Clear();
            }
        }

        // Earlier years' refreshers of the introduction fill the history up to the requested size.
        if (catalog.FindLive(IntroductionCourse) is { } intro)
        {
            var staff = learners.Where(l => !l.Audiences.Contains(Audience.Politician) && !personas.ContainsKey(l)).ToList();
            for (var year = 1; year <= 10 && rows < progressRows; year++)
            {
                foreach (var learner in staff.TakeWhile(_ => rows < progressRows))
                {
                    var enrolment = History(intro, learner.Id, intro.Lessons.Length, faker, now.AddYears(-year));
                    enrolments.Add(enrolment);
                    rows += enrolment.CompletedLessons.Count + enrolment.Answers.Count;
                    if (enrolments.Count >= 5_000)
                    {
                        await InsertInBatchesAsync(enrolments, cancel);
                        enrolments.Clear();
                    }
                }
            }
        }

        await InsertInBatchesAsync(assignments, cancel);
        await InsertInBatchesAsync(enrolments, cancel);
        log.LogInformation("Seeded {Rows} progress rows (lesson completions and answers).", rows);
    }

    private static IEnumerable<(string CourseId, DateOnly Due)> CoursesFor(Learner learner, DemoPersona? persona, Faker faker, DateOnly today)
    {
        if (learner.Audiences.Contains(Audience.Politician))
        {
            yield return (PoliticianCourse, today.AddDays(faker.Random.Int(-10, 60)));
            yield break;
        }

        if (learner.Audiences.Contains(Audience.NewEmployee))
        {
            yield return (IntroductionCourse, learner.StartDate.AddDays(30));
        }
        else if (persona is not null || faker.Random.Double() < 0.7)
        {
            yield return (IntroductionCourse, today.AddDays(faker.Random.Int(-30, 90)));
        }

        if (learner.Audiences.Contains(Audience.Manager))
        {
            yield return (ManagerCourse, today.AddDays(faker.Random.Int(-20, 120)));
        }

        if (learner.Audiences.Contains(Audience.CaseOfficer))
        {
            yield return (CaseOfficerCourse, today.AddDays(faker.Random.Int(-20, 120)));
        }
    }

    private static Enrolment History(CompiledCourse course, int learnerId, int lessons, Faker faker, DateTime now)
    {
        var at = now.AddDays(-faker.Random.Int(2, 300)).AddMinutes(faker.Random.Int(0, 600));
        var enrolment = Enrolment.Start(learnerId, course, at);
        foreach (var lesson in course.Lessons.Take(lessons))
        {
            at = at.AddMinutes(faker.Random.Int(2, 6));
            if (lesson.IsFinalQuiz)
            {
                var responses = lesson.Questions.ToDictionary(q => q.Id, q => new Response([.. q.CorrectOptionIds], q.IsGradable ? null : "Jag tar med mig det till nästa APT."));
                enrolment.SubmitFinalQuiz(course, lesson, responses, Guid.NewGuid(), at);
                continue;
            }

            foreach (var question in lesson.Questions)
            {
                // A reflection has no options to get wrong (and must not draw, so shipped courses seed as before).
                var options = !question.IsGradable || faker.Random.Double() < 0.8 ? question.CorrectOptionIds.ToList() : [question.Options[^1].Id];
                enrolment.RecordAnswer(lesson, question, new Response(options, question.IsGradable ? null : "Jag vill fråga mer om anhörigas behov."), Guid.NewGuid(), at);
            }

            enrolment.CompleteLesson(course, lesson, at);
        }

        // History is not news: its events count as already delivered.
        foreach (var e in enrolment.Events)
        {
            e.DeliveredAt = now;
        }

        return enrolment;
    }

    private async Task InsertInBatchesAsync<T>(IEnumerable<T> rows, CancellationToken cancel)
        where T : class
    {
        foreach (var batch in rows.Chunk(5_000))
        {
            db.AddRange(batch);
            await db.SaveChangesAsync(cancel);
            db.ChangeTracker.Clear();
        }
    }

    private static DateOnly Past(Faker faker, DateOnly today, int years) => today.AddDays(-faker.Random.Int(90, years * 365));

    private static string Ascii(string name) =>
        new string([.. name.ToLowerInvariant()
            .Replace('å', 'a').Replace('ä', 'a').Replace('ö', 'o').Replace('é', 'e')
            .Where(char.IsAsciiLetter)]);
}

/// <summary>
/// A demo person with a fixed name, offered as a one-click login in demo mode. <paramref name="LessonsDone"/> of
/// the introduction are done already, so "Fortsätt" has something to resume.
/// </summary>
public sealed record DemoPersona(
    string Key, string Label, string FirstName, string LastName, string JobTitle, string[] Audiences, int DaysEmployed,
    int LessonsDone = 0, bool IsAdmin = false)
{
    public string Email => $"{FirstName.ToLowerInvariant()}.{LastName.ToLowerInvariant()}@{DemoSeeder.EmailDomain}";
}
