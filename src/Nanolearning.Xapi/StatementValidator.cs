using System.Text.RegularExpressions;

namespace Nanolearning.Xapi;

/// <summary>One broken rule, with the JSON path it concerns (<c>object.definition.name</c>).</summary>
public sealed record ValidationProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>
/// The xAPI 1.0.3 rules that the types cannot express: exactly one inverse functional identifier per agent, absolute
/// IRIs, language tags, score ranges, voiding. For a sender before it writes a statement, and for an LRS on
/// statements read from a client's JSON (format errors such as a bad UUID or a timestamp without a zone already fail
/// while reading).
/// </summary>
public static partial class StatementValidator
{
    /// <summary>Problems with one statement; empty when it is valid.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(Statement statement)
    {
        var problems = new List<ValidationProblem>();
        CheckStatement(statement, problems);
        return problems;
    }

    /// <summary>Problems with a batch: each statement's, and ids used twice (an LRS answers 400 to those).</summary>
    public static IReadOnlyList<ValidationProblem> Validate(IReadOnlyList<Statement> statements)
    {
        var problems = new List<ValidationProblem>();
        for (var i = 0; i < statements.Count; i++)
            problems.AddRange(Validate(statements[i]).Select(p => p with { Path = $"[{i}].{p.Path}" }));
        foreach (var id in statements.Where(s => s.Id is not null).GroupBy(s => s.Id).Where(g => g.Count() > 1).Select(g => g.Key))
            problems.Add(new("id", $"The id {id} is used by more than one statement in the batch."));
        return problems;
    }

    static void CheckStatement(Statement statement, List<ValidationProblem> problems)
    {
        if (statement.Id == Guid.Empty)
            problems.Add(new("id", "The id must be a UUID other than all zeros."));
        CheckCore(statement, "", problems);
        if (statement.Authority is not null)
            CheckAuthority(statement.Authority, problems);
        if (statement.Version is not null && !Version().IsMatch(statement.Version))
            problems.Add(new("version", $"'{statement.Version}' is not an xAPI 1.0.x version."));
        if (statement.Verb?.Id == Verbs.Voided.Id && statement.Target is not StatementRef)
            problems.Add(new("object", "A voiding statement's object must be a StatementRef to the voided statement."));
    }

    static void CheckCore(StatementBase statement, string prefix, List<ValidationProblem> problems)
    {
        var (actor, verb, target) = (statement.Actor, statement.Verb, statement.Target);
        if (actor is null)
            problems.Add(new(prefix + "actor", "A statement needs an actor."));
        else
            CheckAgent(actor, prefix + "actor", problems);

        if (verb is null)
            problems.Add(new(prefix + "verb", "A statement needs a verb."));
        else
        {
            CheckIri(verb.Id, prefix + "verb.id", problems);
            CheckLanguageMap(verb.Display, prefix + "verb.display", problems);
        }

        switch (target)
        {
            case null: problems.Add(new(prefix + "object", "A statement needs an object.")); break;
            case Activity activity: CheckActivity(activity, prefix + "object", problems); break;
            case Agent agent: CheckAgent(agent, prefix + "object", problems); break;
            case SubStatement when prefix.Length > 0:
                problems.Add(new(prefix + "object", "A sub-statement cannot contain another sub-statement."));
                break;
            case SubStatement sub: CheckCore(sub, "object.", problems); break;
        }

        if (statement.Result is not null)
            CheckResult(statement.Result, prefix + "result", problems);
        for (var i = 0; i < (statement.Attachments?.Count ?? 0); i++)
            CheckAttachment(statement.Attachments![i], $"{prefix}attachments[{i}]", problems);
        if (statement.Context is not null)
            CheckContext(statement.Context, target, prefix + "context", problems);
    }

    /// <summary>
    /// An Agent, or (for OAuth: the application and the user) an anonymous Group of exactly two Agents (2.4.9).
    /// </summary>
    static void CheckAuthority(Agent authority, List<ValidationProblem> problems)
    {
        CheckAgent(authority, "authority", problems);
        if (authority is Group group && (AgentKeysOf(group) > 0 || group.Member?.Count != 2))
            problems.Add(new("authority", "An authority that is a Group must be an anonymous group of exactly two agents."));
    }

    static int AgentKeysOf(Agent agent) =>
        new[] { agent.Mbox, agent.MboxSha1Sum, agent.OpenId }.Count(i => i is not null) + (agent.Account is null ? 0 : 1);

    static void CheckAttachment(Attachment attachment, string path, List<ValidationProblem> problems)
    {
        CheckIri(attachment.UsageType, path + ".usageType", problems);
        CheckLanguageMap(attachment.Display, path + ".display", problems);
        CheckLanguageMap(attachment.Description, path + ".description", problems);
        if (attachment.FileUrl is not null)
            CheckIri(attachment.FileUrl, path + ".fileUrl", problems);
        if (attachment.Length < 0)
            problems.Add(new(path + ".length", "length must be 0 or more."));
        if (!Sha2Hex().IsMatch(attachment.Sha2))
            problems.Add(new(path + ".sha2", "sha2 must be the hexadecimal SHA-2 of the attachment."));
        if (!MediaType().IsMatch(attachment.ContentType))
            problems.Add(new(path + ".contentType", $"'{attachment.ContentType}' is not an internet media type (like application/pdf)."));
    }

    static void CheckAgent(Agent agent, string path, List<ValidationProblem> problems)
    {
        var identifiers = new[] { agent.Mbox, agent.MboxSha1Sum, agent.OpenId }.Count(i => i is not null) + (agent.Account is null ? 0 : 1);
        if (agent is Group group)
        {
            if (identifiers > 1)
                problems.Add(new(path, $"A group may have at most one inverse functional identifier (mbox, mbox_sha1sum, openid, account); it has {identifiers}."));
            if (identifiers == 0 && (group.Member is null || group.Member.Count == 0))
                problems.Add(new(path + ".member", "An anonymous group (one without an identifier) must list its members."));
            for (var i = 0; i < (group.Member?.Count ?? 0); i++)
            {
                if (group.Member![i] is Group)
                    problems.Add(new($"{path}.member[{i}]", "A group's members must be agents, not groups."));
                else
                    CheckAgent(group.Member[i], $"{path}.member[{i}]", problems);
            }
        }
        else if (identifiers != 1)
            problems.Add(new(path, $"An agent must have exactly one inverse functional identifier (mbox, mbox_sha1sum, openid, account); it has {identifiers}."));

        if (agent.Mbox is not null && !MailtoIri().IsMatch(agent.Mbox))
            problems.Add(new(path + ".mbox", "mbox must be a mailto: IRI with an e-mail address (mailto:namn@example.se)."));
        if (agent.MboxSha1Sum is not null && !Sha1Hex().IsMatch(agent.MboxSha1Sum))
            problems.Add(new(path + ".mbox_sha1sum", "mbox_sha1sum must be 40 hexadecimal characters (the SHA-1 of the mailto: IRI)."));
        if (agent.OpenId is not null)
            CheckIri(agent.OpenId, path + ".openid", problems);
        if (agent.Account is { } account)
        {
            CheckIri(account.HomePage, path + ".account.homePage", problems);
            if (string.IsNullOrWhiteSpace(account.Name))
                problems.Add(new(path + ".account.name", "An account needs a name."));
        }
    }

    static void CheckActivity(Activity activity, string path, List<ValidationProblem> problems)
    {
        CheckIri(activity.Id, path + ".id", problems);
        if (activity.Definition is not { } definition)
            return;
        CheckLanguageMap(definition.Name, path + ".definition.name", problems);
        CheckLanguageMap(definition.Description, path + ".definition.description", problems);
        if (definition.Type is not null)
            CheckIri(definition.Type, path + ".definition.type", problems);
        if (definition.MoreInfo is not null)
            CheckIri(definition.MoreInfo, path + ".definition.moreInfo", problems);
        CheckExtensions(definition.Extensions, path + ".definition.extensions", problems);
        var components = new (string Name, ValueList<InteractionComponent>? List)[]
        {
            ("choices", definition.Choices), ("scale", definition.Scale), ("source", definition.Source),
            ("target", definition.Target), ("steps", definition.Steps),
        };
        foreach (var (name, list) in components)
        {
            if (list is null)
                continue;
            if (definition.InteractionType is null)
                problems.Add(new($"{path}.definition.{name}", $"{name} needs an interactionType."));
            foreach (var id in list.GroupBy(c => c.Id).Where(g => g.Count() > 1).Select(g => g.Key))
                problems.Add(new($"{path}.definition.{name}", $"The id '{id}' is used by more than one component."));
            for (var i = 0; i < list.Count; i++)
                CheckLanguageMap(list[i].Description, $"{path}.definition.{name}[{i}].description", problems);
        }
        if (definition.CorrectResponsesPattern is not null && definition.InteractionType is null)
            problems.Add(new(path + ".definition.correctResponsesPattern", "correctResponsesPattern needs an interactionType."));
    }

    static void CheckResult(Result result, string path, List<ValidationProblem> problems)
    {
        CheckExtensions(result.Extensions, path + ".extensions", problems);
        if (result.Score is not { } score)
            return;
        if (score.Scaled is < -1 or > 1)
            problems.Add(new(path + ".score.scaled", $"The scaled score must be between -1 and 1; it is {score.Scaled}."));
        if (score.Min is not null && score.Max is not null && score.Min >= score.Max)
            problems.Add(new(path + ".score.min", $"min ({score.Min}) must be less than max ({score.Max})."));
        if (score.Raw < score.Min)
            problems.Add(new(path + ".score.raw", $"raw ({score.Raw}) is below min ({score.Min})."));
        if (score.Raw > score.Max)
            problems.Add(new(path + ".score.raw", $"raw ({score.Raw}) is above max ({score.Max})."));
    }

    static void CheckContext(Context context, IStatementTarget? target, string path, List<ValidationProblem> problems)
    {
        if (context.Registration == Guid.Empty)
            problems.Add(new(path + ".registration", "The registration must be a UUID other than all zeros."));
        if (context.Instructor is not null)
            CheckAgent(context.Instructor, path + ".instructor", problems);
        if (context.Team is not null)
            CheckAgent(context.Team, path + ".team", problems);
        if (context.Language is not null && !LanguageTag().IsMatch(context.Language))
            problems.Add(new(path + ".language", $"'{context.Language}' is not an RFC 5646 language tag (like sv-SE)."));
        if (target is not Activity && context.Revision is not null)
            problems.Add(new(path + ".revision", "revision is only allowed when the object is an activity."));
        if (target is not Activity && context.Platform is not null)
            problems.Add(new(path + ".platform", "platform is only allowed when the object is an activity."));
        CheckExtensions(context.Extensions, path + ".extensions", problems);
        if (context.ContextActivities is not { } activities)
            return;
        foreach (var (name, list) in new[] { ("parent", activities.Parent), ("grouping", activities.Grouping), ("category", activities.Category), ("other", activities.Other) })
        {
            for (var i = 0; i < (list?.Count ?? 0); i++)
                CheckActivity(list![i], $"{path}.contextActivities.{name}[{i}]", problems);
        }
    }

    static void CheckLanguageMap(LanguageMap? map, string path, List<ValidationProblem> problems)
    {
        foreach (var language in map?.Keys ?? Enumerable.Empty<string>())
        {
            if (!LanguageTag().IsMatch(language))
                problems.Add(new(path, $"'{language}' is not an RFC 5646 language tag (like sv-SE)."));
        }
    }

    static void CheckExtensions(Extensions? extensions, string path, List<ValidationProblem> problems)
    {
        foreach (var iri in extensions?.Keys ?? Enumerable.Empty<string>())
            CheckIri(iri, path, problems);
    }

    static void CheckIri(string? iri, string path, List<ValidationProblem> problems)
    {
        if (!IsAbsoluteIri(iri))
            problems.Add(new(path, $"'{iri}' is not an absolute IRI with a scheme (like https://example.se/…)."));
    }

    /// <summary>
    /// An IRI with a scheme and no spaces. The scheme is checked first because .NET treats "/path" as an absolute
    /// file URI on Linux.
    /// </summary>
    public static bool IsAbsoluteIri(string? iri) =>
        iri is not null && IriScheme().IsMatch(iri) && !iri.Any(char.IsWhiteSpace) && Uri.TryCreate(iri, UriKind.Absolute, out _);

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*:.")]
    private static partial Regex IriScheme();

    [GeneratedRegex(@"^mailto:[^@\s]+@[^@\s]+$")]
    private static partial Regex MailtoIri();

    [GeneratedRegex(@"^1\.0(\.[0-9]+)?$")]
    private static partial Regex Version();

    // SHA-224, 256, 384 or 512.
    [GeneratedRegex(@"^(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})$")]
    private static partial Regex Sha2Hex();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+\-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+\-]*(?:\s*;.*)?$")]
    private static partial Regex MediaType();

    [GeneratedRegex(@"^[0-9a-fA-F]{40}$")]
    private static partial Regex Sha1Hex();

    // RFC 5646 without the grandfathered tags: language(-extlang)(-script)(-region)(-variant)*(-extension)*(-privateuse),
    // or a private-use tag alone.
    [GeneratedRegex(@"^(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?|[Xx](?:-[A-Za-z0-9]{1,8})+)$")]
    private static partial Regex LanguageTag();
}
