using System.Globalization;

namespace Nanolearning.Xapi;

/// <summary>What to ask <c>GET /statements</c> for; unset parameters are left out of the query string.</summary>
public sealed record StatementsQuery
{
    public Agent? Agent { get; init; }
    public string? VerbId { get; init; }
    public string? ActivityId { get; init; }
    public Guid? Registration { get; init; }

    /// <summary>Also match the activity in context activities and sub-statements.</summary>
    public bool RelatedActivities { get; init; }

    /// <summary>Also match the agent as authority, instructor, team or object.</summary>
    public bool RelatedAgents { get; init; }

    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }

    /// <summary>Most statements per page; 0 or unset lets the LRS decide.</summary>
    public int? Limit { get; init; }

    public StatementsQueryFormat? Format { get; init; }
    public bool Ascending { get; init; }

    /// <summary>The parameters by their xAPI names, escaped as they go on the wire; empty when none is set.</summary>
    public string ToQueryString()
    {
        var parameters = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
                parameters.Add(name + "=" + Uri.EscapeDataString(value));
        }
        Add("agent", Agent is null ? null : XapiJson.Serialize(Agent));
        Add("verb", VerbId);
        Add("activity", ActivityId);
        Add("registration", Registration?.ToString());
        Add("related_activities", RelatedActivities ? "true" : null);
        Add("related_agents", RelatedAgents ? "true" : null);
        Add("since", Since is { } since ? XapiTimestamp.Format(since) : null);
        Add("until", Until is { } until ? XapiTimestamp.Format(until) : null);
        Add("limit", Limit?.ToString(CultureInfo.InvariantCulture));
        Add("format", Format?.ToString().ToLowerInvariant());
        Add("ascending", Ascending ? "true" : null);
        return string.Join("&", parameters);
    }
}

/// <summary>How much of agents, activities and groups the LRS returns.</summary>
public enum StatementsQueryFormat
{
    Exact,
    Ids,
    Canonical,
}
