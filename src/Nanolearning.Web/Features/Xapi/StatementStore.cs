using System.Buffers;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Infrastructure;
using Nanolearning.Xapi;

namespace Nanolearning.Web.Features.Xapi;

/// <summary>
/// The built-in LRS's rules on the app database: statements are immutable (an identical one sent again is accepted,
/// a different one with a known id is a conflict), a batch is stored whole or not at all, voiding hides the voided
/// statement from queries, and the LRS sets <c>stored</c>, <c>authority</c> and <c>version</c>. Used by the HTTP
/// endpoints and by the delivery job when it delivers to the app's own LRS.
/// </summary>
public sealed class StatementStore(AppDbContext db, TimeProvider time, IOptions<XapiOptions> options)
{
    /// <summary>The most statements one page of a query returns, and what <c>limit=0</c> means.</summary>
    public const int MaxPageSize = 500;

    /// <summary>The LRS's agent for statements stored with these credentials.</summary>
    public Agent Authority(string username) => new()
    {
        Name = "Nanolearning LRS-klient",
        Account = new AgentAccount(options.Value.HomePage, username),
    };

    /// <summary>Stores a batch (validated here too, so in-app callers get the same rules as HTTP clients).</summary>
    public async Task<SaveOutcome> SaveAsync(IReadOnlyList<Statement> statements, Agent authority, CancellationToken cancel) =>
        await SaveAsync(statements, [], authority, cancel);

    /// <summary>Stores a batch and the bytes of its attachments (from a multipart request), in one transaction.</summary>
    public async Task<SaveOutcome> SaveAsync(IReadOnlyList<Statement> statements, IReadOnlyList<StoredAttachment> attachments, Agent authority, CancellationToken cancel)
    {
        if (StatementValidator.Validate(statements) is { Count: > 0 } problems)
        {
            return SaveOutcome.Invalid(string.Join("\n", problems.Take(20)));
        }

        var withIds = statements.Select(s => s.Id is null ? s with { Id = Guid.NewGuid() } : s).ToList();
        try
        {
            return await StoreAsync(withIds, attachments, authority, cancel);
        }
        catch (DbException e) when (Database.IsUniqueViolation(e))
        {
            // Another request stored one of these ids between our check and our insert: check again, now it is there.
            return await StoreAsync(withIds, attachments, authority, cancel);
        }
    }

    private async Task<SaveOutcome> StoreAsync(List<Statement> statements, IReadOnlyList<StoredAttachment> attachments, Agent authority, CancellationToken cancel)
    {
        var ids = statements.Select(s => s.Id!.Value).ToList();
        var voidedIds = statements.Select(VoidedBy).OfType<Guid>().ToList();

        await using var transaction = await db.BeginWriteTransactionAsync(cancel);
        var existing = await db.XapiStatements.AsNoTracking()
            .Where(s => ids.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => s.Json, cancel);
        foreach (var statement in statements.Where(s => existing.ContainsKey(s.Id!.Value)))
        {
            if (!IsSame(statement, XapiJson.Deserialize<Statement>(existing[statement.Id!.Value])))
            {
                return SaveOutcome.Conflict($"A different statement with id {statement.Id} is already stored; statements cannot be changed.");
            }
        }

        // Voiding a voiding statement is refused: the spec has it void nothing, and a client sending one is mistaken.
        if (voidedIds.Count > 0)
        {
            var voidingTargets = statements.Where(s => VoidedBy(s) is not null).Select(s => s.Id!.Value).ToHashSet();
            voidingTargets.UnionWith(await db.XapiStatements.Where(s => voidedIds.Contains(s.Id) && s.VoidsId != null).Select(s => s.Id).ToListAsync(cancel));
            if (voidedIds.Where(voidingTargets.Contains).ToList() is [var refused, ..])
            {
                return SaveOutcome.Invalid($"Statement {refused} is itself a voiding statement and cannot be voided.");
            }
        }

        var newIds = ids.Where(id => !existing.ContainsKey(id)).ToList();
        // A statement may arrive after the statement voiding it.
        var alreadyVoided = await db.XapiStatements.Where(s => s.VoidsId != null && newIds.Contains(s.VoidsId.Value))
            .Select(s => s.VoidsId!.Value).ToListAsync(cancel);
        // Whole milliseconds, as the JSON has it: since and until compare with this column.
        var stored = XapiTimestamp.WholeMilliseconds(time.GetUtcNow().UtcDateTime);
        var rows = new List<StoredStatement>();
        foreach (var statement in statements.Where(s => !existing.ContainsKey(s.Id!.Value)))
        {
            var asStored = statement with
            {
                Stored = stored,
                Authority = authority,
                Version = RemoteLrs.XapiVersion,
                Timestamp = statement.Timestamp ?? stored,
            };
            var row = Row(asStored, stored);
            row.Voided = row.VoidsId is null && (voidedIds.Contains(row.Id) || alreadyVoided.Contains(row.Id));
            rows.Add(row);
        }

        await InsertAsync(rows, cancel);
        if (attachments.Count > 0)
        {
            var hashes = attachments.Select(a => a.Sha2).ToList();
            var known = await db.XapiAttachments.Where(a => hashes.Contains(a.Sha2)).Select(a => a.Sha2).ToListAsync(cancel);
            db.XapiAttachments.AddRange(attachments.Where(a => !known.Contains(a.Sha2)).DistinctBy(a => a.Sha2));
            await db.SaveChangesAsync(cancel);
            db.ChangeTracker.Clear();
        }

        if (voidedIds.Count > 0)
        {
            await db.XapiStatements.Where(s => voidedIds.Contains(s.Id) && s.VoidsId == null && !s.Voided)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.Voided, true), cancel);
        }

        await transaction.CommitAsync(cancel);
        return SaveOutcome.Stored(ids);
    }

    /// <summary>
    /// The rows through three prepared INSERTs: with tracked entities, <c>SaveChanges</c> took three quarters of a batch's
    /// time (a statement built and prepared per row, and the related rows waiting for each new sequence number).
    /// </summary>
    private async Task InsertAsync(List<StoredStatement> rows, CancellationToken cancel)
    {
        await using var statement = new PreparedInsert(db, typeof(StoredStatement),
            [nameof(StoredStatement.Id), nameof(StoredStatement.Stored), nameof(StoredStatement.ActorKey), nameof(StoredStatement.ObjectAgentKey),
             nameof(StoredStatement.VerbId), nameof(StoredStatement.ActivityId), nameof(StoredStatement.Registration),
             nameof(StoredStatement.VoidsId), nameof(StoredStatement.TargetId), nameof(StoredStatement.Voided), nameof(StoredStatement.Json)],
            returning: nameof(StoredStatement.Sequence));
        await using var activity = new PreparedInsert(db, typeof(StatementActivity),
            [nameof(StatementActivity.StatementSequence), nameof(StatementActivity.ActivityId)]);
        await using var agent = new PreparedInsert(db, typeof(StatementAgent),
            [nameof(StatementAgent.StatementSequence), nameof(StatementAgent.AgentKey)]);
        foreach (var row in rows)
        {
            var sequence = Convert.ToInt64(await statement.RunReturningAsync(cancel,
                row.Id, row.Stored, row.ActorKey, row.ObjectAgentKey, row.VerbId, row.ActivityId, row.Registration, row.VoidsId, row.TargetId, row.Voided, row.Json));
            foreach (var related in row.RelatedActivities)
            {
                await activity.RunAsync(cancel, sequence, related.ActivityId);
            }

            foreach (var related in row.RelatedAgents)
            {
                await agent.RunAsync(cancel, sequence, related.AgentKey);
            }
        }
    }

    /// <summary>A statement by id: not voided (<paramref name="voided"/> false) or voided (true); null otherwise.</summary>
    public Task<string?> FindAsync(Guid id, bool voided, CancellationToken cancel) =>
        db.XapiStatements.AsNoTracking().Where(s => s.Id == id && s.Voided == voided).Select(s => s.Json).FirstOrDefaultAsync(cancel);

    /// <summary>One page of a query, and where the next page starts if there is one.</summary>
    public async Task<(IReadOnlyList<string> Statements, long? Next)> QueryAsync(StatementFilter filter, CancellationToken cancel)
    {
        var query = Matching(Bounded(db.XapiStatements.AsNoTracking().Where(s => !s.Voided), filter), filter);
        query = filter.Ascending ? query.OrderBy(s => s.Sequence) : query.OrderByDescending(s => s.Sequence);
        var limit = filter.Limit is <= 0 or > MaxPageSize ? MaxPageSize : filter.Limit;
        var page = await query.Take(limit + 1).Select(s => new { s.Sequence, s.Json }).ToListAsync(cancel);
        if (filter.AgentKey is not null || filter.VerbId is not null || filter.ActivityId is not null || filter.Registration is not null)
        {
            // Communication 2.1.3: statements that target a matching statement (through a StatementRef) match too,
            // voided targets included: a voiding statement is found by the filters its voided statement matched.
            // Found apart and merged by sequence: a UNION in SQL made SQLite read every match (all 300 000 answered
            // statements) into a temporary B-tree to remove duplicates before the LIMIT, where the page above reads
            // only its rows off the index. Statements referring to others are few (the app sends only voiding ones).
            // Bounded in memory: with since or until in the SQL, SQLite read by the Stored index (every statement
            // since then) instead of the partial index of the few that refer to another.
            var referring = (await db.XapiStatements.AsNoTracking().Where(s => s.TargetId != null && !s.Voided)
                .Select(s => new { s.Sequence, s.Stored, TargetId = s.TargetId!.Value })
                .ToListAsync(cancel))
                .Where(r => (filter.Since is not { } since || r.Stored > since) && (filter.Until is not { } until || r.Stored <= until)
                    && (filter.After is not { } after || (filter.Ascending ? r.Sequence > after : r.Sequence < after)))
                .ToList();
            if (referring.Count > 0)
            {
                var targetIds = referring.Select(r => r.TargetId).Distinct().ToList();
                var matched = (await Matching(db.XapiStatements.AsNoTracking().Where(t => targetIds.Contains(t.Id)), filter)
                    .Select(t => t.Id).ToListAsync(cancel)).ToHashSet();
                var onPage = page.Select(p => p.Sequence).ToHashSet();
                var extra = referring.Where(r => matched.Contains(r.TargetId) && !onPage.Contains(r.Sequence)).Select(r => r.Sequence).ToList();
                if (extra.Count > 0)
                {
                    var ordered = page.Select(p => p.Sequence).Concat(extra);
                    var wanted = (filter.Ascending ? ordered.Order() : ordered.OrderDescending()).Take(limit + 1).ToList();
                    var missing = wanted.Where(w => !onPage.Contains(w)).ToList();
                    var fetched = await db.XapiStatements.AsNoTracking().Where(s => missing.Contains(s.Sequence))
                        .Select(s => new { s.Sequence, s.Json }).ToListAsync(cancel);
                    var bySequence = page.Concat(fetched).ToDictionary(p => p.Sequence);
                    page = [.. wanted.Select(w => bySequence[w])];
                }
            }
        }

        return page.Count > limit
            ? ([.. page.Take(limit).Select(p => p.Json)], page[limit - 1].Sequence)
            : ([.. page.Select(p => p.Json)], null);
    }

    /// <summary>since, until and the paging cursor: about the returned statement itself, never its target.</summary>
    private static IQueryable<StoredStatement> Bounded(IQueryable<StoredStatement> query, StatementFilter filter)
    {
        if (filter.Since is { } since)
        {
            query = query.Where(s => s.Stored > since);
        }

        if (filter.Until is { } until)
        {
            query = query.Where(s => s.Stored <= until);
        }

        if (filter.After is { } after)
        {
            query = filter.Ascending ? query.Where(s => s.Sequence > after) : query.Where(s => s.Sequence < after);
        }

        return query;
    }

    /// <summary>The agent, verb, activity and registration filters.</summary>
    private IQueryable<StoredStatement> Matching(IQueryable<StoredStatement> query, StatementFilter filter)
    {
        if (filter.VerbId is { } verb)
        {
            query = query.Where(s => s.VerbId == verb);
        }

        if (filter.ActivityId is { } activity)
        {
            query = filter.RelatedActivities
                ? query.Where(s => db.XapiStatementActivities.Any(a => a.ActivityId == activity && a.StatementSequence == s.Sequence))
                : query.Where(s => s.ActivityId == activity);
        }

        if (filter.Registration is { } registration)
        {
            query = query.Where(s => s.Registration == registration);
        }

        if (filter.AgentKey is { } agent)
        {
            // Actor or object as a union of two indexed lookups: an OR across two columns would make the database
            // scan by the other filters instead.
            query = filter.RelatedAgents
                ? query.Where(s => db.XapiStatementAgents.Any(a => a.AgentKey == agent && a.StatementSequence == s.Sequence))
                : query.Where(s => s.ActorKey == agent).Union(query.Where(s => s.ObjectAgentKey == agent));
        }

        return query;
    }

    /// <summary>The stored bytes of these attachments (by SHA-2), for a multipart answer.</summary>
    public Task<List<StoredAttachment>> AttachmentsAsync(IReadOnlyCollection<string> hashes, CancellationToken cancel) =>
        db.XapiAttachments.AsNoTracking().Where(a => hashes.Contains(a.Sha2)).ToListAsync(cancel);

    /// <summary>The same statement, leaving out what the LRS set; compared after a JSON round trip, as stored.</summary>
    private static bool IsSame(Statement sent, Statement stored)
    {
        var normalized = XapiJson.Deserialize<Statement>(XapiJson.Serialize(sent with
        {
            Stored = stored.Stored,
            Authority = stored.Authority,
            Version = stored.Version,
            Timestamp = sent.Timestamp ?? stored.Timestamp,
        }));
        return normalized == stored;
    }

    private static Guid? VoidedBy(Statement statement) =>
        statement.Verb.Id == Verbs.Voided.Id && statement.Target is StatementRef target ? target.Id : null;

    /// <summary>The row for a statement as stored (with its stored, authority and version set); public for the benchmark's bulk set-up.</summary>
    public static StoredStatement Row(Statement statement, DateTime stored)
    {
        var row = new StoredStatement
        {
            Id = statement.Id!.Value,
            Stored = stored,
            ActorKey = AgentKeys.Of(statement.Actor),
            ObjectAgentKey = statement.Target is Agent agent ? AgentKeys.Of(agent) : null,
            VerbId = statement.Verb.Id,
            ActivityId = (statement.Target as Activity)?.Id,
            Registration = statement.Context?.Registration,
            VoidsId = VoidedBy(statement),
            TargetId = (statement.Target as StatementRef)?.Id,
            Json = XapiJson.Serialize(statement),
        };
        row.RelatedActivities = [.. RelatedActivities(statement).Distinct().Select(id => new StatementActivity { ActivityId = id })];
        row.RelatedAgents = [.. RelatedAgents(statement).OfType<string>().Distinct().Select(key => new StatementAgent { AgentKey = key })];
        return row;
    }

    private static IEnumerable<string> RelatedActivities(StatementBase statement)
    {
        if (statement.Target is Activity activity)
        {
            yield return activity.Id;
        }

        if (statement.Context?.ContextActivities is { } around)
        {
            foreach (var list in new[] { around.Parent, around.Grouping, around.Category, around.Other })
            {
                foreach (var related in list ?? [])
                {
                    yield return related.Id;
                }
            }
        }

        if (statement.Target is SubStatement sub)
        {
            foreach (var id in RelatedActivities(sub))
            {
                yield return id;
            }
        }
    }

    private static IEnumerable<string?> RelatedAgents(StatementBase statement)
    {
        IEnumerable<Agent?> agents = [statement.Actor, statement.Target as Agent, statement.Context?.Instructor, statement.Context?.Team, (statement as Statement)?.Authority];
        foreach (var agent in agents.OfType<Agent>())
        {
            yield return AgentKeys.Of(agent);
            foreach (var member in (agent as Group)?.Member ?? [])
            {
                yield return AgentKeys.Of(member);
            }
        }

        if (statement.Target is SubStatement sub)
        {
            foreach (var key in RelatedAgents(sub))
            {
                yield return key;
            }
        }
    }

}

/// <summary>The filters of <c>GET /statements</c>, checked and read; <see cref="After"/> continues a paged query.</summary>
public sealed record StatementFilter
{
    public string? AgentKey { get; init; }
    public string? VerbId { get; init; }
    public string? ActivityId { get; init; }
    public Guid? Registration { get; init; }
    public bool RelatedActivities { get; init; }
    public bool RelatedAgents { get; init; }
    public DateTime? Since { get; init; }
    public DateTime? Until { get; init; }
    public int Limit { get; init; }
    public bool Ascending { get; init; }
    public long? After { get; init; }

    /// <summary>exact, ids or canonical (<see cref="StatementFormats"/>).</summary>
    public string Format { get; init; } = "exact";

    /// <summary>attachments=true: a multipart answer with the attachments' bytes.</summary>
    public bool Attachments { get; init; }
}

/// <summary>What storing a batch came to: the ids (all stored, or already there and identical), or why not.</summary>
public sealed record SaveOutcome(int StatusCode, IReadOnlyList<Guid> Ids, string? Error)
{
    public static SaveOutcome Stored(IReadOnlyList<Guid> ids) => new(StatusCodes.Status200OK, ids, null);

    public static SaveOutcome Invalid(string error) => new(StatusCodes.Status400BadRequest, [], error);

    public static SaveOutcome Conflict(string error) => new(StatusCodes.Status409Conflict, [], error);

    public bool IsStored => Error is null;
}

/// <summary>Reading a client's JSON with the LRS's strict options, as a message instead of an exception.</summary>
public static class StrictJson
{
    public static bool TryRead<T>(string json, out T? value, out string? error) =>
        TryRead(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)), out value, out error);

    /// <summary>One JSON value of UTF-8 (invalid UTF-8, or anything after the value, is an error).</summary>
    public static bool TryRead<T>(ReadOnlySequence<byte> json, out T? value, out string? error)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            value = JsonSerializer.Deserialize<T>(ref reader, XapiJson.StrictOptions);
            // Deserialize stops after the value; reading on finds anything that follows it (and throws).
            reader.Read();
            error = value is null ? "Expected a JSON value, found null." : null;
            return value is not null;
        }
        catch (JsonException e)
        {
            value = default;
            error = e.Message;
            return false;
        }
    }

    /// <summary>The first token, or false when the JSON does not even start well.</summary>
    public static bool TryReadToken(ref Utf8JsonReader reader, out JsonTokenType token)
    {
        try
        {
            token = reader.Read() ? reader.TokenType : JsonTokenType.None;
            return token != JsonTokenType.None;
        }
        catch (JsonException)
        {
            token = JsonTokenType.None;
            return false;
        }
    }
}
