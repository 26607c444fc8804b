using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nanolearning.Xapi.Tests;

public class SerializationTests
{
    [Fact]
    public void A_statement_survives_a_round_trip_through_json_unchanged()
    {
        var statement = Examples.PassedCourse();

        var read = XapiJson.Deserialize<Statement>(XapiJson.Serialize(statement));

        Assert.Equal(statement, read);
    }

    [Fact]
    public void Statements_that_differ_in_a_nested_value_are_not_equal()
    {
        var statement = Examples.PassedCourse();
        var otherScore = statement with { Result = statement.Result! with { Score = statement.Result.Score! with { Raw = 7 } } };
        var otherCategory = statement with
        {
            Context = statement.Context! with { ContextActivities = new ContextActivities { Category = [new Activity("https://example.se/other")] } },
        };

        Assert.NotEqual(statement, otherScore);
        Assert.NotEqual(statement, otherCategory);
    }

    [Fact]
    public void A_person_for_an_agent_is_written_with_arrays_of_its_identifier_and_name_as_the_spec_shows()
    {
        var agent = new Agent { Name = "Anna", Mbox = "mailto:anna@exempel.se" };

        var json = JsonNode.Parse(XapiJson.Serialize(Person.Of(agent)));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"objectType":"Person","name":["Anna"],"mbox":["mailto:anna@exempel.se"]}"""), json), json!.ToJsonString());
        Assert.Equal(Person.Of(agent), XapiJson.Deserialize<Person>(json.ToJsonString()));
    }

    [Theory]
    [MemberData(nameof(Examples.FromTheSpec), MemberType = typeof(Examples))]
    public void A_spec_example_reads_and_writes_back_with_the_same_meaning(string name, string json)
    {
        var read = XapiJson.Deserialize<Statement>(json);

        var written = XapiJson.Serialize(read);

        Assert.Equal(read, XapiJson.Deserialize<Statement>(written));
        Assert.True(JsonNode.DeepEquals(Normalized(JsonNode.Parse(json)), Normalized(JsonNode.Parse(written))),
            $"{name} changed meaning:\n{json}\n→\n{written}");
    }

    [Fact]
    public void The_long_example_keeps_its_group_members_extensions_and_context()
    {
        var statement = XapiJson.Deserialize<Statement>(Examples.Long);

        var group = Assert.IsType<Group>(statement.Actor);
        var members = Assert.IsType<ValueList<Agent>>(group.Member);
        Assert.Equal(["13936749", null, null], members.Select(m => m.Account?.Name));
        Assert.Equal("http://toby.openid.example.org/", members[1].OpenId);
        Assert.Equal("ebd31e95054c018b10727ccffd2ef2ec3a016ee9", members[2].MboxSha1Sum);
        Assert.Equal(TimeSpan.FromHours(1), statement.Result!.Duration);
        Assert.Equal(@"X:\meetings\minutes\examplemeeting.one",
            statement.Result.Extensions!["http://example.com/profiles/meetings/resultextensions/minuteslocation"].GetString());
        Assert.Equal(2, statement.Context!.ContextActivities!.Other!.Count);
        Assert.IsType<Group>(statement.Context.Team);
        Assert.Equal(Guid.Parse("6690e6c9-3ef0-4ed3-8b37-7f3964730bee"), statement.Context.Statement!.Id);
        Assert.Equal("1.0.0", statement.Version);
        var activity = Assert.IsType<Activity>(statement.Target);
        Assert.Equal("Kilby", activity.Definition!.Extensions!["http://example.com/profiles/meetings/activitydefinitionextensions/room"].GetProperty("name").GetString());
    }

    [Fact]
    public void Every_kind_of_object_is_read_as_its_own_type()
    {
        Assert.IsType<Activity>(XapiJson.Deserialize<Statement>(Examples.Simple).Target);
        Assert.IsType<StatementRef>(XapiJson.Deserialize<Statement>(Examples.Voiding).Target);
        var sub = Assert.IsType<SubStatement>(XapiJson.Deserialize<Statement>(Examples.Planned).Target);
        Assert.Equal("http://example.com/website", Assert.IsType<Activity>(sub.Target).Id);
        var agentObject = XapiJson.Deserialize<Statement>(Examples.Voiding.Replace("\"objectType\": \"StatementRef\", \"id\": \"e05aa883-acaf-40ad-bf54-02c8ce485fb0\"", "\"objectType\": \"Agent\", \"mbox\": \"mailto:a@example.com\""));
        Assert.Equal("mailto:a@example.com", Assert.IsType<Agent>(agentObject.Target).Mbox);
    }

    [Fact]
    public void A_question_keeps_its_interaction_type_choices_and_correct_response()
    {
        var statement = XapiJson.Deserialize<Statement>(Examples.AnsweredChoice);

        var definition = Assert.IsType<Activity>(statement.Target).Definition!;
        Assert.Equal(InteractionType.Choice, definition.InteractionType);
        Assert.Equal(["golf[,]tetris"], definition.CorrectResponsesPattern!);
        Assert.Equal(["golf", "facebook", "tetris", "scrabble"], definition.Choices!.Select(c => c.Id));
        Assert.Contains("\"interactionType\":\"choice\"", XapiJson.Serialize(statement));
    }

    [Fact]
    public void A_single_context_activity_is_read_as_a_list_and_written_as_an_array()
    {
        var statement = XapiJson.Deserialize<Statement>(Examples.AnsweredChoice);

        Assert.Equal("http://example.com/prototypes", Assert.Single(statement.Context!.ContextActivities!.Parent!).Id);
        var parent = JsonNode.Parse(XapiJson.Serialize(statement))!["context"]!["contextActivities"]!["parent"];
        Assert.IsType<JsonArray>(parent);
    }

    [Fact]
    public void Objects_are_written_with_their_object_type_and_identifiers_with_xapi_names()
    {
        var json = JsonNode.Parse(XapiJson.Serialize(new Statement(
            new Agent { MboxSha1Sum = "ebd31e95054c018b10727ccffd2ef2ec3a016ee9" },
            Verbs.Voided,
            new StatementRef(Guid.Parse("e05aa883-acaf-40ad-bf54-02c8ce485fb0")))))!;

        Assert.Equal("Agent", (string?)json["actor"]!["objectType"]);
        Assert.Equal("ebd31e95054c018b10727ccffd2ef2ec3a016ee9", (string?)json["actor"]!["mbox_sha1sum"]);
        Assert.Equal("StatementRef", (string?)json["object"]!["objectType"]);
        Assert.Equal("e05aa883-acaf-40ad-bf54-02c8ce485fb0", (string?)json["object"]!["id"]);
        Assert.Null(json["result"]);
        Assert.Null(json["version"]);
    }

    [Fact]
    public void An_unknown_object_type_is_a_json_error()
    {
        var json = Examples.Voiding.Replace("\"objectType\": \"StatementRef\"", "\"objectType\": \"Lesson\"");

        var error = Assert.Throws<JsonException>(() => XapiJson.Deserialize<Statement>(json));
        Assert.Contains("Lesson", error.Message);
    }

    [Fact]
    public void A_statement_without_an_actor_is_a_json_error()
    {
        var json = """{ "verb": { "id": "http://adlnet.gov/expapi/verbs/voided" }, "object": { "id": "http://example.com/a" } }""";

        Assert.Throws<JsonException>(() => XapiJson.Deserialize<Statement>(json));
    }

    [Fact]
    public void An_id_that_is_not_a_uuid_is_a_json_error()
    {
        var json = Examples.Simple.Replace("fd41c918-b88b-4b20-a0a5-a4c32391aaa0", "not-a-uuid");

        Assert.Throws<JsonException>(() => XapiJson.Deserialize<Statement>(json));
    }

    [Theory]
    [MemberData(nameof(Examples.FromTheSpec), MemberType = typeof(Examples))]
    public void The_spec_examples_read_strictly(string name, string json)
    {
        var strict = JsonSerializer.Deserialize<Statement>(json, XapiJson.StrictOptions);

        Assert.True(XapiJson.Deserialize<Statement>(json) == strict, name);
    }

    public static TheoryData<string> WithUndefinedProperties() => new()
    {
        Examples.Planned.Replace("\"display\": { \"en-US\": \"planned\" }", "\"dispaly\": { \"en-US\": \"planned\" }"),
        Examples.Planned.Replace("\"objectType\": \"SubStatement\",", "\"objectType\": \"SubStatement\", \"id\": \"fd41c918-b88b-4b20-a0a5-a4c32391aaa0\","),
        Examples.Planned.Replace("\"objectType\": \"SubStatement\",", "\"objectType\": \"SubStatement\", \"version\": \"1.0.0\","),
    };

    [Theory]
    [MemberData(nameof(WithUndefinedProperties))]
    public void Strict_reading_refuses_properties_the_spec_does_not_define(string json)
    {
        Assert.NotEqual(Examples.Planned, json);

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Statement>(json, XapiJson.StrictOptions));
        Assert.NotNull(XapiJson.Deserialize<Statement>(json));
    }

    /// <summary>
    /// The differences xAPI allows between equal statements: objectType written out, one context activity as an
    /// array, timestamps in UTC and durations in their shortest form.
    /// </summary>
    static JsonNode? Normalized(JsonNode? node, string? name = null)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (key == "objectType" && (string?)value is "Activity" or "Agent")
                        continue;
                    var normalized = Normalized(value, key);
                    copy[key] = name == "contextActivities" && normalized is JsonObject single ? new JsonArray(single) : normalized;
                }
                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => Normalized(item))]);
            case JsonValue value when name is "timestamp" or "stored":
                return XapiTimestamp.Format(DateTimeOffset.Parse((string)value!, System.Globalization.CultureInfo.InvariantCulture));
            case JsonValue value when name is "duration":
                return XapiDuration.TryParse((string?)value, out var duration) ? duration.TotalSeconds : null;
            default:
                return node?.DeepClone();
        }
    }
}
