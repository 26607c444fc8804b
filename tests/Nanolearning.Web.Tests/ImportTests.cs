using System.Net;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.HrImport;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Infrastructure;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The HR import: the import class called directly for the file's edge cases, and the upload, preview and confirm
/// pages over HTTP. Every test builds its file from the employees in the database, as the HR system would export them.
/// </summary>
public sealed class ImportTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Importing_the_same_file_twice_changes_nothing_the_second_time()
    {
        var file = await StaffFile.Current(app);
        file.With(StaffFile.NewEmployee("70001"));
        await Import(file.Csv());
        var before = await Snapshot();

        var again = await Import(file.Csv());

        Assert.True(again.IsValid);
        Assert.False(again.ChangesAnything, string.Join(", ", again.Updated.Concat(again.Moved).Select(p => $"{p.Name}: {string.Join("; ", p.Changes)}")));
        Assert.Equal(file.Lines.Count, again.Unchanged);
        Assert.Equal(before, await Snapshot());
    }

    [Fact]
    public async Task A_new_employee_gets_a_login_without_password_their_roles_and_onboarding()
    {
        var file = await StaffFile.Current(app);
        file.With(StaffFile.NewEmployee("70002", "Östen", "Ågren") with { Role = "Handläggare" });

        var result = await Import(file.Csv());

        Assert.Equal("Östen Ågren", Assert.Single(result.NewEmployees).Name);
        var learner = await app.Query(db => db.Learners.Include(l => l.Unit).SingleAsync(l => l.EmployeeNumber == "70002"));
        Assert.Equal(("Hemtjänst Norr", "Undersköterska"), (learner.Unit!.Name, learner.JobTitle));
        Assert.Equal([Audience.Employee, Audience.CaseOfficer], learner.Audiences);
        var login = await app.Query(db => db.Users.SingleAsync(u => u.LearnerId == learner.Id));
        Assert.Equal((learner.Email, (string?)null), (login.UserName, login.PasswordHash));
        Assert.Equal([Roles.Employee], await RolesOf(login.Id));
        Assert.True(await app.Query(db => db.Assignments.AnyAsync(a => a.LearnerId == learner.Id && a.Origin == AssignmentPlanner.OnboardingOrigin)));
    }

    [Fact]
    public async Task A_new_unit_is_made_under_its_parent_and_led_by_the_chef_the_rows_name()
    {
        var file = await StaffFile.Current(app);
        var unit = new { Code = "9100", Name = "Hemtjänst Öster", Parent = "1100" };
        file.With(StaffFile.NewEmployee("70010", "Karin", "Chefsson") with { UnitCode = unit.Code, UnitName = unit.Name, ParentCode = unit.Parent, ManagerNumber = "70010", Role = "Medarbetare" })
            .With(StaffFile.NewEmployee("70011") with { UnitCode = unit.Code, UnitName = unit.Name, ParentCode = unit.Parent, ManagerNumber = "70010" });

        var result = await Import(file.Csv());

        Assert.Equal("Hemtjänst Öster", Assert.Single(result.NewUnits).Name);
        var made = await app.Query(db => db.Units.Include(u => u.Parent).Include(u => u.Manager).SingleAsync(u => u.Code == unit.Code));
        Assert.Equal(("Vård- och omsorgsförvaltningen", "Karin Chefsson"), (made.Parent!.Name, made.Manager!.FullName));
        // Leading a unit makes a chef, whatever the role column says.
        Assert.Contains(Audience.Manager, made.Manager.Audiences);
        Assert.Equal([Roles.Manager, Roles.Employee], await RolesOf(await app.Query(db => db.Users.Where(u => u.LearnerId == made.ManagerId).Select(u => u.Id).SingleAsync())));
    }

    [Fact]
    public async Task A_changed_name_parent_and_chef_of_a_unit_are_updated_and_shown()
    {
        var file = await StaffFile.Current(app);
        var code = file.Lines.First(l => l.UnitCode != "2000").UnitCode;
        var newChef = file.Lines.First(l => l.UnitCode == code && l.Role != "Chef").EmployeeNumber;
        foreach (var line in file.Lines.Where(l => l.UnitCode == code).ToList())
        {
            file[line.EmployeeNumber] = line with { UnitName = line.UnitName + " (ny)", ParentCode = "1400", ManagerNumber = newChef };
        }

        var preview = await Preview(file.Csv());
        var result = await Import(file.Csv());

        var change = Assert.Single(preview.ChangedUnits);
        Assert.Contains(change.Changes, c => c.StartsWith("namn: ", StringComparison.Ordinal) && c.EndsWith(" (ny)", StringComparison.Ordinal));
        Assert.Contains(change.Changes, c => c.StartsWith("överordnad enhet: ", StringComparison.Ordinal) && c.EndsWith("→ Kommunledningsförvaltningen", StringComparison.Ordinal));
        Assert.Contains(change.Changes, c => c.StartsWith("chef: ", StringComparison.Ordinal));
        Assert.Single(result.ChangedUnits);
        var unit = await app.Query(db => db.Units.Include(u => u.Parent).Include(u => u.Manager).SingleAsync(u => u.Code == code));
        Assert.Equal(("Kommunledningsförvaltningen", newChef), (unit.Parent!.Name, unit.Manager!.EmployeeNumber));
        Assert.EndsWith(" (ny)", unit.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mover_changes_unit_and_the_preview_says_from_where_to_where()
    {
        var maja = DemoSeeder.Personas[1];
        var file = await StaffFile.Current(app);
        var number = file.Lines.Single(l => l.Email == maja.Email).EmployeeNumber;
        var to = file.Lines.First(l => l.UnitCode != file[number].UnitCode);
        var from = file[number].UnitName;
        file[number] = file[number] with { UnitCode = to.UnitCode, UnitName = to.UnitName, ParentCode = to.ParentCode, ManagerNumber = "", Role = "Medarbetare" };

        var result = await Import(file.Csv());

        var moved = Assert.Single(result.Moved);
        Assert.Equal((from, to.UnitName), (moved.FromUnit, moved.Unit));
        Assert.Equal(to.UnitCode, await app.Query(db => db.Learners.Where(l => l.EmployeeNumber == number).Select(l => l.Unit!.Code).SingleAsync()));
    }

    [Fact]
    public async Task A_leaver_is_marked_inactive_keeps_their_history_and_comes_back_when_in_the_file_again()
    {
        var leaver = await app.Query(db => db.Learners
            .Where(l => l.IsActive && l.EmployeeNumber != null && !l.Audiences.Contains(Audience.Manager) && db.Enrolments.Any(e => e.LearnerId == l.Id))
            .OrderByDescending(l => l.Id)
            .FirstAsync());
        var enrolments = await app.Query(db => db.Enrolments.CountAsync(e => e.LearnerId == leaver.Id));
        var stamp = await app.Query(db => db.Users.Where(u => u.LearnerId == leaver.Id).Select(u => u.SecurityStamp).SingleAsync());
        var file = await StaffFile.Current(app);
        var line = file[leaver.EmployeeNumber!];

        var gone = await Import(file.Without(leaver.EmployeeNumber!).Csv());

        Assert.Equal(leaver.FullName, Assert.Single(gone.Leavers).Name);
        var after = await app.Query(db => db.Learners.SingleAsync(l => l.Id == leaver.Id));
        Assert.False(after.IsActive);
        var today = app.Today;
        Assert.InRange(after.LeftOn!.Value, today.AddDays(-1), today.AddDays(1));
        Assert.Equal(enrolments, await app.Query(db => db.Enrolments.CountAsync(e => e.LearnerId == leaver.Id)));
        // The login stays, with a new security stamp: a session the leaver is signed in with is checked again and ended.
        Assert.NotEqual(stamp, await app.Query(db => db.Users.Where(u => u.LearnerId == leaver.Id).Select(u => u.SecurityStamp).SingleAsync()));

        var stillGone = await Import(file.Csv());
        Assert.Empty(stillGone.Leavers);
        Assert.Equal(after.LeftOn, await app.Query(db => db.Learners.Where(l => l.Id == leaver.Id).Select(l => l.LeftOn).SingleAsync()));

        var back = await Import(file.With(line).Csv());

        Assert.Equal(leaver.FullName, Assert.Single(back.Reactivated).Name);
        var returned = await app.Query(db => db.Learners.SingleAsync(l => l.Id == leaver.Id));
        Assert.Equal((true, (DateOnly?)null), (returned.IsActive, returned.LeftOn));
    }

    [Fact]
    public async Task Politicians_are_never_touched_and_their_addresses_are_not_free()
    {
        var before = await app.Query(db => db.Learners.AsNoTracking().Where(l => l.EmployeeNumber == null && l.Audiences.Contains(Audience.Politician))
            .Select(l => new { l.Id, l.Email, l.IsActive, l.UnitId }).OrderBy(l => l.Id).ToListAsync());
        var file = await StaffFile.Current(app);

        await Import(file.Csv());
        var taken = await Import(file.With(StaffFile.NewEmployee("70020") with { Email = before[0].Email.ToUpperInvariant() }).Csv());

        var after = await app.Query(db => db.Learners.AsNoTracking().Where(l => l.EmployeeNumber == null && l.Audiences.Contains(Audience.Politician))
            .Select(l => new { l.Id, l.Email, l.IsActive, l.UnitId }).OrderBy(l => l.Id).ToListAsync());
        Assert.Equal(before, after);
        var problem = Assert.Single(taken.Problems);
        Assert.Contains("används redan av", problem.Message);
        Assert.Equal((4, "E-post"), (problem.ColumnNumber, problem.Header));
        Assert.False(await app.Query(db => db.Learners.AnyAsync(l => l.EmployeeNumber == "70020")));
    }

    [Fact]
    public async Task A_bad_file_is_refused_whole_with_each_problem_by_row_and_column()
    {
        var csv = string.Join("\n",
            StaffFile.Header,
            $"80001;Anna;Andersson;anna@exempel.se;;;3000;Ny enhet;1100;80001;{StaffFile.RecentStart}",
            $"80002;;Berg;berg@exempel.se;;;3000;Ny enhet;1100;;{StaffFile.RecentStart}",
            $"80003;Cecilia;Ceder;inte-en-adress;;;3000;Ny enhet;1100;;2026-13-01",
            $"80001;David;Dahl;anna@exempel.se;;;3000;Ny enhet;1100;80002;15/8/2026",
            $"80005;Eva;Ek;eva@exempel.se;;;3000;Annan enhet;1100;;{StaffFile.RecentStart}",
            $"80006;Fia;Fors;fia@exempel.se;;;3001;Tredje enheten;1100;99999;{StaffFile.RecentStart}");

        var result = await Import(csv);

        Assert.Equal(
            [
                "Rad 3, kolumn 2 (Förnamn): Förnamn saknas.",
                "Rad 4, kolumn 4 (E-post): ”inte-en-adress” är ingen giltig e-postadress.",
                "Rad 4, kolumn 11 (Anställningsdatum): ”2026-13-01” är inget datum. Skriv datum som ÅÅÅÅ-MM-DD, till exempel 2026-08-15.",
                "Rad 5, kolumn 11 (Anställningsdatum): ”15/8/2026” är inget datum. Skriv datum som ÅÅÅÅ-MM-DD, till exempel 2026-08-15.",
            ],
            result.Problems.Select(p => p.ToString()));

        // With each row readable, the checks across rows have their turn.
        var rows = csv.Replace(";;Berg", ";Bo;Berg").Replace("inte-en-adress", "cecilia@exempel.se").Replace("2026-13-01", StaffFile.RecentStart).Replace("15/8/2026", StaffFile.RecentStart);
        var across = await Import(rows);

        Assert.Equal(
            [
                "Rad 5, kolumn 1 (Anställningsnummer): Anställningsnumret 80001 finns redan på rad 2.",
                "Rad 5, kolumn 4 (E-post): E-postadressen anna@exempel.se finns redan på rad 2.",
                "Rad 5, kolumn 10 (Chefens anställningsnummer): Enhet 3000 har chefen 80001 på rad 2 men 80002 här. En enhet kan bara ha en chef.",
                "Rad 6, kolumn 8 (Enhet): Enhet 3000 heter ”Ny enhet” på rad 2 men ”Annan enhet” här.",
                "Rad 7, kolumn 10 (Chefens anställningsnummer): Chefen med anställningsnummer 99999 finns inte i filen.",
            ],
            across.Problems.Select(p => p.ToString()));
        Assert.False(await app.Query(db => db.Units.AnyAsync(u => u.Code == "3000")));
        Assert.False(await app.Query(db => db.Learners.AnyAsync(l => l.EmployeeNumber == "80001" || l.EmployeeNumber == "80002")));
    }

    [Fact]
    public async Task Missing_columns_an_empty_file_and_a_file_without_employees_are_refused()
    {
        var missing = await Import("Anställningsnummer;Förnamn;Efternamn;Enhet;Anställningsdatum\n1;A;B;C;2026-01-01\n");
        var empty = await Import("");
        var headerOnly = await Import(StaffFile.Header + "\r\n");
        var commas = await Import(StaffFile.Header.Replace(';', ',') + "\n");

        Assert.Equal(
            ["Kolumnen ”E-post” saknas i rubrikraden.", "Kolumnen ”Enhetskod” saknas i rubrikraden.", ChefColumnMissing],
            missing.Problems.Select(p => p.ToString()));
        Assert.Equal("Filen är tom. Den ska ha en rubrikrad och en rad per anställd.", Assert.Single(empty.Problems).Message);
        Assert.Equal("Filen har bara en rubrikrad och inga anställda.", Assert.Single(headerOnly.Problems).Message);
        Assert.Contains(commas.Problems, p => p.Message.Contains("avgränsad med kommatecken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Optional_columns_left_out_of_the_file_leave_what_they_hold_as_it_is()
    {
        var file = await StaffFile.Current(app);
        // Without a role column, chef goes with leading a unit: someone another test made step down keeps it only by role.
        var leaders = file.Lines.Select(l => l.ManagerNumber).ToHashSet();
        foreach (var line in file.Lines.Where(l => l.Role == "Chef" && !leaders.Contains(l.EmployeeNumber)).ToList())
        {
            file[line.EmployeeNumber] = line with { Role = "Medarbetare" };
        }

        await Import(file.Csv());
        var before = await Snapshot();
        // Only the columns every file has: no title, role or parent unit.
        int[] required = [0, 1, 2, 3, 6, 7, 9, 10];
        var header = StaffFile.Header.Split(';');
        var csv = string.Join("\r\n", [string.Join(';', required.Select(i => header[i])), .. file.Lines.Select(l => string.Join(';', required.Select(i => l.Values[i])))]);

        var result = await Import(csv);

        Assert.True(result.IsValid, string.Join(", ", result.Problems));
        Assert.False(result.ChangesAnything);
        Assert.Equal(before, await Snapshot());
    }

    [Fact]
    public async Task Unknown_parent_codes_and_units_under_themselves_are_refused()
    {
        var file = await StaffFile.Current(app);
        file.With(StaffFile.NewEmployee("70030") with { UnitCode = "9200", UnitName = "Enhet A", ParentCode = "0000" });
        var unknown = await Import(file.Csv());

        file = await StaffFile.Current(app);
        // 1100 (a förvaltning) under the new 9300, which is under 2000 (Hemtjänst Norr), which is under 1100.
        file.With(StaffFile.NewEmployee("70031") with { UnitCode = "9300", UnitName = "Enhet B", ParentCode = "2000" })
            .With(StaffFile.NewEmployee("70032") with { UnitCode = "1100", UnitName = "Vård- och omsorgsförvaltningen", ParentCode = "9300" });
        var cycle = await Import(file.Csv());

        var problem = Assert.Single(unknown.Problems);
        Assert.Equal((9, "Den överordnade enheten 0000 finns varken i filen eller i Nanolearning."), (problem.ColumnNumber!.Value, problem.Message));
        Assert.StartsWith("Enhet 2000 hamnar under sig själv: 2000 → 1100 → 9300 → 2000.", Assert.Single(cycle.Problems).Message, StringComparison.Ordinal);
        Assert.False(await app.Query(db => db.Units.AnyAsync(u => u.Code == "9200" || u.Code == "9300")));
    }

    [Fact]
    public async Task An_address_of_an_account_without_an_employee_is_refused()
    {
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.True((await users.CreateAsync(new AppUser { UserName = "it-admin@exempel.se", Email = "it-admin@exempel.se" })).Succeeded);
        }

        var file = await StaffFile.Current(app);
        var result = await Import(file.With(StaffFile.NewEmployee("70040") with { Email = "IT-admin@exempel.se" }).Csv());

        Assert.Contains("logga in med ett annat konto", Assert.Single(result.Problems).Message);
    }

    [Fact]
    public async Task Two_employees_may_swap_addresses_and_their_logins_follow()
    {
        var file = await StaffFile.Current(app);
        file.With(StaffFile.NewEmployee("70050")).With(StaffFile.NewEmployee("70051"));
        await Import(file.Csv());
        var (a, b) = (file["70050"], file["70051"]);
        file["70050"] = a with { Email = b.Email };
        file["70051"] = b with { Email = a.Email };

        var result = await Import(file.Csv());

        Assert.Equal(2, result.Updated.Count);
        var logins = await app.Query(db => db.Users.Where(u => u.Email == a.Email || u.Email == b.Email)
            .Select(u => new { u.UserName, Number = db.Learners.Where(l => l.Id == u.LearnerId).Select(l => l.EmployeeNumber).Single() })
            .OrderBy(u => u.Number).ToListAsync());
        Assert.Equal([b.Email, a.Email], logins.Select(l => l.UserName));
    }

    [Fact]
    public async Task Quoted_values_may_hold_the_separator_quotes_and_swedish_letters()
    {
        var file = await StaffFile.Current(app);
        file.With(StaffFile.NewEmployee("70060", "Åke", "Örn") with { JobTitle = "Undersköterska; natt \"vak\"", UnitName = "Hemtjänst Norr" });
        Assert.Contains("\"Undersköterska; natt \"\"vak\"\"\"", file.Csv());

        await Import(file.Csv());

        var learner = await app.Query(db => db.Learners.SingleAsync(l => l.EmployeeNumber == "70060"));
        Assert.Equal(("Åke", "Örn", "Undersköterska; natt \"vak\""), (learner.FirstName, learner.LastName, learner.JobTitle));
    }

    [Theory]
    [InlineData("utf-8 with bom")]
    [InlineData("utf-8")]
    [InlineData("windows-1252")]
    [InlineData("utf-16 with bom")]
    public void The_file_is_read_as_utf8_with_or_without_bom_or_as_windows_1252(string encoding)
    {
        var text = StaffFile.Header + "\r\n1;Åsa;Östergård;asa@exempel.se;Kurator;;2000;Särskilt boende Björken;;;2026-01-01\r\n";
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = encoding switch
        {
            "utf-8 with bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
            "utf-8" => Encoding.UTF8.GetBytes(text),
            "utf-16 with bom" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
            _ => Encoding.GetEncoding(1252).GetBytes(text),
        };

        var decoded = HrFile.Decode(bytes);

        Assert.Equal(text, decoded);
        var row = Assert.Single(HrFile.Read(decoded, new HrImportOptions()).Rows);
        Assert.Equal(("Åsa", "Östergård", "Särskilt boende Björken"), (row.FirstName, row.LastName, row.UnitName));
    }

    [Fact]
    public void Columns_roles_and_the_separator_come_from_settings()
    {
        var options = new HrImportOptions
        {
            Delimiter = ',',
            Columns = { EmployeeNumber = "AnstNr", Email = "Mejl" },
            RoleAudiences = { ["Enhetschef"] = [Audience.Manager, Audience.Employee] },
        };
        var csv = StaffFile.Header.Replace(';', ',').Replace("Anställningsnummer", "AnstNr").Replace("E-post", "Mejl")
            + "\n1,Åsa,Ek,asa@exempel.se,,Enhetschef,2000,Hemtjänst Norr,,,2026-01-01\n";

        var row = Assert.Single(HrFile.Read(csv, options).Rows);

        Assert.Equal(("1", "asa@exempel.se"), (row.EmployeeNumber, row.Email));
        Assert.Equal([Audience.Manager, Audience.Employee], options.AudiencesOf("ENHETSCHEF "));
        Assert.Equal([Audience.Employee], options.AudiencesOf("Chef"));
        Assert.Equal([Audience.CaseOfficer, Audience.Employee], new HrImportOptions().AudiencesOf("handläggare"));
    }

    [Fact]
    public async Task A_failure_while_writing_rolls_back_everything()
    {
        var file = await StaffFile.Current(app);
        file.With(StaffFile.NewEmployee("70070") with { UnitCode = "9400", UnitName = "Rullas tillbaka", ParentCode = "1100" });
        await using var db = app.NewDbContext(new FailOnNewLogins());
        var time = app.Clock;
        var import = new HrImport(
            db, new UpperInvariantLookupNormalizer(),
            new AssignmentPlanner(db, Options.Create(new NanolearningOptions()), time, NullLogger<AssignmentPlanner>.Instance),
            app.Services.GetRequiredService<SessionChecks>(),
            Options.Create(new HrImportOptions()), time, NullLogger<HrImport>.Instance);

        await Assert.ThrowsAsync<IOException>(() => import.ImportAsync(file.Csv(), default));

        // The unit and the employee were saved before the logins failed, in the same transaction.
        Assert.False(await app.Query(db => db.Units.AnyAsync(u => u.Code == "9400")));
        Assert.False(await app.Query(db => db.Learners.AnyAsync(l => l.EmployeeNumber == "70070")));
        // And the write queue was let go: the app still saves.
        await Import(file.Csv()).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await app.Query(db => db.Learners.AnyAsync(l => l.EmployeeNumber == "70070")));
    }

    [Fact]
    public async Task An_admin_uploads_sees_the_preview_and_confirms_over_http()
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var file = await StaffFile.Current(app);
        file.With(StaffFile.NewEmployee("70080", "Sigrid", "Ängström"));

        using var upload = await Upload(admin, file.Bytes(new UTF8Encoding(true)));
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        var preview = await admin.Open(upload.Headers.Location!.OriginalString);

        Assert.Contains("Sigrid Ängström", Text(preview));
        Assert.Equal("1", preview.QuerySelectorAll("tr").Single(r => r.QuerySelector("th")?.TextContent == "Nya anställda").QuerySelector("td")!.TextContent);
        Assert.False(await app.Query(db => db.Learners.AnyAsync(l => l.EmployeeNumber == "70080")));

        var done = await admin.SubmitAndFollow(preview, "form[action*='handler=Confirm']");

        Assert.Contains("Importen är klar: 1 nya", Text(done));
        Assert.True(await app.Query(db => db.Learners.AnyAsync(l => l.EmployeeNumber == "70080" && l.IsActive)));
        var id = Guid.Parse(upload.Headers.Location.OriginalString.Split('/')[^1]);
        Assert.False(await app.Query(db => db.PendingImports.AnyAsync(p => p.Id == id)));
    }

    [Fact]
    public async Task A_file_that_clashes_with_the_database_at_confirmation_is_refused_whole_and_stays_uploaded()
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var file = await StaffFile.Current(app);
        file.With(StaffFile.NewEmployee("70110", "Tove", "Tidig"));
        using var upload = await Upload(admin, Encoding.UTF8.GetBytes(file.Csv()));
        var preview = await admin.Open(upload.Headers.Location!.OriginalString);
        // Between preview and go-ahead, someone makes an account with the new employee's address.
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var address = file["70110"].Email;
            Assert.True((await users.CreateAsync(new AppUser { UserName = address, Email = address })).Succeeded);
        }

        using var confirm = await admin.Submit(preview, "form[action*='handler=Confirm']");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, confirm.StatusCode);
        Assert.Contains("logga in med ett annat konto", await confirm.Content.ReadAsStringAsync());
        Assert.False(await app.Query(db => db.Learners.AnyAsync(l => l.EmployeeNumber == "70110")));
        var id = Guid.Parse(upload.Headers.Location.OriginalString.Split('/')[^1]);
        Assert.True(await app.Query(db => db.PendingImports.AnyAsync(p => p.Id == id)));
    }

    [Fact]
    public async Task A_bad_file_shows_its_problems_and_no_way_to_confirm()
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var csv = StaffFile.Header + $"\n80100;Fel;Datum;fel.datum@exempel.se;;;2000;Hemtjänst Norr;1100;;1 januari\n";

        using var upload = await Upload(admin, Encoding.UTF8.GetBytes(csv));
        var preview = await admin.Open(upload.Headers.Location!.OriginalString, HttpStatusCode.UnprocessableEntity);

        Assert.Contains("Filen kan inte importeras", Text(preview));
        Assert.Contains("Rad 2, kolumn 11 (Anställningsdatum): ”1 januari” är inget datum.", Text(preview));
        Assert.Null(preview.QuerySelector("form[action*='handler=Confirm']"));
    }

    [Fact]
    public async Task Only_admins_may_import()
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var file = await StaffFile.Current(app);
        using var upload = await Upload(admin, Encoding.UTF8.GetBytes(file.With(StaffFile.NewEmployee("70090")).Csv()));
        var previewUrl = upload.Headers.Location!.OriginalString;

        var chef = app.NewVisitor();
        await chef.LogInAs("chef");
        using var page = await chef.Client.GetAsync("/admin/import");
        var token = (await chef.Open("/")).QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")!.Value;
        using var confirm = await chef.Post(previewUrl + "?handler=Confirm", [KeyValuePair.Create("__RequestVerificationToken", token)]);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        await chef.Open(page.Headers.Location!.OriginalString, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
        Assert.Contains("/fel/403", confirm.Headers.Location!.OriginalString);
        Assert.False(await app.Query(db => db.Learners.AnyAsync(l => l.EmployeeNumber == "70090")));
        var id = Guid.Parse(previewUrl.Split('/')[^1]);
        Assert.True(await app.Query(db => db.PendingImports.AnyAsync(p => p.Id == id)));
    }

    [Fact]
    public async Task An_upload_of_another_admin_an_old_one_or_a_made_up_id_is_not_found()
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var csv = (await StaffFile.Current(app)).With(StaffFile.NewEmployee("70100")).Csv();
        var foreign = Guid.NewGuid();
        var stale = Guid.NewGuid();
        var adminId = await app.Query(db => db.Users.Where(u => u.Email == DemoSeeder.Personas[4].Email).Select(u => u.Id).SingleAsync());
        await app.Query(db =>
        {
            db.PendingImports.AddRange(
                new PendingImport { Id = foreign, UploadedBy = "en-annan-admin", FileName = "a.csv", Content = csv, UploadedAt = app.UtcNow },
                new PendingImport { Id = stale, UploadedBy = adminId, FileName = "b.csv", Content = csv, UploadedAt = app.UtcNow.AddHours(-2) });
            return db.SaveChangesAsync();
        });
        var token = (await admin.Open("/admin/import")).QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")!.Value;

        foreach (var id in new[] { foreign, stale, Guid.NewGuid() })
        {
            var page = await admin.Open($"/admin/import/{id}", HttpStatusCode.NotFound);
            Assert.Contains("Filen finns inte", Text(page));
            using var confirm = await admin.Post($"/admin/import/{id}?handler=Confirm", [KeyValuePair.Create("__RequestVerificationToken", token)]);
            Assert.Equal(HttpStatusCode.NotFound, confirm.StatusCode);
        }

        await admin.Open("/admin/import/inte-ett-id", HttpStatusCode.NotFound);
        Assert.False(await app.Query(db => db.Learners.AnyAsync(l => l.EmployeeNumber == "70100")));
        Assert.True(await app.Query(db => db.PendingImports.AnyAsync(p => p.Id == foreign)));
    }

    [Fact]
    public async Task A_file_over_the_limit_no_file_and_an_empty_file_are_refused_at_upload()
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");

        using var large = await Upload(admin, new byte[(20 * 1024 * 1024) + 1]);
        // Over the room the page leaves for the request, too: the form cannot even be read.
        using var huge = await Upload(admin, new byte[45 * 1024 * 1024]);
        using var empty = await Upload(admin, []);
        using var none = await Upload(admin, null);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Contains("Den får vara högst 20 MB.", await large.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Contains("Den får vara högst 20 MB.", await huge.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.Contains("är tom", await empty.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, none.StatusCode);
        Assert.Contains("Välj filen från personalsystemet", await none.Content.ReadAsStringAsync());
    }

    private const string ChefColumnMissing =
        "Kolumnen ”Chefens anställningsnummer” saknas i rubrikraden. Den måste finnas, eftersom importen bestämmer vem som är chef för varje enhet. Lämna den tom på rader vars enhet inte har någon chef.";

    [Fact]
    public async Task A_file_without_the_chef_column_is_refused_since_it_decides_who_leads_each_unit()
    {
        var file = await StaffFile.Current(app);
        var before = await Snapshot();
        int[] kept = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10];
        var header = StaffFile.Header.Split(';');
        var csv = string.Join("\r\n", [string.Join(';', kept.Select(i => header[i])), .. file.Lines.Select(l => string.Join(';', kept.Select(i => l.Values[i])))]);

        var result = await Import(csv);

        Assert.Equal([ChefColumnMissing], result.Problems.Select(p => p.ToString()));
        Assert.Equal(before, await Snapshot());
    }

    [Fact]
    public async Task A_chef_no_longer_marked_in_the_file_loses_her_unit_its_follow_up_and_its_digest()
    {
        var kristina = DemoSeeder.Personas[2];
        var kristinaId = await app.LearnerId(kristina.Email);
        var unitId = await app.Query(db => db.Units.Where(u => u.Code == "2000").Select(u => u.Id).SingleAsync());
        Assert.Equal(kristinaId, await app.Query(db => db.Units.Where(u => u.Id == unitId).Select(u => u.ManagerId).SingleAsync()));
        var original = await StaffFile.Current(app);
        // HR moves Hemtjänst Norr's staff to a new team under it, with no chef yet; Kristina stays on as a medarbetare.
        // Unit 2000 is now only a parent code in the file: no row says who leads it.
        var file = await StaffFile.Current(app);
        file.With(StaffFile.NewEmployee("70200", "Sen", "Sensson"));
        var number = file.Lines.Single(l => l.Email == kristina.Email).EmployeeNumber;
        foreach (var line in file.Lines.Where(l => l.UnitCode == "2000").ToList())
        {
            file[line.EmployeeNumber] = line with { UnitCode = "2050", UnitName = "Hemtjänst Norr Centrum", ParentCode = "2000", ManagerNumber = "" };
        }

        file[number] = file[number] with { Role = "Medarbetare" };
        await app.Query(async db =>
        {
            var learner = await db.Learners.SingleAsync(l => l.Id == kristinaId);
            (learner.DigestDay, learner.DigestOff) = (app.Today.DayOfWeek, false);
            return await db.SaveChangesAsync();
        });

        try
        {
            var preview = await Preview(file.Csv());
            var result = await Import(file.Csv());
            // Someone in her old unit's subtree is overdue, so a digest would have something to say.
            await app.Assign(file["70200"].Email, DemoSeeder.CaseOfficerCourse, dueOn: app.Today.AddDays(-3));

            var lost = Assert.Single(preview.Managers, m => m.Code == "2000");
            Assert.Equal(("Kristina Berg", (string?)null), (lost.From, lost.To));
            Assert.Contains(result.Managers, m => m.Code == "2000");
            Assert.Null(await app.Query(db => db.Units.Where(u => u.Id == unitId).Select(u => u.ManagerId).SingleAsync()));
            var login = await app.Query(db => db.Users.Where(u => u.LearnerId == kristinaId).Select(u => u.Id).SingleAsync());
            Assert.Equal([Roles.Employee], await RolesOf(login));

            var visitor = app.NewVisitor();
            await visitor.LogInAs("chef");
            await visitor.Open($"/arshjul/{unitId}", HttpStatusCode.Forbidden);
            await visitor.Open($"/uppfoljning/enhet/{unitId}", HttpStatusCode.Forbidden);

            await Scan(kristinaId);
            Assert.False(await app.Query(db => db.Reminders.AnyAsync(r => r.LearnerId == kristinaId && r.Kind == ReminderKind.Digest)));
        }
        finally
        {
            Assert.True((await Import(original.Csv())).IsValid);
        }
    }

    [Fact]
    public async Task A_unit_s_manager_without_the_chef_role_may_not_open_it_and_gets_no_digest()
    {
        var chef = await app.Query(db => db.Units
            .Where(u => u.Kind == UnitKind.Unit && u.Code != "2000" && u.ManagerId != null && u.Manager!.IsActive && db.Users.Any(x => x.LearnerId == u.ManagerId))
            .OrderBy(u => u.Id)
            .Select(u => new { UnitId = u.Id, LearnerId = u.ManagerId!.Value, u.Manager!.Email })
            .FirstAsync());
        var login = await app.Query(db => db.Users.Where(u => u.LearnerId == chef.LearnerId).Select(u => u.Id).SingleAsync());
        var chefRole = await app.Query(db => db.Roles.Where(r => r.Name == Roles.Manager).Select(r => r.Id).SingleAsync());
        // The unit still names them, but their login has lost the chef role (by hand, or by a role the HR file took away).
        await app.Query(db => db.UserRoles.Where(r => r.UserId == login && r.RoleId == chefRole).ExecuteDeleteAsync());
        await app.Query(async db =>
        {
            var learner = await db.Learners.SingleAsync(l => l.Id == chef.LearnerId);
            (learner.DigestDay, learner.DigestOff) = (app.Today.DayOfWeek, false);
            return await db.SaveChangesAsync();
        });
        var employee = await app.NewLearner();
        var employeeId = await app.LearnerId(employee);
        await app.Query(db => db.Learners.Where(l => l.Id == employeeId).ExecuteUpdateAsync(l => l.SetProperty(x => x.UnitId, chef.UnitId)));
        await app.Assign(employee, DemoSeeder.CaseOfficerCourse, dueOn: app.Today.AddDays(-3));

        try
        {
            var visitor = app.NewVisitor();
            await visitor.LogIn(chef.Email, DemoSeeder.Password);
            await visitor.Open($"/arshjul/{chef.UnitId}", HttpStatusCode.Forbidden);
            await visitor.Open($"/uppfoljning/enhet/{chef.UnitId}", HttpStatusCode.Forbidden);

            await Scan(chef.LearnerId);
            Assert.False(await app.Query(db => db.Reminders.AnyAsync(r => r.LearnerId == chef.LearnerId && r.Kind == ReminderKind.Digest)));
        }
        finally
        {
            await app.Query(db =>
            {
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = login, RoleId = chefRole });
                return db.SaveChangesAsync();
            });
        }
    }

    [Fact]
    public async Task A_chef_who_leaves_loses_the_chef_role_and_her_unit()
    {
        var original = await StaffFile.Current(app);
        var unit = original.Lines.First(l => l.UnitCode != "2000" && l.ManagerNumber.Length > 0 && original.Lines.Count(o => o.UnitCode == l.UnitCode) > 1);
        var leaver = unit.ManagerNumber;
        var file = await StaffFile.Current(app);
        foreach (var line in file.Lines.Where(l => l.UnitCode == unit.UnitCode).ToList())
        {
            file[line.EmployeeNumber] = line with { ManagerNumber = "" };
        }

        try
        {
            await Import(file.Without(leaver).Csv());

            var learner = await app.Query(db => db.Learners.SingleAsync(l => l.EmployeeNumber == leaver));
            Assert.False(learner.IsActive);
            Assert.DoesNotContain(Audience.Manager, learner.Audiences);
            Assert.Equal([Roles.Employee], await RolesOf(await app.Query(db => db.Users.Where(u => u.LearnerId == learner.Id).Select(u => u.Id).SingleAsync())));
            Assert.Null(await app.Query(db => db.Units.Where(u => u.Code == unit.UnitCode).Select(u => u.ManagerId).SingleAsync()));
        }
        finally
        {
            Assert.True((await Import(original.Csv())).IsValid);
        }
    }

    [Fact]
    public async Task A_nul_byte_is_reported_on_its_own_row_and_column()
    {
        // The first row names the unit; before the check the other rows were blamed for a name that "differs" invisibly.
        var csv = string.Join("\n",
            StaffFile.Header,
            $"80201;Anna;Andersson;anna.nul@exempel.se;;;3100;Ny\0 enhet;1100;;{StaffFile.RecentStart}",
            $"80202;Bo;Berg;bo.nul@exempel.se;;;3100;Ny enhet;1100;;{StaffFile.RecentStart}",
            $"80203;Cia;Ceder;cia.nul@exempel.se;;;3100;Ny enhet;1100;;{StaffFile.RecentStart}");

        var result = await Preview(csv);

        Assert.Equal(
            ["Rad 2, kolumn 8 (Enhet): Enhet innehåller ett nolltecken (U+0000) på plats 3. Ta bort tecknet i filen och ladda upp den igen."],
            result.Problems.Select(p => p.ToString()));
    }

    [Theory]
    [InlineData(1, "An\u202Ena", "ett osynligt tecken som ändrar textens riktning (U+202E) på plats 3")]
    [InlineData(2, "\u2066Berg\u2069", "ett osynligt tecken som ändrar textens riktning (U+2066) på plats 1")]
    [InlineData(2, "Berg\nLind", "en radbrytning (U+000A) på plats 5")]
    [InlineData(3, "anna\u0007@exempel.se", "ett styrtecken (U+0007) på plats 5")]
    [InlineData(0, "8030\u200F1", "ett osynligt tecken som ändrar textens riktning (U+200F) på plats 5")]
    [InlineData(4, "Under\tsköterska", "ett tabbtecken (U+0009) på plats 6")]
    [InlineData(7, "Hemtjänst\u202A Norr", "ett osynligt tecken som ändrar textens riktning (U+202A) på plats 10")]
    [InlineData(6, "20\u001B00", "ett styrtecken (U+001B) på plats 3")]
    public async Task Control_characters_line_breaks_and_direction_marks_are_refused_by_row_and_column(int column, string value, string what)
    {
        var file = new StaffFile().With(StaffFile.NewEmployee("80300").WithValue(column, value));
        var header = StaffFile.Header.Split(';')[column];

        var result = await Preview(file.Csv());

        Assert.Equal(
            [$"Rad 2, kolumn {column + 1} ({header}): {header} innehåller {what}. Ta bort tecknet i filen och ladda upp den igen."],
            result.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public async Task Names_in_any_script_and_with_accents_are_accepted()
    {
        var file = await StaffFile.Current(app);
        file.With(StaffFile.NewEmployee("80310", "José", "Núñez") with { Email = "jose.nunez@exempel.se" })
            .With(StaffFile.NewEmployee("80311", "小龙", "李") with { Email = "xiaolong.li@exempel.se" })
            .With(StaffFile.NewEmployee("80312", "Zoë", "Ørsted-Ångström") with { Email = "zoe.orsted@exempel.se" })
            .With(StaffFile.NewEmployee("80313", "ليلى", "حداد") with { Email = "layla.haddad@exempel.se" });

        var preview = await Preview(file.Csv());

        Assert.True(preview.IsValid, string.Join(", ", preview.Problems));
        Assert.Equal(["José Núñez", "小龙 李", "Zoë Ørsted-Ångström", "ليلى حداد"], preview.NewEmployees.Select(p => p.Name));
    }

    /// <summary>The reminder scan, after removing the digests the chef got from another test's scan (the test day is their digest day).</summary>
    private async Task Scan(int chefId)
    {
        await app.Query(db => db.Reminders.Where(r => r.LearnerId == chefId && r.Kind == ReminderKind.Digest).ExecuteDeleteAsync());
        using var scope = app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<ReminderScan>().RunAsync();
    }

    /// <summary>Posts the upload form with a file, as a browser does (multipart, with the antiforgery token); chunked, without a length, if asked.</summary>
    internal static async Task<HttpResponseMessage> Upload(Visitor visitor, byte[]? bytes, bool chunked = false)
    {
        var page = await visitor.Open("/admin/import");
        var form = page.QuerySelector<IHtmlFormElement>("form[enctype='multipart/form-data']")!;
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in FieldsOf(form))
        {
            content.Add(new StringContent(value), name);
        }

        if (bytes is not null)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new("text/csv");
            content.Add(file, "file", "personal.csv");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/import") { Content = content };
        request.Headers.TransferEncodingChunked = chunked;
        return await visitor.Client.SendAsync(request);
    }

    private async Task<ImportPreview> Import(string csv)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<HrImport>().ImportAsync(csv, default);
    }

    private async Task<ImportPreview> Preview(string csv)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<HrImport>().PreviewAsync(csv, null, default);
    }

    private Task<string[]> RolesOf(string userId) =>
        app.Query(db => db.UserRoles.Where(r => r.UserId == userId).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name!).OrderBy(n => n).ToArrayAsync());

    /// <summary>Everything an import may write, so two imports can be compared.</summary>
    private Task<string> Snapshot() =>
        app.Query(async db => string.Join('\n',
            (await db.Units.AsNoTracking().OrderBy(u => u.Id).ToListAsync())
                .Select(u => $"{u.Id}|{u.Code}|{u.Name}|{u.ParentId}|{u.ManagerId}|{u.Kind}")
                .Concat((await db.Learners.AsNoTracking().OrderBy(l => l.Id).ToListAsync())
                    .Select(l => $"{l.Id}|{l.EmployeeNumber}|{l.FirstName}|{l.LastName}|{l.Email}|{l.JobTitle}|{l.UnitId}|{l.StartDate}|{l.IsActive}|{l.LeftOn}|{string.Join(',', l.Audiences)}"))
                .Concat((await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync())
                    .Select(u => $"{u.Id}|{u.UserName}|{u.NormalizedUserName}|{u.Email}|{u.SecurityStamp}|{u.LearnerId}"))
                .Concat((await db.UserRoles.AsNoTracking().ToListAsync()).Select(r => $"{r.UserId}|{r.RoleId}").Order())));

    /// <summary>Fails the save that adds logins: the last of an import's saves, after units and employees are written.</summary>
    private sealed class FailOnNewLogins : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            eventData.Context!.ChangeTracker.Entries<AppUser>().Any(e => e.State == EntityState.Added)
                ? throw new IOException("Disken är full.")
                : base.SavingChangesAsync(eventData, result, cancellationToken);
    }
}

/// <summary>
/// The upload over a real Kestrel port, which enforces the page's request limit itself (the in-memory test server may
/// not): a file far over the limit gets the same size message with 413, with a length and sent chunked without one.
/// </summary>
public sealed class ImportUploadLimitTests(ImportUploadLimitTests.Fixture app) : IClassFixture<ImportUploadLimitTests.Fixture>
{
    public sealed class Fixture : AppFixture, IAsyncLifetime
    {
        public Fixture() => UseHttpsKestrel();

        public string BaseUrl { get; private set; } = "";

        public Visitor NewKestrelVisitor() =>
            new(new HttpClient(WithoutRedirects(TrustingTestCertificate())) { BaseAddress = new Uri(BaseUrl) }, Errors);

        private static HttpClientHandler WithoutRedirects(HttpClientHandler handler)
        {
            handler.AllowAutoRedirect = false;
            return handler;
        }

        public Task InitializeAsync()
        {
            StartServer();
            BaseUrl = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
            return Task.CompletedTask;
        }

        Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_45_MB_file_gets_the_size_message_with_413(bool chunked)
    {
        var admin = app.NewKestrelVisitor();
        await admin.LogInAs("admin");

        using var response = await ImportTests.Upload(admin, new byte[45 * 1024 * 1024], chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var page = await Parse(response);
        Assert.Equal("Filen är för stor", page.QuerySelector("h1")!.TextContent);
        Assert.Contains("Den får vara högst 20 MB.", Text(page));
    }
}
