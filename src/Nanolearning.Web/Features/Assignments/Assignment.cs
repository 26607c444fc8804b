using System.Linq.Expressions;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Assignments;

/// <summary>
/// A course a learner must take in a window: from <see cref="OpensOn"/> to <see cref="DueOn"/>. A completion
/// counts for it only if it falls on or after <see cref="OpensOn"/>, so a yearly campaign asks again each year.
/// </summary>
public sealed class Assignment
{
    public int Id { get; set; }

    public int LearnerId { get; set; }

    public Learner? Learner { get; set; }

    public required string CourseId { get; set; }

    public DateOnly OpensOn { get; set; }

    public DateOnly DueOn { get; set; }

    /// <summary>The årshjul entry that made it, if any; null for onboarding, the demo, or a deleted entry.</summary>
    public int? EntryId { get; set; }

    public DateTime AssignedAt { get; set; }

    /// <summary>Why the learner has it, in words an admin understands (onboarding, a campaign, the demo).</summary>
    public required string Origin { get; set; }

    /// <summary>
    /// Whether a completion at <paramref name="completedAt"/> (UTC) counts for this assignment: on or after the start
    /// of its first day in Swedish time. An assignment without a window start (OpensOn unset, as the demo's and those
    /// made before windows existed) takes any completion, since the start of that day converts to DateTime.MinValue.
    /// </summary>
    public bool IsMetBy(DateTime? completedAt) => IsMet(OpensOn, completedAt);

    /// <summary><see cref="IsMetBy"/> for a projection that has only the window's first day.</summary>
    public static bool IsMet(DateOnly opensOn, DateTime? completedAt) => completedAt is { } at && at >= Format.StartOfDayUtc(opensOn);

    /// <summary>
    /// <see cref="IsMetBy"/> in SQL, for assignments that opened on <paramref name="opensOn"/>: the learner completed
    /// the course on or after that Swedish midnight. The instant is computed here, not in SQL (time zones are not
    /// portable), so one query covers one opening day.
    /// </summary>
    public static Expression<Func<Assignment, bool>> MetSince(IQueryable<Enrolment> enrolments, DateOnly opensOn)
    {
        var completedFrom = Format.StartOfDayUtc(opensOn);
        return a => enrolments.Any(e => e.LearnerId == a.LearnerId && e.CourseId == a.CourseId && e.CompletedAt >= completedFrom);
    }

    /// <summary>The opposite of <see cref="MetSince"/>: nobody has done the course for the assignment yet.</summary>
    public static Expression<Func<Assignment, bool>> UnmetSince(IQueryable<Enrolment> enrolments, DateOnly opensOn)
    {
        var met = MetSince(enrolments, opensOn);
        return Expression.Lambda<Func<Assignment, bool>>(Expression.Not(met.Body), met.Parameters);
    }
}

/// <summary>
/// An assignment with when its learner last completed the course: enough to tell in memory whether it is
/// met (<see cref="IsMet"/>), for the reminder scan, e-mails and digests, which look at many assignments whose windows
/// open on different days.
/// </summary>
public sealed class AssignmentProgress
{
    public int Id { get; init; }

    public int LearnerId { get; init; }

    public required string CourseId { get; init; }

    public DateOnly OpensOn { get; init; }

    public DateOnly DueOn { get; init; }

    public int? EntryId { get; init; }

    public DateTime AssignedAt { get; init; }

    public DateTime? LastCompletedAt { get; init; }

    public bool IsMet => Assignment.IsMet(OpensOn, LastCompletedAt);

    /// <summary>The assignments with their progress, as one query: the last completion is a subquery per row.</summary>
    /// <remarks>
    /// The subquery reaches the enrolments through <paramref name="db"/>, not as an IQueryable argument: EF Core sees
    /// the context's set and reuses its compiled query, where a set passed in made it compile the query again each call.
    /// </remarks>
    public static IQueryable<AssignmentProgress> Of(AppDbContext db, IQueryable<Assignment> assignments) =>
        assignments.Select(a => new AssignmentProgress
        {
            Id = a.Id,
            LearnerId = a.LearnerId,
            CourseId = a.CourseId,
            OpensOn = a.OpensOn,
            DueOn = a.DueOn,
            EntryId = a.EntryId,
            AssignedAt = a.AssignedAt,
            LastCompletedAt = db.Enrolments.Where(e => e.LearnerId == a.LearnerId && e.CourseId == a.CourseId).Max(e => e.CompletedAt),
        });
}
