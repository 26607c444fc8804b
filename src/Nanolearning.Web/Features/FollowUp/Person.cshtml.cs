using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// One person's assignments, every window, with where each stands, for the chef of the person's unit (or an admin).
/// The resource is the person's unit: one outside the viewer's units is refused. Leavers are shown, marked.
/// Person-level: every view is audited.
/// </summary>
public sealed class PersonModel(
    AppDbContext db, UnitAccess access, IAuthorizationService authorization, CourseCatalog catalog, AuditTrail audit, TimeProvider time) : PageModel
{
    public Learner Person { get; private set; } = null!;

    public UnitNode Unit { get; private set; } = null!;

    public IReadOnlyList<UnitNode> Path { get; private set; } = [];

    public List<PersonAssignment> Assignments { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync([FromRoute] int learnerId, CancellationToken cancel)
    {
        var managed = await access.ForAsync(User, cancel);
        var person = await db.Learners.AsNoTracking().FirstOrDefaultAsync(l => l.Id == learnerId, cancel);
        if (await FollowUpChecks.PersonAsync(this, authorization, managed, person?.UnitId) is { } refusal)
        {
            return refusal;
        }

        Person = person!;
        Unit = managed.Tree.Find(Person.UnitId)!;
        Path = [.. managed.Tree.AncestorsOf(Unit.Id).Where(u => managed.Includes(u.Id))];
        var today = Format.Today(time);
        var assignments = await db.Assignments.AsNoTracking().Where(a => a.LearnerId == learnerId)
            .Select(a => new { a.CourseId, a.OpensOn, a.DueOn }).ToListAsync(cancel);
        var enrolments = await db.Enrolments.AsNoTracking().Where(e => e.LearnerId == learnerId)
            .Select(e => new PersonEnrolment(e.CourseId, e.StartedAt, e.CompletedAt, e.BestScore)).ToListAsync(cancel);
        Assignments = [.. assignments
            .OrderByDescending(a => a.OpensOn).ThenBy(a => Title(a.CourseId), StringComparer.Create(Nanolearning.Courses.Swedish.Culture, false))
            .Select(a => PersonAssignment.Of(Title(a.CourseId), a.OpensOn, a.DueOn, today, enrolments.Where(e => e.CourseId == a.CourseId)))];
        await audit.RecordAsync(User, AuditAction.ViewedPerson, $"{Person.FullName} i {Unit.Name}", Unit.Id, Person.Id, cancel);
        return Page();
    }

    private string Title(string courseId) => catalog.FindLive(courseId)?.Title ?? courseId;
}

public sealed record PersonEnrolment(string CourseId, DateTime StartedAt, DateTime? CompletedAt, int? BestScore);

/// <summary>One assignment as the person page shows it; the state follows the follow-up figures' rules for its own window.</summary>
public sealed record PersonAssignment(string CourseTitle, DateOnly OpensOn, DateOnly DueOn, string State, DateTime? CompletedAt, int? BestScore)
{
    public static PersonAssignment Of(string title, DateOnly opensOn, DateOnly dueOn, DateOnly today, IEnumerable<PersonEnrolment> enrolments)
    {
        var opens = Format.StartOfDayUtc(opensOn);
        var inWindow = enrolments.Where(e => e.StartedAt >= opens || Assignment.IsMet(opensOn, e.CompletedAt)).ToList();
        var completed = inWindow.Where(e => Assignment.IsMet(opensOn, e.CompletedAt)).Min(e => e.CompletedAt);
        var best = inWindow.Max(e => e.BestScore);
        var state = completed is { } at
                ? at < Format.StartOfDayUtc(dueOn.AddDays(1)) ? "Klar i tid" : "Klar efter sista dagen"
            : opensOn > today ? "Inte öppen än"
            : dueOn < today ? "Försenad"
            : inWindow.Count > 0 ? "Påbörjad"
            : "Ej påbörjad";
        return new PersonAssignment(title, opensOn, dueOn, state, completed, best);
    }
}
