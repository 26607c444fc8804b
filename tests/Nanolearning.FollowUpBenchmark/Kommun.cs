using System.Globalization;
using Bogus;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Organisation;

namespace Nanolearning.FollowUpBenchmark;

/// <summary>A unit as generated; <see cref="Engagement"/> makes some units better at finishing courses than others.</summary>
internal sealed record GeneratedUnit(int Id, string Name, UnitKind Kind, int? ParentId, string Code, double Engagement)
{
    public int? ManagerId { get; set; }
}

/// <summary>A learner as generated; <see cref="Diligence"/> makes some people finish more often and sooner.</summary>
internal sealed record Person(
    int Id, string? EmployeeNumber, string FirstName, string LastName, string Email, string JobTitle, int UnitId,
    DateOnly StartDate, bool IsActive, DateOnly? LeftOn, string[] Audiences, Guid PseudonymKey, double Diligence)
{
    public bool Has(string audience) => Audiences.Contains(audience);
}

/// <summary>
/// The generated kommun: 10 förvaltningar, 90 avdelningar and 1 400 enheter of uneven size, one chef per enhet,
/// 60 000 active employees (the chefs and the admin among them), 2 % leavers and 100 politicians in six nämnder.
/// One enhet, <see cref="FollowedUnitId"/>, has exactly 200 people: the chef follow-up target.
/// </summary>
internal sealed class Kommun
{
    public const int Employees = 60_000;
    public const int Enheter = 1_400;
    public const int Avdelningar = 90;
    public const int FollowedUnitSize = 200;

    /// <summary>The day the app went live: everyone who started since got the onboarding course.</summary>
    public static readonly DateOnly GoLive = new(2025, 1, 1);

    private static readonly (string Name, double Share, string[] UnitKinds, string[] Titles, double CaseOfficers)[] Administrations =
    [
        ("Vård- och omsorgsförvaltningen", 0.30, ["Hemtjänst", "Särskilt boende", "Hemsjukvård", "Dagverksamhet"],
            ["Undersköterska", "Vårdbiträde", "Sjuksköterska", "Arbetsterapeut", "Fysioterapeut"], 0.06),
        ("Barn- och utbildningsförvaltningen", 0.25, ["Förskola", "Grundskola", "Fritidshem"],
            ["Förskollärare", "Barnskötare", "Lärare", "Fritidspedagog", "Elevassistent"], 0.01),
        ("Socialförvaltningen", 0.12, ["Individ- och familjeomsorg", "LSS-boende", "Socialpsykiatri", "Daglig verksamhet"],
            ["Socialsekreterare", "Stödassistent", "Boendestödjare", "Familjebehandlare", "Biståndshandläggare"], 0.15),
        ("Gymnasie- och vuxenutbildningsförvaltningen", 0.08, ["Gymnasieskola", "Vuxenutbildning"],
            ["Gymnasielärare", "Studie- och yrkesvägledare", "Kurator"], 0.01),
        ("Tekniska förvaltningen", 0.06, ["Gata och park", "Fastighet", "VA"],
            ["Drifttekniker", "Parkarbetare", "Fastighetsskötare"], 0.0),
        ("Samhällsbyggnadsförvaltningen", 0.05, ["Bygglov", "Planering", "Lantmäteri"],
            ["Bygglovshandläggare", "Planarkitekt", "Lantmätare"], 0.02),
        ("Kultur- och fritidsförvaltningen", 0.04, ["Bibliotek", "Fritidsgård", "Idrottsanläggning"],
            ["Bibliotekarie", "Fritidsledare", "Anläggningsskötare"], 0.0),
        ("Kommunledningsförvaltningen", 0.04, ["HR", "Ekonomi", "Kontaktcenter"],
            ["HR-konsult", "Ekonom", "Kommunvägledare"], 0.02),
        ("Arbetsmarknadsförvaltningen", 0.03, ["Jobbcenter", "Försörjningsstöd"],
            ["Arbetskonsulent", "Socialsekreterare"], 0.20),
        ("Miljö- och hälsoskyddsförvaltningen", 0.03, ["Livsmedelskontroll", "Miljötillsyn"],
            ["Miljöinspektör", "Livsmedelsinspektör"], 0.0),
    ];

    private static readonly (string Name, int Members)[] Committees =
    [
        ("Kommunfullmäktige", 41), ("Kommunstyrelsen", 15), ("Vård- och omsorgsnämnden", 13), ("Barn- och utbildningsnämnden", 13),
        ("Socialnämnden", 11), ("Samhällsbyggnadsnämnden", 7),
    ];

    public required List<GeneratedUnit> Units { get; init; }

    public required List<Person> People { get; init; }

    public required int MunicipalityId { get; init; }

    public required int FollowedUnitId { get; init; }

    public required int FollowedChefId { get; init; }

    public required int AdminId { get; init; }

    /// <summary>Every unit id with the ids of its whole subtree (itself included).</summary>
    public required Dictionary<int, HashSet<int>> Subtrees { get; init; }

    public IEnumerable<GeneratedUnit> OfKind(UnitKind kind) => Units.Where(u => u.Kind == kind);

    public static Kommun Generate(DateOnly today, int seed)
    {
        var random = new Random(seed);
        var faker = new Faker("sv") { Random = new Randomizer(seed) };
        var units = new List<GeneratedUnit>();
        var municipality = new GeneratedUnit(1, "Åsunda kommun", UnitKind.Municipality, null, "1000", 1.0);
        units.Add(municipality);

        // Förvaltningar, then their avdelningar and enheter in proportion to their share of the staff.
        var administrationIds = new List<int>();
        for (var a = 0; a < Administrations.Length; a++)
        {
            var id = units.Count + 1;
            units.Add(new GeneratedUnit(id, Administrations[a].Name, UnitKind.Administration, 1, (1100 + 100 * a).ToString(CultureInfo.InvariantCulture), 1.0));
            administrationIds.Add(id);
        }

        var departmentsOf = Spread(Avdelningar, Administrations.Select(a => a.Share).ToArray(), minimum: 2);
        var enheterOf = Spread(Enheter, Administrations.Select(a => a.Share).ToArray(), minimum: 4);
        var enhetAdministration = new List<(GeneratedUnit Unit, int Administration)>();
        var code = 3000;
        for (var a = 0; a < Administrations.Length; a++)
        {
            var departments = new List<GeneratedUnit>();
            for (var d = 0; d < departmentsOf[a]; d++)
            {
                var kind = Administrations[a].UnitKinds[d % Administrations[a].UnitKinds.Length];
                var department = new GeneratedUnit(units.Count + 1, $"{kind}, avdelning {d + 1}", UnitKind.Department, administrationIds[a],
                    (code++).ToString(CultureInfo.InvariantCulture), 1.0);
                units.Add(department);
                departments.Add(department);
            }

            for (var e = 0; e < enheterOf[a]; e++)
            {
                var department = departments[e % departments.Count];
                var kind = Administrations[a].UnitKinds[e % departments.Count % Administrations[a].UnitKinds.Length];
                // The chef's follow-up target: the first enhet of the care förvaltning, an even performer.
                var followed = a == 0 && e == 0;
                var enhet = new GeneratedUnit(units.Count + 1, followed ? "Hemtjänst Centrum" : $"{kind} {faker.Address.StreetName()}",
                    UnitKind.Unit, department.Id, (code++).ToString(CultureInfo.InvariantCulture), followed ? 1.0 : 0.7 + 0.6 * random.NextDouble());
                units.Add(enhet);
                enhetAdministration.Add((enhet, a));
            }
        }

        var committees = Committees.Select(c =>
        {
            var committee = new GeneratedUnit(units.Count + 1, c.Name, UnitKind.Committee, 1, (code++).ToString(CultureInfo.InvariantCulture), 0.9);
            units.Add(committee);
            return committee;
        }).ToList();

        // Enhet sizes: uneven (weights 0.4–1.6, 20–66 people), adding up to exactly 60 000 with the followed enhet at 200.
        var followedUnit = enhetAdministration[0].Unit;
        var weights = enhetAdministration.Skip(1).Select(_ => 0.4 + 1.2 * random.NextDouble()).ToArray();
        var sizes = new[] { FollowedUnitSize }.Concat(Spread(Employees - FollowedUnitSize, weights, minimum: 5)).ToArray();

        var people = new List<Person>();
        var employeeNumber = 100_000;
        Person NewPerson(int unitId, int administration, DateOnly start, bool active, DateOnly? leftOn, bool chef, string? email = null, string? title = null)
        {
            var id = people.Count + 1;
            var (first, last) = (faker.Name.FirstName(), faker.Name.LastName());
            var kinds = Administrations[administration];
            var caseOfficer = !chef && random.NextDouble() < kinds.CaseOfficers;
            string[] audiences =
            [
                .. active && start > today.AddDays(-90) ? [Audience.NewEmployee] : Array.Empty<string>(),
                Audience.Employee,
                .. caseOfficer ? [Audience.CaseOfficer] : Array.Empty<string>(),
                .. chef ? [Audience.Manager] : Array.Empty<string>(),
            ];
            var person = new Person(id, (employeeNumber++).ToString(CultureInfo.InvariantCulture), first, last,
                email ?? $"{Ascii(first)}.{Ascii(last)}.{id}@asunda.exempel.se",
                title ?? (chef ? "Enhetschef" : faker.PickRandom(kinds.Titles)), unitId, start, active, leftOn, audiences,
                NewGuid(random), 0.4 + 1.2 * random.NextDouble());
            people.Add(person);
            return person;
        }

        // Chefs first, one per enhet; the followed enhet's chef has a fixed e-mail for the benchmark's login.
        foreach (var (enhet, administration) in enhetAdministration)
        {
            var followed = enhet == followedUnit;
            var chef = NewPerson(enhet.Id, administration, today.AddDays(-random.Next(365, 25 * 365)), true, null, chef: true,
                followed ? Logins.ChefEmail : null);
            enhet.ManagerId = chef.Id;
        }

        // The anhörigkonsulent (admin) works in the care förvaltning's second enhet.
        var admin = NewPerson(enhetAdministration[1].Unit.Id, 0, today.AddDays(-2_200), true, null, chef: false, Logins.AdminEmail, "Anhörigkonsulent");

        // Everyone else fills the enheter up to their sizes: 11 % started in the last year, the rest up to 35 years ago.
        var filled = enhetAdministration.Select(e => people.Count(p => p.UnitId == e.Unit.Id)).ToArray();
        var slots = new List<int>();
        for (var i = 0; i < enhetAdministration.Count; i++)
        {
            slots.AddRange(Enumerable.Repeat(i, sizes[i] - filled[i]));
        }

        Shuffle(slots, random);
        foreach (var slot in slots)
        {
            var start = random.NextDouble() < 0.11 ? today.AddDays(-random.Next(0, 365)) : today.AddDays(-random.Next(365, 35 * 365));
            NewPerson(enhetAdministration[slot].Unit.Id, enhetAdministration[slot].Administration, start, true, null, chef: false);
        }

        // Politicians: no employee number, audience "politiker", in the nämnder; most took their seats after the 2022 election.
        foreach (var committee in committees)
        {
            for (var i = 0; i < Committees.First(c => c.Name == committee.Name).Members; i++)
            {
                var (first, last) = (faker.Name.FirstName(), faker.Name.LastName());
                var id = people.Count + 1;
                people.Add(new Person(id, null, first, last, $"{Ascii(first)}.{Ascii(last)}.{id}@politik.asunda.exempel.se",
                    i == 0 ? "Ordförande" : "Ledamot", committee.Id,
                    random.NextDouble() < 0.85 ? new DateOnly(2022, 10, 15) : new DateOnly(2022, 10, 15).AddDays(random.Next(60, 1400)),
                    true, null, [Audience.Politician], NewGuid(random), 0.3 + 1.2 * random.NextDouble()));
            }
        }

        // Leavers: 2 % on top, left in the last two years; never in the followed enhet, which keeps exactly 200.
        for (var i = 0; i < Employees / 50; i++)
        {
            var slot = 1 + random.Next(enhetAdministration.Count - 1);
            var leftOn = today.AddDays(-random.Next(1, 730));
            NewPerson(enhetAdministration[slot].Unit.Id, enhetAdministration[slot].Administration, leftOn.AddDays(-random.Next(60, 20 * 365)),
                false, leftOn, chef: false);
        }

        var children = units.ToLookup(u => u.ParentId);
        var subtrees = new Dictionary<int, HashSet<int>>();
        HashSet<int> Subtree(int id)
        {
            if (!subtrees.TryGetValue(id, out var ids))
            {
                ids = [id];
                foreach (var child in children[id])
                {
                    ids.UnionWith(Subtree(child.Id));
                }

                subtrees[id] = ids;
            }

            return ids;
        }

        units.ForEach(u => Subtree(u.Id));
        return new Kommun
        {
            Units = units,
            People = people,
            MunicipalityId = municipality.Id,
            FollowedUnitId = followedUnit.Id,
            FollowedChefId = followedUnit.ManagerId!.Value,
            AdminId = admin.Id,
            Subtrees = subtrees,
        };
    }

    /// <summary>A deterministic Guid from the seeded generator (Guid.NewGuid would make every run differ).</summary>
    public static Guid NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>Splits <paramref name="total"/> in proportion to <paramref name="weights"/>, each at least <paramref name="minimum"/>, summing exactly.</summary>
    private static int[] Spread(int total, double[] weights, int minimum)
    {
        var rest = total - minimum * weights.Length;
        var sum = weights.Sum();
        var exact = weights.Select(w => rest * w / sum).ToArray();
        var counts = exact.Select(x => minimum + (int)Math.Floor(x)).ToArray();
        // Largest remainders get the rounding leftovers.
        foreach (var i in Enumerable.Range(0, weights.Length).OrderByDescending(i => exact[i] - Math.Floor(exact[i])).ThenBy(i => i).Take(total - counts.Sum()))
        {
            counts[i]++;
        }

        return counts;
    }

    private static void Shuffle<T>(List<T> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static string Ascii(string name) =>
        new([.. name.ToLowerInvariant()
            .Replace('å', 'a').Replace('ä', 'a').Replace('ö', 'o').Replace('é', 'e')
            .Where(char.IsAsciiLetter)]);
}
