namespace Nanolearning.Xapi.Tests;

public class ValidationTests
{
    static readonly Verb Answered = Verbs.Answered;
    static readonly Activity Question = new("https://nanolearning.example-kommun.se/xapi/courses/anhoriga/questions/1");

    static IReadOnlyList<ValidationProblem> Problems(Statement statement) => StatementValidator.Validate(statement);

    static ValidationProblem Single(Statement statement, string path)
    {
        var problem = Assert.Single(Problems(statement));
        Assert.Equal(path, problem.Path);
        return problem;
    }

    [Theory]
    [MemberData(nameof(Examples.FromTheSpec), MemberType = typeof(Examples))]
    public void The_spec_examples_are_valid(string name, string json)
    {
        Assert.True(Problems(XapiJson.Deserialize<Statement>(json)) is [], name);
    }

    [Fact]
    public void Nanolearnings_own_statement_is_valid()
    {
        Assert.Empty(Problems(Examples.PassedCourse()));
    }

    [Fact]
    public void An_agent_without_an_identifier_is_refused()
    {
        var problem = Single(new Statement(new Agent { Name = "Anna Ek" }, Answered, Question), "actor");

        Assert.Contains("exactly one inverse functional identifier", problem.Message);
    }

    [Fact]
    public void An_agent_with_two_identifiers_is_refused()
    {
        var agent = Examples.Learner() with { Mbox = "mailto:anna.ek@example.se" };

        var problem = Single(new Statement(agent, Answered, Question), "actor");

        Assert.Contains("it has 2", problem.Message);
    }

    [Theory]
    [InlineData("anna.ek@example.se")]
    [InlineData("mailto:anna.ek")]
    public void An_mbox_that_is_not_a_mailto_iri_is_refused(string mbox)
    {
        Single(new Statement(new Agent { Mbox = mbox }, Answered, Question), "actor.mbox");
    }

    [Fact]
    public void An_mbox_sha1sum_must_be_40_hex_characters()
    {
        Single(new Statement(new Agent { MboxSha1Sum = "abc123" }, Answered, Question), "actor.mbox_sha1sum");
    }

    [Theory]
    [InlineData("nanolearning.example-kommun.se")]
    [InlineData("/kommun")]
    [InlineData("")]
    public void An_account_home_page_must_be_an_absolute_iri(string homePage)
    {
        Single(new Statement(Agent.WithAccount(homePage, "e-1"), Answered, Question), "actor.account.homePage");
    }

    [Fact]
    public void An_anonymous_group_must_list_members_and_they_must_be_agents()
    {
        Single(new Statement(new Group(), Answered, Question), "actor.member");
        var nested = new Group { Member = [Examples.Learner(), new Group { Mbox = "mailto:team@example.se" }] };
        Single(new Statement(nested, Answered, Question), "actor.member[1]");
        var badMember = new Group { Member = [new Agent { Name = "No identifier" }] };
        Single(new Statement(badMember, Answered, Question), "actor.member[0]");
    }

    [Theory]
    [InlineData("answered")]
    [InlineData("adlnet.gov/expapi/verbs/answered")]
    [InlineData("http://adlnet.gov/expapi/verbs/ answered")]
    public void A_verb_id_must_be_an_absolute_iri(string id)
    {
        Single(new Statement(Examples.Learner(), new Verb(id), Question), "verb.id");
    }

    [Theory]
    [InlineData("urn:uuid:6690e6c9-3ef0-4ed3-8b37-7f3964730bee")]
    [InlineData("tag:example.se,2026:kurs")]
    [InlineData("https://exempel.se/kurser/anhöriga")]
    public void Other_schemes_and_non_ascii_iris_are_accepted(string id)
    {
        Assert.Empty(Problems(new Statement(Examples.Learner(), Answered, new Activity(id))));
    }

    [Fact]
    public void Activity_ids_and_types_and_extension_keys_must_be_absolute_iris()
    {
        var statement = new Statement(Examples.Learner(), Answered, new Activity("question-1", new ActivityDefinition
        {
            Type = "cmi.interaction",
            Extensions = Extensions.Empty.With("sessionid", "x"),
        }))
        {
            Context = new Context { Extensions = Extensions.Empty.With("https://example.se/ok", 1).With("masteryscore", 0.7) },
        };

        Assert.Equal(
            ["object.id", "object.definition.type", "object.definition.extensions", "context.extensions"],
            Problems(statement).Select(p => p.Path));
    }

    [Theory]
    [InlineData("sv-SE", true)]
    [InlineData("sv", true)]
    [InlineData("tlh", true)]
    [InlineData("zh-Hant-TW", true)]
    [InlineData("es-419", true)]
    [InlineData("de-CH-1901", true)]
    [InlineData("x-klingon", true)]
    [InlineData("en-US-x-twain", true)]
    [InlineData("sv SE", false)]
    [InlineData("svenska!", false)]
    [InlineData("sv_SE", false)]
    [InlineData("sv-", false)]
    [InlineData("", false)]
    [InlineData("s", false)]
    public void Language_map_keys_and_the_context_language_must_be_rfc_5646_tags(string tag, bool valid)
    {
        var statement = new Statement(Examples.Learner(), new Verb(Answered.Id, new LanguageMap(tag, "besvarade")), Question)
        {
            Context = new Context { Language = tag },
        };

        string[] expected = valid ? [] : ["verb.display", "context.language"];
        Assert.Equal(expected, Problems(statement).Select(p => p.Path));
    }

    [Theory]
    [InlineData(1.0, true)]
    [InlineData(-1.0, true)]
    [InlineData(0.0, true)]
    [InlineData(1.01, false)]
    [InlineData(-1.5, false)]
    public void A_scaled_score_must_be_between_minus_one_and_one(double scaled, bool valid)
    {
        var statement = Examples.PassedCourse() with { Result = new Result { Score = new Score { Scaled = scaled } } };

        string[] expected = valid ? [] : ["result.score.scaled"];
        Assert.Equal(expected, Problems(statement).Select(p => p.Path));
    }

    [Theory]
    [InlineData(8, 0, 10, null)]
    [InlineData(0, 0, 10, null)]
    [InlineData(10, 0, 10, null)]
    [InlineData(11, 0, 10, "result.score.raw")]
    [InlineData(-1, 0, 10, "result.score.raw")]
    [InlineData(10, 10, 10, "result.score.min")]
    public void A_raw_score_must_lie_within_min_and_max_and_min_be_below_max(double raw, double min, double max, string? problem)
    {
        var statement = Examples.PassedCourse() with { Result = new Result { Score = new Score { Raw = raw, Min = min, Max = max } } };

        string[] expected = problem is null ? [] : [problem];
        Assert.Equal(expected, Problems(statement).Select(p => p.Path).Distinct());
    }

    [Fact]
    public void A_min_above_max_is_refused()
    {
        var statement = Examples.PassedCourse() with { Result = new Result { Score = new Score { Min = 10, Max = 0 } } };

        Single(statement, "result.score.min");
    }

    [Fact]
    public void A_raw_score_is_only_bounded_by_the_limits_given()
    {
        Assert.Empty(Problems(Examples.PassedCourse() with { Result = new Result { Score = new Score { Raw = 1000, Min = 0 } } }));
        Assert.Empty(Problems(Examples.PassedCourse() with { Result = new Result { Score = new Score { Raw = -1000, Max = 0 } } }));
    }

    [Fact]
    public void Ids_and_registrations_must_not_be_the_nil_uuid()
    {
        var statement = Examples.PassedCourse(Guid.Empty, Guid.Empty);

        Assert.Equal(["id", "context.registration"], Problems(statement).Select(p => p.Path));
    }

    [Fact]
    public void A_voiding_statement_must_point_at_a_statement()
    {
        Single(new Statement(Examples.Learner(), Verbs.Voided, Question), "object");
        Assert.Empty(Problems(new Statement(Examples.Learner(), Verbs.Voided, new StatementRef(Guid.NewGuid()))));
    }

    [Fact]
    public void A_sub_statement_cannot_nest_another_and_its_parts_are_checked()
    {
        var inner = new SubStatement { Actor = Examples.Learner(), Verb = Answered, Target = Question };
        var nested = new SubStatement { Actor = Examples.Learner(), Verb = Answered, Target = inner };
        Single(new Statement(Examples.Learner(), Answered, nested), "object.object");

        var badVerb = inner with { Verb = new Verb("planned") };
        Single(new Statement(Examples.Learner(), Answered, badVerb), "object.verb.id");
    }

    [Fact]
    public void Revision_and_platform_need_an_activity_as_object()
    {
        var statement = new Statement(Examples.Learner(), Answered, Examples.Learner("e-2"))
        {
            Context = new Context { Revision = "2", Platform = "Nanolearning" },
        };

        Assert.Equal(["context.revision", "context.platform"], Problems(statement).Select(p => p.Path));
    }

    [Fact]
    public void Components_of_a_question_need_an_interaction_type_and_distinct_ids()
    {
        var definition = new ActivityDefinition
        {
            Choices = [new("a", new LanguageMap("sv-SE", "Ja")), new("a", new LanguageMap("sv-SE", "Nej"))],
            CorrectResponsesPattern = ["a"],
        };

        Assert.Equal(
            ["object.definition.choices", "object.definition.choices", "object.definition.correctResponsesPattern"],
            Problems(new Statement(Examples.Learner(), Answered, Question with { Definition = definition })).Select(p => p.Path));
    }

    [Fact]
    public void A_batch_reports_each_statements_problems_by_index_and_ids_used_twice()
    {
        var id = Guid.NewGuid();
        var batch = new[]
        {
            Examples.PassedCourse(id),
            Examples.PassedCourse(id),
            new Statement(new Agent(), Answered, Question),
        };

        Assert.Equal(["[2].actor", "id"], StatementValidator.Validate(batch).Select(p => p.Path));
    }

    [Fact]
    public void Problems_read_as_path_and_message()
    {
        var problem = Single(new Statement(Examples.Learner(), new Verb("answered"), Question), "verb.id");

        Assert.Equal("verb.id: 'answered' is not an absolute IRI with a scheme (like https://example.se/…).", problem.ToString());
    }
}
