using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;

namespace Nanolearning.Web.Features.Xapi;

/// <summary>
/// The <c>format</c> of GET /statements (Communication 2.1.3): <c>exact</c> returns statements as stored; <c>ids</c>
/// keeps only the identifiers of agents, groups, activities and verbs; <c>canonical</c> keeps one language in every
/// language map, chosen by the request's <c>Accept-Language</c>. Applied to the stored JSON on the way out.
/// </summary>
public static class StatementFormats
{
    private static readonly string[] Identifiers = ["mbox", "mbox_sha1sum", "openid", "account"];
    private static readonly string[] LanguageMaps = ["display", "name", "description"];

    /// <summary>The statement's JSON in this format; <paramref name="languages"/> from Accept-Language, best first.</summary>
    public static string Apply(string json, string format, IReadOnlyList<string> languages)
    {
        if (format is not ("ids" or "canonical"))
        {
            return json;
        }

        var statement = JsonNode.Parse(json)!.AsObject();
        if (format == "ids")
        {
            Ids(statement);
        }
        else
        {
            Canonical(statement, languages);
        }

        return statement.ToJsonString();
    }

    /// <summary>The request's Accept-Language, best first (q-values honoured; <c>*</c> left out: any language will do).</summary>
    public static IReadOnlyList<string> Languages(HttpRequest request) =>
        StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out var list)
            ? [.. list.OrderByDescending(l => l.Quality ?? 1).Select(l => l.Value.ToString()).Where(l => l != "*")]
            : [];

    private static void Ids(JsonObject statement)
    {
        foreach (var name in new[] { "actor", "authority" })
        {
            if (statement[name] is JsonObject agent)
            {
                statement[name] = AgentIds(agent);
            }
        }

        if (statement["verb"] is JsonObject verb)
        {
            statement["verb"] = new JsonObject { ["id"] = verb["id"]?.DeepClone() };
        }

        if (statement["object"] is JsonObject target)
        {
            var type = target["objectType"]?.GetValue<string>() ?? "Activity";
            switch (type)
            {
                case "Activity":
                    statement["object"] = new JsonObject { ["id"] = target["id"]?.DeepClone() };
                    break;
                case "Agent" or "Group":
                    statement["object"] = AgentIds(target);
                    break;
                case "SubStatement":
                    Ids(target);
                    break;
            }
        }

        if (statement["context"] is JsonObject context)
        {
            foreach (var name in new[] { "instructor", "team" })
            {
                if (context[name] is JsonObject agent)
                {
                    context[name] = AgentIds(agent);
                }
            }

            if (context["contextActivities"] is JsonObject activities)
            {
                foreach (var (name, list) in activities.ToList())
                {
                    activities[name] = new JsonArray([.. (list as JsonArray ?? []).Select(a => (JsonNode)new JsonObject { ["id"] = a?["id"]?.DeepClone() })]);
                }
            }
        }
    }

    /// <summary>An agent or group by its identifier alone (an anonymous group by its members' identifiers).</summary>
    private static JsonObject AgentIds(JsonObject agent)
    {
        var ids = new JsonObject();
        if (agent["objectType"] is { } type)
        {
            ids["objectType"] = type.DeepClone();
        }

        var identified = false;
        foreach (var name in Identifiers)
        {
            if (agent[name] is { } value)
            {
                ids[name] = value.DeepClone();
                identified = true;
            }
        }

        if (!identified && agent["member"] is JsonArray members)
        {
            ids["member"] = new JsonArray([.. members.OfType<JsonObject>().Select(m => (JsonNode)AgentIds(m))]);
        }

        return ids;
    }

    /// <summary>Every language map (display, name, description) down to the one best language.</summary>
    private static void Canonical(JsonNode node, IReadOnlyList<string> languages)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (name == "extensions" || value is null)
                    {
                        continue;
                    }

                    if (LanguageMaps.Contains(name) && value is JsonObject map && map.All(p => p.Value is JsonValue))
                    {
                        obj[name] = OneLanguage(map, languages);
                    }
                    else
                    {
                        Canonical(value, languages);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array.OfType<JsonNode>())
                {
                    Canonical(item, languages);
                }

                break;
        }
    }

    private static JsonObject OneLanguage(JsonObject map, IReadOnlyList<string> languages)
    {
        if (map.Count <= 1)
        {
            return (JsonObject)map.DeepClone();
        }

        // The first accepted language the map has exactly, then one of its region variants (sv for sv-SE), then the first.
        var key = languages.Select(l => map.FirstOrDefault(p => p.Key.Equals(l, StringComparison.OrdinalIgnoreCase)).Key).FirstOrDefault(k => k is not null)
            ?? languages.Select(l => map.FirstOrDefault(p => p.Key.Split('-')[0].Equals(l.Split('-')[0], StringComparison.OrdinalIgnoreCase)).Key).FirstOrDefault(k => k is not null)
            ?? map.First().Key;
        return new JsonObject { [key] = map[key]!.DeepClone() };
    }
}
