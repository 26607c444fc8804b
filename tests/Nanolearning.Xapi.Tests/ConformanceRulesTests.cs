using System.Text.Json;

namespace Nanolearning.Xapi.Tests;

/// <summary>
/// The rules ADL's LRS conformance suite found missing (issue 18): what an LRS reading a client's JSON strictly must
/// refuse, and attachments, which statements may now carry.
/// </summary>
public class ConformanceRulesTests
{
    const string Actor = """{ "mbox": "mailto:anna@example.com" }""";
    const string Verb = """{ "id": "http://adlnet.gov/expapi/verbs/attended" }""";
    const string Object = """{ "id": "http://example.com/meeting" }""";

    static string With(string extra) => $$"""{ "actor": {{Actor}}, "verb": {{Verb}}, "object": {{Object}}{{extra}} }""";

    static Statement Strict(string json) => JsonSerializer.Deserialize<Statement>(json, XapiJson.StrictOptions)!;

    static readonly Attachment Certificate = new()
    {
        UsageType = "http://example.com/attachment-usage/certificate",
        Display = new LanguageMap("es", "certificado"),
        Description = new LanguageMap("es-MX", "un certificado"),
        ContentType = "application/pdf",
        Length = 27,
        Sha2 = "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a",
        FileUrl = "https://example.com/certificate.pdf",
    };

    public static TheoryData<string> NullProperties() => new()
    {
        With(""", "context": { "registration": null }"""),
        """{ "actor": { "mbox": "mailto:anna@example.com", "name": null }, "verb": { "id": "http://adlnet.gov/expapi/verbs/attended" }, "object": { "id": "http://example.com/meeting" } }""",
        """{ "actor": { "mbox": "mailto:anna@example.com" }, "verb": { "id": "http://adlnet.gov/expapi/verbs/attended" }, "object": { "id": "http://example.com/meeting", "definition": { "moreInfo": null } } }""",
        With(""", "result": null"""),
    };

    [Theory]
    [MemberData(nameof(NullProperties))]
    public void Strict_reading_refuses_a_property_set_to_null(string json)
    {
        var exception = Assert.Throws<JsonException>(() => Strict(json));

        Assert.Contains("is null", exception.Message);
        // A client reading an LRS's answer is lenient: null is no value.
        Assert.NotNull(XapiJson.Deserialize<Statement>(json));
    }

    [Fact]
    public void Null_stays_allowed_inside_extensions()
    {
        var statement = Strict(With(""", "result": { "extensions": { "http://example.com/x": null } }"""));

        Assert.Single(statement.Result!.Extensions!);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("\"12345\"")]
    [InlineData("\"Choice\"")]
    public void An_interaction_type_is_one_of_the_names(string value)
    {
        var json = """{ "actor": { "mbox": "mailto:anna@example.com" }, "verb": { "id": "http://adlnet.gov/expapi/verbs/answered" }, "object": { "id": "http://example.com/q", "definition": { "interactionType": VALUE } } }""".Replace("VALUE", value);

        Assert.Throws<JsonException>(() => Strict(json));
        Assert.Equal(InteractionType.Choice, Strict(json.Replace(value, "\"choice\"")).Target is Activity { Definition.InteractionType: var type } ? type : null);
    }

    [Theory]
    [InlineData("statementref")]
    [InlineData("Activity")]
    public void A_context_statement_must_be_a_StatementRef(string objectType)
    {
        var json = With($$""", "context": { "statement": { "objectType": "{{objectType}}", "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0" } }""");

        Assert.Throws<JsonException>(() => Strict(json));
        Assert.Equal(Guid.Parse("fd41c918-b88b-4b20-a0a5-a4c32391aaa0"), Strict(json.Replace(objectType, "StatementRef")).Context!.Statement!.Id);
    }

    [Theory]
    [InlineData("0.9.9")]
    [InlineData("1.1.0")]
    [InlineData("should fail")]
    public void A_version_other_than_1_0_x_is_refused(string version)
    {
        var statement = new Statement(Agent.WithAccount("https://example.com/", "anna"), Verbs.Completed, new Activity("http://example.com/a")) { Version = version };

        Assert.Equal("version", Assert.Single(StatementValidator.Validate(statement)).Path);
        Assert.Empty(StatementValidator.Validate(statement with { Version = "1.0.3" }));
    }

    [Fact]
    public void An_authority_group_is_anonymous_with_exactly_two_agents()
    {
        var app = new Agent { Account = new AgentAccount("https://lrs.example.com/", "app") };
        var user = new Agent { Mbox = "mailto:anna@example.com" };
        var third = new Agent { Mbox = "mailto:bo@example.com" };
        var statement = new Statement(user, Verbs.Completed, new Activity("http://example.com/a"));

        Assert.Empty(StatementValidator.Validate(statement with { Authority = new Group { Member = [app, user] } }));
        Assert.NotEmpty(StatementValidator.Validate(statement with { Authority = new Group { Member = [app] } }));
        Assert.NotEmpty(StatementValidator.Validate(statement with { Authority = new Group { Member = [app, user, third] } }));
        Assert.NotEmpty(StatementValidator.Validate(statement with { Authority = new Group { Mbox = "mailto:team@example.com", Member = [app, user] } }));
    }

    [Fact]
    public void Attachments_round_trip_and_accept_two_letter_and_region_language_tags()
    {
        var statement = new Statement(Agent.WithAccount("https://example.com/", "anna"), Verbs.Completed, new Activity("http://example.com/a")) { Attachments = [Certificate] };

        var read = Strict(XapiJson.Serialize(statement));

        Assert.Equal(statement, read);
        Assert.Empty(StatementValidator.Validate(read));
    }

    [Fact]
    public void Attachments_with_a_bad_hash_usage_type_or_language_are_refused()
    {
        var statement = new Statement(Agent.WithAccount("https://example.com/", "anna"), Verbs.Completed, new Activity("http://example.com/a"));

        Assert.Equal("attachments[0].sha2", Assert.Single(StatementValidator.Validate(statement with { Attachments = [Certificate with { Sha2 = "abc" }] })).Path);
        Assert.Equal("attachments[0].usageType", Assert.Single(StatementValidator.Validate(statement with { Attachments = [Certificate with { UsageType = "certificate" }] })).Path);
        Assert.Equal("attachments[0].display", Assert.Single(StatementValidator.Validate(statement with { Attachments = [Certificate with { Display = new LanguageMap("not a tag", "x") }] })).Path);
    }

    [Fact]
    public void An_attachment_needs_its_required_properties()
    {
        var json = With(""", "attachments": [ { "usageType": "http://example.com/u", "display": { "en": "x" }, "contentType": "text/plain", "sha2": "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a" } ]""");

        Assert.Throws<JsonException>(() => Strict(json));
        Assert.Single(Strict(json.Replace("\"sha2\"", "\"length\": 27, \"sha2\"")).Attachments!);
    }
}
