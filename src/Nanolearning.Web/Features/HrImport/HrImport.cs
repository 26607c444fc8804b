using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.HrImport;

/// <summary>
/// Imports the staff file an HR system exports: read and check the file, compare it with the database, and (once the
/// admin has seen the preview) write the difference in one transaction. Units are matched by their HR code and
/// employees by employee number; employees missing from the file are marked as leavers, never deleted, and
/// politicians (who have no employee number) are left alone. Importing the same file again changes nothing.
/// </summary>
/// <remarks>
/// Set-based: units, employees and logins are loaded once into dictionaries and the changes saved in three batches,
/// so a file of 60 000 employees costs a handful of queries, not one per row.
/// </remarks>
public sealed class HrImport(
    AppDbContext db,
    ILookupNormalizer normalizer,
    AssignmentPlanner planner,
    SessionChecks sessions,
    IOptions<HrImportOptions> options,
    TimeProvider time,
    ILogger<HrImport> log)
{
    /// <summary>How long an uploaded file waits for the admin's go-ahead.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromHours(1);

    /// <summary>Reads the file and compares it with the database. Writes nothing.</summary>
    /// <param name="content">The file's text (see <see cref="HrFile.Decode"/>).</param>
    /// <param name="adminLearnerId">The admin looking at the preview, warned if the file would make them a leaver.</param>
    /// <param name="cancel">Cancels the queries.</param>
    public async Task<ImportPreview> PreviewAsync(string content, int? adminLearnerId, CancellationToken cancel)
    {
        var file = HrFile.Read(content, options.Value);
        if (file.Problems.Count > 0)
        {
            return ImportPreview.Rejected(file.Problems);
        }

        var staff = await Staff.LoadAsync(db, tracked: false, cancel);
        var preview = Compare(file, staff);
        if (adminLearnerId is { } self && staff.Learners.GetValueOrDefault(self)?.EmployeeNumber is { } number
            && preview.Leavers.Any(l => l.EmployeeNumber == number))
        {
            preview.Warnings.Add("Du själv finns inte i filen. Efter importen är du markerad som slutad och kan inte logga in med ditt konto.");
        }

        return preview;
    }

    /// <summary>Imports the file in one transaction, then plans assignments for who is new or moved. Nothing is written when the file has problems.</summary>
    public Task<ImportPreview> ImportAsync(string content, CancellationToken cancel) =>
        InTransactionAsync(() => Task.FromResult<string?>(content), cancel)!;

    /// <summary>
    /// Imports an uploaded file the admin has seen the preview of, and removes it: null when there is no such upload
    /// by this admin within <see cref="PendingLifetime"/>. A file that has problems now (the database changed since
    /// the preview) stays uploaded, and nothing is written.
    /// </summary>
    public Task<ImportPreview?> ConfirmAsync(Guid id, string userId, CancellationToken cancel) =>
        InTransactionAsync(
            async () =>
            {
                var content = await Pending(id, userId).Select(p => p.Content).FirstOrDefaultAsync(cancel);
                // Claimed inside the transaction, so a double click imports once and the second finds nothing.
                return content is not null && await Pending(id, userId).ExecuteDeleteAsync(cancel) == 1 ? content : null;
            },
            cancel);

    /// <summary>The admin's own upload, if it is recent enough to confirm.</summary>
    public IQueryable<PendingImport> Pending(Guid id, string userId)
    {
        var since = time.GetUtcNow().UtcDateTime - PendingLifetime;
        return db.PendingImports.Where(p => p.Id == id && p.UploadedBy == userId && p.UploadedAt > since);
    }

    /// <summary>Keeps an uploaded file until the admin confirms it; the admin's earlier and all stale uploads go.</summary>
    public async Task<Guid> HoldAsync(string content, string fileName, string userId, CancellationToken cancel)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var stale = now - PendingLifetime;
        // A staff file is personal data: keep it no longer than the preview needs it.
        await db.PendingImports.Where(p => p.UploadedBy == userId || p.UploadedAt <= stale).ExecuteDeleteAsync(cancel);
        var name = Path.GetFileName(fileName);
        var pending = new PendingImport
        {
            Id = Guid.NewGuid(),
            UploadedBy = userId,
            FileName = name.Length > 260 ? name[..260] : name,
            Content = content,
            UploadedAt = now,
        };
        db.PendingImports.Add(pending);
        await db.SaveChangesAsync(cancel);
        return pending.Id;
    }

    private async Task<ImportPreview?> InTransactionAsync(Func<Task<string?>> content, CancellationToken cancel)
    {
        ImportPreview result;
        try
        {
            await using var transaction = await db.BeginWriteTransactionAsync(cancel);
            if (await content() is not { } text)
            {
                return null;
            }

            var file = HrFile.Read(text, options.Value);
            if (file.Problems.Count > 0)
            {
                return ImportPreview.Rejected(file.Problems);
            }

            var staff = await Staff.LoadAsync(db, tracked: true, cancel);
            result = Compare(file, staff);
            if (!result.IsValid)
            {
                return result;
            }

            await WriteAsync(file, staff, cancel);
            await transaction.CommitAsync(cancel);
            // Leavers lose their sessions at their next request, not after the sessions' check interval.
            sessions.ForgetAll();
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        log.LogInformation("HR import: {Summary}", result.Summary());
        await planner.PlanAsync(cancel);
        return result;
    }

    /// <summary>What the file changes, and the problems it has against the database.</summary>
    private ImportPreview Compare(HrFile file, Staff staff)
    {
        var preview = new ImportPreview { Employees = file.Rows.Count };
        CheckUnits(file, staff, preview.Problems);
        CheckEmails(file, staff, preview.Problems);
        if (!preview.IsValid)
        {
            return ImportPreview.Rejected(preview.Problems.OrderBy(p => p.LineNumber ?? 0).ToList());
        }

        var chefs = ChefChanges(file, staff);
        foreach (var unit in file.Units.Values)
        {
            if (!staff.UnitsByCode.TryGetValue(unit.Code, out var existing))
            {
                var parent = file.Has(HrField.ParentUnitCode) && unit.ParentCode is { } p ? $"under {UnitName(file, staff, p)}" : "högst upp i organisationen";
                preview.NewUnits.Add(new UnitChange(unit.Code, unit.Name, [parent]));
                continue;
            }

            var changes = new List<string>();
            Note(changes, "namn", existing.Name, unit.Name);
            if (file.Has(HrField.ParentUnitCode))
            {
                var before = existing.ParentId is { } id ? staff.UnitsById[id] : null;
                if (before?.Code != unit.ParentCode || (before is not null && unit.ParentCode is null))
                {
                    changes.Add($"överordnad enhet: {before?.Name ?? "ingen"} → {(unit.ParentCode is { } code ? UnitName(file, staff, code) : "ingen")}");
                }
            }

            if (chefs.FirstOrDefault(c => c.Existing == existing) is { } chef)
            {
                changes.Add($"chef: {chef.Before?.Name ?? "ingen"} → {(chef.AfterNumber is { } number ? PersonName(file, number) : "ingen")}");
            }

            if (changes.Count > 0)
            {
                preview.ChangedUnits.Add(new UnitChange(unit.Code, unit.Name, changes));
            }
        }

        preview.Managers.AddRange(chefs.Select(c => new ManagerChange(
            c.Code, c.UnitName, c.Before?.Name, c.AfterNumber is { } after ? PersonName(file, after) : null, c.Reason)));

        var managers = Managers(file);
        foreach (var row in file.Rows)
        {
            var unitName = UnitName(file, staff, row.UnitCode);
            var name = $"{row.FirstName} {row.LastName}";
            if (!staff.Employees.TryGetValue(row.EmployeeNumber, out var learner))
            {
                preview.NewEmployees.Add(new PersonChange(row.EmployeeNumber, name, unitName, null, []));
                continue;
            }

            var changes = new List<string>();
            Note(changes, "förnamn", learner.FirstName, row.FirstName);
            Note(changes, "efternamn", learner.LastName, row.LastName);
            Note(changes, "e-post", learner.Email, row.Email);
            if (file.Has(HrField.JobTitle))
            {
                Note(changes, "befattning", learner.JobTitle ?? "ingen", row.JobTitle ?? "ingen");
            }

            Note(changes, "anställningsdatum", learner.StartDate.ToString(HrFile.DateFormat, Swedish.Culture), row.StartDate.ToString(HrFile.DateFormat, Swedish.Culture));
            var audiences = Audiences(file, row, learner, managers);
            if (!SameSet(learner.Audiences, audiences))
            {
                changes.Add($"målgrupper: {string.Join(", ", learner.Audiences)} → {string.Join(", ", audiences)}");
            }

            var from = staff.UnitsById[learner.UnitId];
            var moved = from.Code != row.UnitCode;
            if (!learner.IsActive)
            {
                preview.Reactivated.Add(new PersonChange(row.EmployeeNumber, name, unitName, moved ? from.Name : null, changes));
            }
            else if (moved)
            {
                preview.Moved.Add(new PersonChange(row.EmployeeNumber, name, unitName, from.Name, changes));
            }
            else if (changes.Count > 0)
            {
                preview.Updated.Add(new PersonChange(row.EmployeeNumber, name, unitName, null, changes));
            }
            else
            {
                preview.Unchanged++;
            }
        }

        var active = staff.Employees.Values.Where(l => l.IsActive).ToList();
        preview.Leavers.AddRange(active
            .Where(l => !file.Employees.ContainsKey(l.EmployeeNumber!))
            .OrderBy(l => l.LastName, StringComparer.Create(Swedish.Culture, false)).ThenBy(l => l.FirstName, StringComparer.Create(Swedish.Culture, false))
            .Select(l => new PersonChange(l.EmployeeNumber!, l.FullName, staff.UnitsById[l.UnitId].Name, null, [])));
        if (preview.Leavers.Count > 1 && preview.Leavers.Count * 2 > active.Count)
        {
            preview.Warnings.Add(
                $"{preview.Leavers.Count} av {active.Count} anställda i Nanolearning finns inte i filen och markeras som slutade. Kontrollera att filen är hela personalfilen och inte bara en del av den.");
        }

        return preview;
    }

    /// <summary>Parent codes must name a unit in the file or in the database, and no unit may end up under itself.</summary>
    private static void CheckUnits(HrFile file, Staff staff, List<ImportProblem> problems)
    {
        if (!file.Has(HrField.ParentUnitCode))
        {
            return;
        }

        foreach (var unit in file.Units.Values)
        {
            if (unit.ParentCode is { } code && !file.Units.ContainsKey(code) && !staff.UnitsByCode.ContainsKey(code))
            {
                problems.Add(file.At(unit.Line, HrField.ParentUnitCode, $"Den överordnade enheten {code} finns varken i filen eller i Nanolearning."));
            }
        }

        if (problems.Count > 0)
        {
            return;
        }

        // The tree as it will be: units keyed by code (by id for units made by hand), the file's parents over the database's.
        static string KeyOf(Unit unit) => unit.Code ?? $"#{unit.Id}";
        var parents = staff.UnitsById.Values.ToDictionary(KeyOf, u => u.ParentId is { } id ? KeyOf(staff.UnitsById[id]) : null);
        foreach (var unit in file.Units.Values)
        {
            parents[unit.Code] = unit.ParentCode;
        }

        var reported = new HashSet<string>();
        foreach (var unit in file.Units.Values.Where(u => !reported.Contains(u.Code)))
        {
            var path = new List<string> { unit.Code };
            for (var parent = parents[unit.Code]; parent is not null; parent = parents.GetValueOrDefault(parent))
            {
                if (parent == unit.Code)
                {
                    path.Add(parent);
                    problems.Add(file.At(unit.Line, HrField.ParentUnitCode,
                        $"Enhet {unit.Code} hamnar under sig själv: {string.Join(" → ", path)}. En enhet kan inte ligga under en av sina egna underenheter."));
                    reported.UnionWith(path);
                    break;
                }

                if (path.Contains(parent))
                {
                    break;
                }

                path.Add(parent);
            }
        }
    }

    /// <summary>
    /// An address may belong to one person only: not to a learner outside the file (a politician, a leaver, someone
    /// added by hand), nor to a login of someone else, such as an admin account with no employee behind it.
    /// </summary>
    private void CheckEmails(HrFile file, Staff staff, List<ImportProblem> problems)
    {
        bool RenamedByFile(int? learnerId) =>
            learnerId is { } id && staff.Learners.GetValueOrDefault(id)?.EmployeeNumber is { } number && file.Employees.ContainsKey(number);

        foreach (var row in file.Rows)
        {
            var self = staff.Employees.GetValueOrDefault(row.EmployeeNumber);
            var owner = staff.LearnersByEmail[row.Email.ToUpperInvariant()].FirstOrDefault(l => l.Id != self?.Id && !RenamedByFile(l.Id));
            if (owner is not null)
            {
                var who = owner.EmployeeNumber is { } number ? $"{owner.Name} (anställningsnummer {number}), som inte finns i filen" : $"{owner.Name}, som inte har något anställningsnummer";
                problems.Add(file.At(row, HrField.Email, $"E-postadressen {row.Email} används redan av {who}."));
                continue;
            }

            // Only a new login, or a login whose name follows a new address, can clash with another login.
            var needsLoginName = self is null || (staff.LoginsByLearner.ContainsKey(self.Id) && self.Email != row.Email);
            if (!needsLoginName)
            {
                continue;
            }

            var name = normalizer.NormalizeName(row.Email);
            var email = normalizer.NormalizeEmail(row.Email);
            var clash = staff.LoginsByName[name].Concat(staff.LoginsByName[email])
                .FirstOrDefault(u => u.LearnerId is null || (u.LearnerId != self?.Id && !RenamedByFile(u.LearnerId)));
            if (clash is not null)
            {
                problems.Add(file.At(row, HrField.Email,
                    $"E-postadressen {row.Email} används redan för att logga in med ett annat konto{(clash.LearnerId is null ? " (ett konto som inte hör till någon anställd)" : "")}. Ändra adressen i filen eller på det andra kontot."));
            }
        }
    }

    private async Task WriteAsync(HrFile file, Staff staff, CancellationToken cancel)
    {
        var today = Format.Today(time);
        var tracking = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            // 1. New units, so that every unit has an id to point at.
            foreach (var unit in file.Units.Values.Where(u => !staff.UnitsByCode.ContainsKey(u.Code)))
            {
                var created = new Unit { Name = unit.Name, Code = unit.Code, Kind = UnitKind.Unit };
                db.Units.Add(created);
                staff.UnitsByCode[unit.Code] = created;
            }

            await SaveAsync(cancel);

            // 2. Units' names and parents; employees added, updated, moved, taken back and marked as leavers.
            foreach (var unit in file.Units.Values)
            {
                var target = staff.UnitsByCode[unit.Code];
                target.Name = unit.Name;
                if (file.Has(HrField.ParentUnitCode))
                {
                    target.ParentId = unit.ParentCode is { } code ? staff.UnitsByCode[code].Id : null;
                }
            }

            var managers = Managers(file);
            var added = new List<Learner>();
            foreach (var row in file.Rows)
            {
                if (!staff.Employees.TryGetValue(row.EmployeeNumber, out var learner))
                {
                    learner = new Learner { EmployeeNumber = row.EmployeeNumber, FirstName = row.FirstName, LastName = row.LastName, Email = row.Email };
                    db.Learners.Add(learner);
                    staff.Employees[row.EmployeeNumber] = learner;
                    added.Add(learner);
                }

                var audiences = Audiences(file, row, learner, managers);
                learner.FirstName = row.FirstName;
                learner.LastName = row.LastName;
                learner.Email = row.Email;
                if (file.Has(HrField.JobTitle))
                {
                    learner.JobTitle = row.JobTitle;
                }

                learner.StartDate = row.StartDate;
                learner.UnitId = staff.UnitsByCode[row.UnitCode].Id;
                if (!SameSet(learner.Audiences, audiences))
                {
                    learner.Audiences = audiences;
                }

                learner.IsActive = true;
                learner.LeftOn = null;
            }

            var leavers = staff.Employees.Values.Where(l => l.IsActive && !file.Employees.ContainsKey(l.EmployeeNumber!)).ToList();
            foreach (var leaver in leavers)
            {
                leaver.IsActive = false;
                leaver.LeftOn = today;
                if (leaver.Audiences.Contains(Audience.Manager))
                {
                    leaver.Audiences = [.. leaver.Audiences.Where(a => a != Audience.Manager)];
                }
            }

            await SaveAsync(cancel);

            // 3. Chefs (now that new units and employees have ids) and logins.
            foreach (var chef in ChefChanges(file, staff))
            {
                (chef.Existing ?? staff.UnitsByCode[chef.Code!]).ManagerId = chef.AfterNumber is { } number ? staff.Employees[number].Id : null;
            }

            await WriteLoginsAsync(file, staff, added, leavers, cancel);
            await SaveAsync(cancel);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = tracking;
        }
    }

    /// <summary>
    /// New employees get a login without a password (they sign in with the kommunkonto, or an admin sets one). A
    /// changed address renames the login; roles follow the audiences. Leavers' and changed logins get a new security
    /// stamp, so a signed-in session is checked again (and a leaver's ended) instead of lasting out its cookie.
    /// </summary>
    private async Task WriteLoginsAsync(HrFile file, Staff staff, List<Learner> added, List<Learner> leavers, CancellationToken cancel)
    {
        var roleIds = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id, cancel);
        foreach (var learner in added)
        {
            var user = AppUser.For(learner, normalizer);
            db.Users.Add(user);
            db.UserRoles.AddRange(ExternalAccounts.RolesOf(learner).Select(r => new IdentityUserRole<string> { UserId = user.Id, RoleId = roleIds[r] }));
        }

        var managed = new[] { Roles.Employee, Roles.Manager };
        var restamp = new HashSet<string>();
        var renames = new Dictionary<string, string>();
        foreach (var row in file.Rows)
        {
            var learner = staff.Employees[row.EmployeeNumber];
            if (!staff.LoginsByLearner.TryGetValue(learner.Id, out var login))
            {
                continue;
            }

            var wanted = ExternalAccounts.RolesOf(learner).ToHashSet();
            var add = managed.Where(r => wanted.Contains(r) && !login.Roles.Contains(r)).ToList();
            var remove = managed.Where(r => !wanted.Contains(r) && login.Roles.Contains(r)).ToList();
            db.UserRoles.AddRange(add.Select(r => new IdentityUserRole<string> { UserId = login.Id, RoleId = roleIds[r] }));
            db.UserRoles.RemoveRange(remove.Select(r => new IdentityUserRole<string> { UserId = login.Id, RoleId = roleIds[r] }));
            if (login.LearnerEmail != learner.Email)
            {
                renames[login.Id] = learner.Email;
            }

            if (add.Count + remove.Count > 0 || renames.ContainsKey(login.Id))
            {
                restamp.Add(login.Id);
            }
        }

        // A leaver keeps the login (they may come back) but not the chef role: it is theirs only while they lead a unit.
        foreach (var login in leavers.Select(l => staff.LoginsByLearner.GetValueOrDefault(l.Id)).OfType<LoginRef>().Where(l => l.Roles.Contains(Roles.Manager)))
        {
            db.UserRoles.Remove(new IdentityUserRole<string> { UserId = login.Id, RoleId = roleIds[Roles.Manager] });
        }

        restamp.UnionWith(leavers.Select(l => staff.LoginsByLearner.GetValueOrDefault(l.Id)?.Id).OfType<string>());
        var ids = restamp.ToList();
        var users = await db.Users.Where(u => ids.Contains(u.Id)).ToListAsync(cancel);
        foreach (var user in users)
        {
            user.SecurityStamp = NewStamp();
        }

        var renamed = users.Where(u => renames.ContainsKey(u.Id)).ToList();
        if (renamed.Count == 0)
        {
            return;
        }

        // Two employees may swap addresses: free every old name first, since user names are unique at every save.
        foreach (var user in renamed)
        {
            user.NormalizedUserName = user.NormalizedEmail = $"#{user.Id}";
        }

        await SaveAsync(cancel);
        foreach (var user in renamed)
        {
            var email = renames[user.Id];
            user.UserName = user.Email = email;
            user.NormalizedUserName = normalizer.NormalizeName(email);
            user.NormalizedEmail = normalizer.NormalizeEmail(email);
        }
    }

    private async Task SaveAsync(CancellationToken cancel)
    {
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancel);
    }

    /// <summary>The employee numbers the file names as a unit's manager; they get the chef audience whatever their role.</summary>
    private static HashSet<string> Managers(HrFile file) =>
        file.Units.Values.Select(u => u.ManagerNumber).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The audiences the row gives: its role's (or, with no role column, those the employee has but chef), and chef
    /// for whoever leads a unit. So without a role that gives it, chef (and with it the chef role) goes with the last
    /// unit one leads. Always in the same order, so an unchanged row compares equal.
    /// </summary>
    private List<string> Audiences(HrFile file, StaffRow row, Learner? learner, HashSet<string> managers)
    {
        IEnumerable<string> audiences = file.Has(HrField.Role) || learner is null
            ? options.Value.AudiencesOf(row.Role)
            : learner.Audiences.Where(a => a != Audience.Manager);
        if (managers.Contains(row.EmployeeNumber))
        {
            audiences = audiences.Append(Audience.Manager);
        }

        var order = HrImportOptions.ImportableAudiences;
        return [.. audiences.Distinct().OrderBy(a => Array.IndexOf(order, a) is var i and >= 0 ? i : order.Length).ThenBy(a => a, StringComparer.Ordinal)];
    }

    private static bool SameSet(IEnumerable<string> a, IEnumerable<string> b) => a.ToHashSet().SetEquals(b);

    private static void Note(List<string> changes, string field, string before, string after)
    {
        if (before != after)
        {
            changes.Add($"{field}: {before} → {after}");
        }
    }

    /// <summary>
    /// Every unit whose chef the import changes. The file is the only source of chefs: a unit in it gets the chef its
    /// rows name, or none; a unit with an HR code that no row is on has no chef; and a unit made by hand loses a chef
    /// who leaves. Computed against the database as it is before the import.
    /// </summary>
    private static List<ChefChange> ChefChanges(HrFile file, Staff staff)
    {
        var changes = new List<ChefChange>();
        foreach (var unit in file.Units.Values)
        {
            var existing = staff.UnitsByCode.GetValueOrDefault(unit.Code);
            var before = existing?.ManagerId is { } id ? staff.Learners.GetValueOrDefault(id) : null;
            var same = before is null ? unit.ManagerNumber is null : before.EmployeeNumber is not null && before.EmployeeNumber == unit.ManagerNumber;
            if (!same)
            {
                changes.Add(new ChefChange(unit.Code, unit.Name, existing, before, unit.ManagerNumber, null));
            }
        }

        foreach (var unit in staff.UnitsById.Values.Where(u => u.ManagerId is not null && (u.Code is null || !file.Units.ContainsKey(u.Code))))
        {
            var before = staff.Learners.GetValueOrDefault(unit.ManagerId!.Value);
            var leaves = before?.EmployeeNumber is { } number && !file.Employees.ContainsKey(number);
            if (unit.Code is not null)
            {
                changes.Add(new ChefChange(unit.Code, unit.Name, unit, before, null, "ingen i filen står på enheten"));
            }
            else if (leaves)
            {
                changes.Add(new ChefChange(null, unit.Name, unit, before, null, "chefen finns inte i filen"));
            }
        }

        return changes;
    }

    private static string UnitName(HrFile file, Staff staff, string code) =>
        file.Units.TryGetValue(code, out var unit) ? unit.Name : staff.UnitsByCode.TryGetValue(code, out var existing) ? existing.Name : code;

    private static string PersonName(HrFile file, string employeeNumber) =>
        file.Employees.TryGetValue(employeeNumber, out var row) ? $"{row.FirstName} {row.LastName}" : employeeNumber;

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    /// <summary>The database as the import needs it, loaded once: every unit, employee, learner's address and login.</summary>
    private sealed class Staff
    {
        public required Dictionary<int, Unit> UnitsById { get; init; }

        public required Dictionary<string, Unit> UnitsByCode { get; init; }

        /// <summary>Learners with an employee number, by it (tracked when importing).</summary>
        public required Dictionary<string, Learner> Employees { get; init; }

        /// <summary>Every learner, politicians and people added by hand too.</summary>
        public required Dictionary<int, LearnerRef> Learners { get; init; }

        public required ILookup<string, LearnerRef> LearnersByEmail { get; init; }

        /// <summary>Logins by normalized user name and by normalized e-mail, which must both be unique.</summary>
        public required ILookup<string, LoginRef> LoginsByName { get; init; }

        public required Dictionary<int, LoginRef> LoginsByLearner { get; init; }

        public static async Task<Staff> LoadAsync(AppDbContext db, bool tracked, CancellationToken cancel)
        {
            var units = await (tracked ? db.Units : db.Units.AsNoTracking()).ToListAsync(cancel);
            var employees = await (tracked ? db.Learners : db.Learners.AsNoTracking()).Where(l => l.EmployeeNumber != null).ToListAsync(cancel);
            var others = await db.Learners.AsNoTracking().Where(l => l.EmployeeNumber == null)
                .Select(l => new LearnerRef(l.Id, null, l.FirstName + " " + l.LastName, l.Email))
                .ToListAsync(cancel);
            var learners = employees.Select(l => new LearnerRef(l.Id, l.EmployeeNumber, l.FullName, l.Email)).Concat(others).ToDictionary(l => l.Id);

            var roleNames = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name!, cancel);
            var roles = (await db.UserRoles.AsNoTracking().ToListAsync(cancel)).ToLookup(r => r.UserId, r => roleNames[r.RoleId]);
            var logins = await db.Users.AsNoTracking()
                .Select(u => new { u.Id, u.LearnerId, u.NormalizedUserName, u.NormalizedEmail })
                .ToListAsync(cancel);
            var loginRefs = logins
                .Select(u => new LoginRef(u.Id, u.LearnerId, u.NormalizedUserName, u.NormalizedEmail, roles[u.Id].ToHashSet(),
                    u.LearnerId is { } id ? learners.GetValueOrDefault(id)?.Email : null))
                .ToList();

            return new Staff
            {
                UnitsById = units.ToDictionary(u => u.Id),
                UnitsByCode = units.Where(u => u.Code is not null).ToDictionary(u => u.Code!, StringComparer.Ordinal),
                Employees = employees.ToDictionary(l => l.EmployeeNumber!, StringComparer.Ordinal),
                Learners = learners,
                LearnersByEmail = learners.Values.ToLookup(l => l.Email.ToUpperInvariant()),
                LoginsByName = loginRefs
                    .SelectMany(l => new[] { l.NormalizedUserName, l.NormalizedEmail }.OfType<string>().Distinct().Select(name => (name, l)))
                    .ToLookup(x => x.name, x => x.l),
                LoginsByLearner = loginRefs.Where(l => l.LearnerId is not null).ToDictionary(l => l.LearnerId!.Value),
            };
        }
    }

    private sealed record LearnerRef(int Id, string? EmployeeNumber, string Name, string Email);

    /// <summary>A unit whose chef changes: <see cref="Existing"/> is null for a unit the import makes, <see cref="AfterNumber"/> null for no chef.</summary>
    private sealed record ChefChange(string? Code, string UnitName, Unit? Existing, LearnerRef? Before, string? AfterNumber, string? Reason);

    /// <summary>A login; <see cref="LearnerEmail"/> is its learner's address before the import.</summary>
    private sealed record LoginRef(string Id, int? LearnerId, string? NormalizedUserName, string? NormalizedEmail, HashSet<string> Roles, string? LearnerEmail);
}
