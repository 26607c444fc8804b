namespace Nanolearning.Xapi.Tests;

/// <summary>
/// Statements written by hand after the examples in the xAPI 1.0.3 specification, and the kind Nanolearning will
/// send (cmi5 conventions, an account actor, sv-SE names).
/// </summary>
static class Examples
{
    /// <summary>The spec's simple statement: the object has no objectType, so it is an Activity.</summary>
    public const string Simple = """
        {
          "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
          "timestamp": "2015-11-18T12:17:00+00:00",
          "actor": { "objectType": "Agent", "name": "Project Tin Can API", "mbox": "mailto:user@example.com" },
          "verb": { "id": "http://example.com/xapi/verbs#sent-a-statement", "display": { "en-US": "sent" } },
          "object": {
            "id": "http://example.com/xapi/activity/simplestatement",
            "definition": {
              "name": { "en-US": "simple statement" },
              "description": { "en-US": "A simple Experience API statement." }
            }
          }
        }
        """;

    /// <summary>The spec's long example: a group actor, every context activity kind, extensions, stored and version.</summary>
    public const string Long = """
        {
          "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
          "actor": {
            "name": "Team PB",
            "mbox": "mailto:teampb@example.com",
            "member": [
              { "name": "Andrew Downes", "account": { "homePage": "http://www.example.com", "name": "13936749" }, "objectType": "Agent" },
              { "name": "Toby Nichols", "openid": "http://toby.openid.example.org/", "objectType": "Agent" },
              { "name": "Ena Hills", "mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9", "objectType": "Agent" }
            ],
            "objectType": "Group"
          },
          "verb": { "id": "http://adlnet.gov/expapi/verbs/attended", "display": { "en-GB": "attended", "en-US": "attended" } },
          "result": {
            "extensions": { "http://example.com/profiles/meetings/resultextensions/minuteslocation": "X:\\meetings\\minutes\\examplemeeting.one" },
            "success": true,
            "completion": true,
            "response": "We agreed on some example actions.",
            "duration": "PT1H0M0S"
          },
          "context": {
            "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
            "contextActivities": {
              "parent": [ { "id": "http://www.example.com/meetings/series/267", "objectType": "Activity" } ],
              "category": [ {
                "id": "http://www.example.com/meetings/categories/teammeeting",
                "objectType": "Activity",
                "definition": {
                  "name": { "en": "team meeting" },
                  "description": { "en": "A category of meeting used for regular team meetings." },
                  "type": "http://example.com/expapi/activities/meetingcategory"
                }
              } ],
              "other": [
                { "id": "http://www.example.com/meetings/occurances/34257", "objectType": "Activity" },
                { "id": "http://www.example.com/meetings/occurances/3425567", "objectType": "Activity" }
              ]
            },
            "instructor": { "name": "Andrew Downes", "account": { "homePage": "http://www.example.com", "name": "13936749" }, "objectType": "Agent" },
            "team": { "name": "Team PB", "mbox": "mailto:teampb@example.com", "objectType": "Group" },
            "platform": "Example virtual meeting software",
            "language": "tlh",
            "statement": { "objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee" }
          },
          "timestamp": "2013-05-18T05:32:34.804+00:00",
          "stored": "2013-05-18T05:32:34.804+00:00",
          "authority": { "account": { "homePage": "http://cloud.scorm.com/", "name": "anonymous" }, "objectType": "Agent" },
          "version": "1.0.0",
          "object": {
            "id": "http://www.example.com/meetings/occurances/34534",
            "definition": {
              "extensions": { "http://example.com/profiles/meetings/activitydefinitionextensions/room": { "name": "Kilby", "id": "http://example.com/rooms/342" } },
              "name": { "en-GB": "example meeting", "en-US": "example meeting" },
              "description": { "en-GB": "An example meeting that happened on a specific occasion with certain people present." },
              "type": "http://adlnet.gov/expapi/activities/meeting",
              "moreInfo": "http://virtualmeeting.example.com/345256"
            },
            "objectType": "Activity"
          }
        }
        """;

    /// <summary>The spec's choice interaction, answered, with a single context activity instead of an array.</summary>
    public const string AnsweredChoice = """
        {
          "actor": { "mbox": "mailto:learner@example.com" },
          "verb": { "id": "http://adlnet.gov/expapi/verbs/answered", "display": { "en-US": "answered" } },
          "object": {
            "id": "http://example.com/prototypes/question-1",
            "definition": {
              "description": { "en-US": "Which of these prototypes are available at the beta site?" },
              "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
              "interactionType": "choice",
              "correctResponsesPattern": [ "golf[,]tetris" ],
              "choices": [
                { "id": "golf", "description": { "en-US": "Golf Example" } },
                { "id": "facebook", "description": { "en-US": "Facebook App" } },
                { "id": "tetris", "description": { "en-US": "Tetris Example" } },
                { "id": "scrabble", "description": { "en-US": "Scrabble Example" } }
              ]
            }
          },
          "result": { "response": "golf[,]tetris", "success": true, "score": { "scaled": 1 } },
          "context": { "contextActivities": { "parent": { "id": "http://example.com/prototypes" } } }
        }
        """;

    /// <summary>The spec's sub-statement example.</summary>
    public const string Planned = """
        {
          "actor": { "objectType": "Agent", "mbox": "mailto:test@example.com" },
          "verb": { "id": "http://example.com/planned", "display": { "en-US": "planned" } },
          "object": {
            "objectType": "SubStatement",
            "actor": { "objectType": "Agent", "mbox": "mailto:test@example.com" },
            "verb": { "id": "http://example.com/visited", "display": { "en-US": "will visit" } },
            "object": { "objectType": "Activity", "id": "http://example.com/website", "definition": { "name": { "en-US": "Some Awesome Website" } } }
          }
        }
        """;

    /// <summary>The spec's voiding statement.</summary>
    public const string Voiding = """
        {
          "actor": { "objectType": "Agent", "name": "Example Admin", "mbox": "mailto:admin@example.adlnet.gov" },
          "verb": { "id": "http://adlnet.gov/expapi/verbs/voided", "display": { "en-US": "voided" } },
          "object": { "objectType": "StatementRef", "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0" }
        }
        """;

    public static TheoryData<string, string> FromTheSpec() => new()
    {
        { nameof(Simple), Simple },
        { nameof(Long), Long },
        { nameof(AnsweredChoice), AnsweredChoice },
        { nameof(Planned), Planned },
        { nameof(Voiding), Voiding },
    };

    public const string Kommun = "https://nanolearning.example-kommun.se";
    public const string CourseId = "https://nanolearning.example-kommun.se/xapi/courses/anhoriga";

    public static Agent Learner(string key = "e-7f3a9c") => Agent.WithAccount(Kommun, key);

    /// <summary>What Nanolearning will send when a learner passes a course's final quiz (cmi5 conventions).</summary>
    public static Statement PassedCourse(Guid? id = null, Guid? registration = null) =>
        new(Learner(), Verbs.Passed, new Activity(CourseId, new ActivityDefinition
        {
            Name = new LanguageMap("sv-SE", "Stöd till anhöriga"),
            Type = "http://adlnet.gov/expapi/activities/course",
        }))
        {
            Id = id ?? Guid.NewGuid(),
            Result = new Result
            {
                Score = new Score { Scaled = 0.8, Raw = 8, Min = 0, Max = 10 },
                Success = true,
                Duration = TimeSpan.FromSeconds(270.5),
            },
            Context = new Context
            {
                Registration = registration ?? Guid.NewGuid(),
                Language = "sv-SE",
                ContextActivities = new ContextActivities
                {
                    Category = [new Activity("https://w3id.org/xapi/cmi5/context/categories/moveon")],
                },
                Extensions = Extensions.Empty
                    .With("https://w3id.org/xapi/cmi5/context/extensions/sessionid", "5b2c1f0e")
                    .With("https://w3id.org/xapi/cmi5/context/extensions/masteryscore", 0.7),
            },
            Timestamp = new DateTimeOffset(2026, 11, 23, 16, 4, 5, 123, TimeSpan.FromHours(1)),
        };
}
