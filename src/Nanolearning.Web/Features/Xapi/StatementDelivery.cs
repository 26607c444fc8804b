using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Infrastructure;
using Nanolearning.Xapi;

namespace Nanolearning.Web.Features.Xapi;

/// <summary>
/// Delivers the outbox: undelivered learning events, oldest first, as statements in batches to the configured LRS
/// (the built-in one unless <see cref="DeliveryOptions.Endpoint"/> names another). Statement ids are the events'
/// ids, so sending a batch again after a lost answer stores nothing twice. While the LRS is down, the events wait
/// with a growing pause (1 minute doubling up to an hour), one pause for the whole LRS (<see cref="DeliveryProblem"/>),
/// and nothing is lost; a statement the LRS refuses (400) is given up after <see cref="MaxRefusals"/> attempts.
/// Admins see the backlog, the pause and what was given up at /admin/xapi. One instance delivers at a time
/// (<see cref="DatabaseLock.XapiDelivery"/>).
/// </summary>
public sealed class StatementDelivery(
    AppDbContext db,
    CourseCatalog catalog,
    StatementProfile profile,
    IServiceScopeFactory scopes,
    IHttpClientFactory httpClients,
    IOptions<XapiOptions> options,
    TimeProvider time,
    ILogger<StatementDelivery> log)
{
    public const string HttpClientName = "xapi-delivery";

    /// <summary>Batches per run at most, so one run ends; the next run (a minute later) goes on.</summary>
    private const int MaxBatchesPerRun = 200;

    private static readonly TimeSpan LongestPause = TimeSpan.FromHours(1);

    /// <summary>A statement the LRS refuses (400) is given up after this many attempts, and shown to admins.</summary>
    public const int MaxRefusals = 5;

    private DeliveryOptions Settings => options.Value.Delivery;

    /// <summary>Sends what is due; returns how many statements reached the LRS in this run.</summary>
    // Failures are the events' own, with their own waits; Hangfire retrying the whole run would only add to them.
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> DeliverAsync(CancellationToken cancel = default)
    {
        // Instances on one PostgreSQL database: while one delivers, the others' runs leave the outbox to it, or both
        // would read the same batch and send it twice.
        await using var exclusive = await DatabaseLock.TryAcquireAsync(db, DatabaseLock.XapiDelivery, cancel);
        if (exclusive is null)
        {
            return 0;
        }

        var delivered = 0;
        var outage = await db.DeliveryProblems.AsNoTracking().SingleOrDefaultAsync(p => p.Channel == DeliveryProblem.Lrs, cancel);
        if (outage?.PausedUntil > time.GetUtcNow().UtcDateTime)
        {
            // The LRS is down: one pause for all of it, not a fresh batch finding out again every minute.
            return 0;
        }

        for (var batchNumber = 0; batchNumber < MaxBatchesPerRun; batchNumber++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var batch = await (
                    from e in db.LearningEvents
                    where e.DeliveredAt == null && e.GivenUpAt == null && (e.NextAttemptAt == null || e.NextAttemptAt <= now)
                    join learner in db.Learners on e.LearnerId equals learner.Id
                    join enrolment in db.Enrolments on e.EnrolmentId equals enrolment.Id
                    orderby e.OccurredAt, e.Id
                    select new { Event = e, learner.PseudonymKey, enrolment.StartedAt })
                .Take(Settings.BatchSize)
                .ToListAsync(cancel);
            if (batch.Count == 0)
            {
                break;
            }

            List<(LearningEvent Event, Statement Statement)> pending = [];
            foreach (var item in batch)
            {
                var course = await catalog.FindVersionAsync(item.Event.CourseId, item.Event.CourseVersion, cancel);
                pending.Add((item.Event, profile.ToStatement(item.Event, item.PseudonymKey, item.StartedAt, course)));
            }

            var outcome = await SendAsync(pending, cancel);
            delivered += outcome.Delivered;
            await db.SaveChangesAsync(cancel);
            db.ChangeTracker.Clear();
            if (outcome.Delivered > 0 && outage is not null)
            {
                await DeliveryProblem.ClearAsync(db, DeliveryProblem.Lrs, cancel);
                outage = null;
                log.LogInformation("The LRS takes statements again.");
            }

            if (outcome.Unavailable is { } error)
            {
                var failures = (outage?.Failures ?? 0) + 1;
                var until = time.GetUtcNow().UtcDateTime + PauseAfter(failures);
                await DeliveryProblem.RecordAsync(db, DeliveryProblem.Lrs, time.GetUtcNow().UtcDateTime, refusing: false, until, error.Status, error.Text, cancel);
                log.LogWarning("The LRS is unavailable ({Failures} runs in a row); delivery pauses until {Until:u}.", failures, until);
                break;
            }
        }

        return delivered;
    }

    private async Task<BatchOutcome> SendAsync(List<(LearningEvent Event, Statement Statement)> pending, CancellationToken cancel)
    {
        var lrs = Settings.UsesBuiltInLrs ? null : RemoteLrs();
        Attempt batchAttempt;
        try
        {
            List<Statement> statements = [.. pending.Select(p => p.Statement)];
            batchAttempt = lrs is null ? await SaveInBuiltInLrsAsync(statements, cancel) : await SaveRemotelyAsync(lrs, statements, cancel);
        }
        catch (Exception e) when (IsNetworkFailure(e, cancel))
        {
            batchAttempt = Attempt.Unavailable(Describe(e));
        }

        if (batchAttempt.Kind == AttemptKind.Delivered)
        {
            pending.ForEach(p => MarkDelivered(p.Event));
            return new BatchOutcome(pending.Count, null);
        }

        if (batchAttempt.Kind == AttemptKind.Unavailable)
        {
            log.LogWarning("The LRS did not take {Count} statements: {Error}", pending.Count, batchAttempt.Error);
            pending.ForEach(p => MarkFailed(p.Event, batchAttempt.Error!, refused: false));
            return new BatchOutcome(0, batchAttempt);
        }

        // The LRS refused the batch as a whole (400 or 409): one at a time, so one bad statement holds back only itself.
        var delivered = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            var (learningEvent, statement) = pending[i];
            Attempt attempt;
            try
            {
                attempt = lrs is null ? await SaveInBuiltInLrsAsync([statement], cancel) : await PutRemotelyAsync(lrs, statement, cancel);
            }
            catch (Exception e) when (IsNetworkFailure(e, cancel))
            {
                attempt = Attempt.Unavailable(Describe(e));
            }

            if (attempt.Kind == AttemptKind.Delivered)
            {
                MarkDelivered(learningEvent);
                delivered++;
            }
            else
            {
                log.LogWarning("The LRS did not take statement {Id}: {Error}", statement.Id, attempt.Error);
                foreach (var (rest, _) in attempt.Kind == AttemptKind.Unavailable ? pending[i..] : pending[i..(i + 1)])
                {
                    MarkFailed(rest, attempt.Error!, refused: attempt.Kind == AttemptKind.Refused);
                }

                if (attempt.Kind == AttemptKind.Unavailable)
                {
                    return new BatchOutcome(delivered, attempt);
                }
            }
        }

        return new BatchOutcome(delivered, null);
    }

    private async Task<Attempt> SaveInBuiltInLrsAsync(IReadOnlyList<Statement> statements, CancellationToken cancel)
    {
        // The store's own context: its saves must not carry this job's half-marked events with them.
        using var scope = scopes.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<StatementStore>();
        var outcome = await store.SaveAsync(statements, store.Authority(options.Value.Lrs.Username), cancel);
        return Classify(outcome.StatusCode, statements.Count == 1, $"{outcome.StatusCode}: {outcome.Error}");
    }

    private static async Task<Attempt> SaveRemotelyAsync(RemoteLrs lrs, List<Statement> statements, CancellationToken cancel)
    {
        var response = await lrs.SaveStatementsAsync(statements, cancel);
        return Classify((int)response.StatusCode, statements.Count == 1, response.Error ?? response.StatusCode.ToString());
    }

    private static async Task<Attempt> PutRemotelyAsync(RemoteLrs lrs, Statement statement, CancellationToken cancel)
    {
        var response = await lrs.SaveStatementAsync(statement, cancel);
        return Classify((int)response.StatusCode, single: true, response.Error ?? response.StatusCode.ToString());
    }

    /// <summary>What an LRS's answer means for the statements sent, from the built-in LRS or any other.</summary>
    private static Attempt Classify(int status, bool single, string error) => status switch
    {
        >= 200 and < 300 => Attempt.Delivered,
        // 409 for a single statement means the LRS has one with this id (xAPI 1.0.3, 2.1.1): ours, sent before, in an
        // earlier form of the profile. Sending it again could never succeed; the id has arrived.
        409 when single => Attempt.Delivered,
        400 or 409 => Attempt.Refused(error),
        _ => Attempt.Unavailable(error, status),
    };

    private RemoteLrs RemoteLrs()
    {
        var http = httpClients.CreateClient(HttpClientName);
        http.Timeout = Settings.Timeout;
        return new RemoteLrs(http, new Uri(Settings.Endpoint), Settings.Username, Settings.Password, time);
    }

    private void MarkDelivered(LearningEvent learningEvent)
    {
        learningEvent.DeliveredAt = time.GetUtcNow().UtcDateTime;
        learningEvent.NextAttemptAt = null;
    }

    private void MarkFailed(LearningEvent learningEvent, string error, bool refused)
    {
        var now = time.GetUtcNow().UtcDateTime;
        learningEvent.DeliveryAttempts++;
        learningEvent.LastAttemptAt = now;
        learningEvent.LastDeliveryError = error.Length > 1000 ? error[..1000] : error;
        learningEvent.NextAttemptAt = now + PauseAfter(learningEvent.DeliveryAttempts);
        if (refused && learningEvent.DeliveryAttempts >= MaxRefusals)
        {
            // The LRS has read this statement and said no, again and again: it will not change its mind by itself.
            learningEvent.GivenUpAt = now;
            learningEvent.NextAttemptAt = null;
            log.LogWarning("Statement {Id} was refused by the LRS {Attempts} times and is given up; admins see it at /admin/xapi.", learningEvent.Id, learningEvent.DeliveryAttempts);
        }
    }

    /// <summary>1, 2, 4 … minutes after the 1st, 2nd, 3rd … failure, at most an hour.</summary>
    public static TimeSpan PauseAfter(int attempts) =>
        attempts >= 7 ? LongestPause : TimeSpan.FromMinutes(Math.Pow(2, attempts - 1));

    /// <summary>A network failure or our own timeout, not the job being stopped.</summary>
    private static bool IsNetworkFailure(Exception e, CancellationToken cancel) =>
        e is HttpRequestException || (e is TaskCanceledException && !cancel.IsCancellationRequested);

    private static string Describe(Exception e) => e is TaskCanceledException
        ? "The LRS did not answer in time."
        : "The LRS could not be reached: " + e.Message;

    private enum AttemptKind
    {
        Delivered,
        Refused,
        Unavailable,
    }

    private sealed record Attempt(AttemptKind Kind, string? Error, int? Status = null)
    {
        public static Attempt Delivered { get; } = new(AttemptKind.Delivered, null);

        public static Attempt Refused(string error) => new(AttemptKind.Refused, error);

        public static Attempt Unavailable(string error, int? status = null) => new(AttemptKind.Unavailable, error, status);

        public string Text => Error ?? "";
    }

    /// <summary>How many statements arrived, and the failure when the LRS could not be reached at all.</summary>
    private sealed record BatchOutcome(int Delivered, Attempt? Unavailable);
}
