using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.FollowUp;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Features.Xapi;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The demo app with a reflection question added to the introduction's first lesson (the shipped courses have none), so
/// a learner can write free text.
/// </summary>
public class ReflectionFixture : AppFixture
{
    public ReflectionFixture() => AddReflection(CoursesFolder);

    public const string Course = DemoSeeder.IntroductionCourse;

    public static void AddReflection(string coursesFolder) =>
        File.AppendAllText(
            Path.Combine(coursesFolder, Course, "01-anhorig-och-narstaende.md"),
            "\n::: reflektion\nNär mötte du senast en anhörig i ditt arbete? Vad behövde hen?\n:::\n");

    /// <summary>
    /// A new learner with a login who takes the introduction's first lesson over HTTP, writing <paramref name="reflection"/>
    /// as the reflection; also assigned the course, and a completed other course with its final quiz.
    /// </summary>
    public async Task<(string Email, Visitor Visitor)> LearnerWithProgress(string reflection)
    {
        var email = await NewLearner();
        await Assign(email, Course);
        await Complete(email, Catalog.FindLive("anhorigperspektiv-i-handlaggning")!, UtcNow);
        var visitor = NewVisitor();
        await visitor.LogIn(email);
        var page = await visitor.StartCourse(Course);
        var lesson = Catalog.FindLive(Course)!.Lessons[0];
        Assert.Contains(lesson.Questions, q => q.Kind == QuestionKind.Reflection);
        foreach (var question in lesson.Questions)
        {
            page = await visitor.SubmitAndFollow(
                page, $"#fraga-{question.Id}", question.Kind == QuestionKind.Reflection ? [("text", reflection)] : Answers.Right(question));
        }

        await visitor.SubmitAndFollow(page, "form[action*='handler=Next']");
        return (email, visitor);
    }

    public async Task Deliver()
    {
        using var scope = Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<StatementDelivery>().DeliverAsync();
    }
}

/// <summary>
/// "Mina uppgifter": a learner sees and downloads everything stored about them, and nothing about anyone else; and a
/// reflection's text is stored once, in the answer, not again in the xAPI outbox.
/// </summary>
public sealed class PrivacyTests(ReflectionFixture app) : IClassFixture<ReflectionFixture>
{
    [Fact]
    public async Task The_json_download_holds_every_kind_of_record_of_the_signed_in_learner_and_nothing_of_another()
    {
        var (mine, visitor) = await app.LearnerWithProgress("Min egen reflektion " + Guid.NewGuid());
        var (theirs, _) = await app.LearnerWithProgress("Någon annans reflektion " + Guid.NewGuid());
        await Remind(mine);
        await Remind(theirs);
        await SeenByChef(mine);
        await SeenByChef(theirs);
        await app.Deliver();
        var other = await app.Query(db => db.Learners.SingleAsync(l => l.Email == theirs));
        var otherEnrolments = await app.Query(db => db.Enrolments.Where(e => e.LearnerId == other.Id).Select(e => e.Id.ToString()).ToListAsync());
        var otherReflection = await app.Query(db => db.Answers.Where(a => otherEnrolments.Contains(a.EnrolmentId.ToString()) && a.IsCorrect == null && a.QuizAttemptId == null).Select(a => a.Response).SingleAsync());

        // An id from the client would be ignored: there is nothing to ask for but one's own.
        using var response = await visitor.Client.GetAsync($"/konto/mina-uppgifter?handler=Json&learnerId={other.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal($"mina-uppgifter-{app.Today:yyyy-MM-dd}.json", response.Content.Headers.ContentDisposition.FileName?.Trim('"'));
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal(mine, root.GetProperty("profile").GetProperty("email").GetString());
        Assert.Equal(mine, root.GetProperty("account").GetProperty("email").GetString());
        Assert.Contains("medarbetare", root.GetProperty("account").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("Lösenord", text);
        foreach (var kind in new[]
                 {
                     "assignments", "enrolments", "lessonCompletions", "quizAttempts", "answers", "reminders", "reminderMails",
                     "learningEvents", "xapiStatements", "auditEntriesAboutYou",
                 })
        {
            Assert.True(root.GetProperty(kind).GetArrayLength() > 0, $"The download has no {kind}.");
        }

        Assert.Contains(root.GetProperty("answers").EnumerateArray(), a => a.GetProperty("isReflection").GetBoolean() && a.GetProperty("response").GetString()!.StartsWith("Min egen reflektion"));
        Assert.Contains(root.GetProperty("auditEntriesAboutYou").EnumerateArray(), a => a.GetProperty("action").GetString() == nameof(AuditAction.DownloadedOwnData));
        Assert.All(
            new[] { theirs, other.FirstName + " " + other.LastName, other.PseudonymKey.ToString(), otherReflection }.Concat(otherEnrolments),
            secret => Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_download_is_in_the_audit_trail_about_the_person()
    {
        var (mine, visitor) = await app.LearnerWithProgress("Reflektion " + Guid.NewGuid());
        var id = await app.LearnerId(mine);

        using var response = await visitor.Client.GetAsync("/konto/mina-uppgifter?handler=Json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = await app.Query(db => db.AuditEntries.SingleAsync(e => e.LearnerId == id && e.Action == AuditAction.DownloadedOwnData));
        Assert.StartsWith("Test Person", entry.UserName);
    }

    [Fact]
    public async Task The_page_shows_the_learners_own_data_and_every_page_links_to_it()
    {
        var reflection = "Jag tänkte på min mamma " + Guid.NewGuid();
        var (mine, visitor) = await app.LearnerWithProgress(reflection);
        var (theirs, _) = await app.LearnerWithProgress("Annans text " + Guid.NewGuid());
        await Remind(mine);

        var home = await visitor.Open("/");
        Assert.NotNull(home.QuerySelector("nav a[href='/konto/mina-uppgifter']"));
        var page = await visitor.Open("/konto/mina-uppgifter");

        Assert.Equal("Mina uppgifter", page.QuerySelector("h1")!.TextContent);
        var text = Text(page);
        Assert.Contains(mine, text);
        Assert.Contains(reflection, text);
        Assert.Contains(app.Catalog.FindLive(ReflectionFixture.Course)!.Title, text);
        Assert.Contains("Ny kurs", text);
        Assert.DoesNotContain(theirs, text);
        Assert.DoesNotContain("Annans text", text);
        Assert.NotNull(page.QuerySelector("a[href='/konto/mina-uppgifter?handler=Json'][download]"));
    }

    [Fact]
    public async Task Without_a_login_the_page_and_the_download_ask_for_one()
    {
        var visitor = app.NewVisitor();

        using var page = await visitor.Client.GetAsync("/konto/mina-uppgifter");
        using var download = await visitor.Client.GetAsync("/konto/mina-uppgifter?handler=Json");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, download.StatusCode);
        Assert.Contains("/logga-in", download.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_reflection_is_stored_in_exactly_one_row_after_it_was_delivered_as_a_statement()
    {
        var reflection = "Min pappa har demens och jag " + Guid.NewGuid();
        var (email, _) = await app.LearnerWithProgress(reflection);
        await app.Deliver();

        var learnerId = await app.LearnerId(email);
        Assert.All(await app.Query(db => db.LearningEvents.Where(e => e.LearnerId == learnerId).ToListAsync()), e => Assert.NotNull(e.DeliveredAt));
        Assert.Equal(["Answers"], await TablesHolding(reflection));
    }

    /// <summary>Every row of every table in the app's database whose text (or bytes as UTF-8) contains <paramref name="secret"/>, by table.</summary>
    private async Task<List<string>> TablesHolding(string secret)
    {
        await using var connection = app.OpenDatabase();
        var tables = AppFixture.Tables(connection);

        var holding = new List<string>();
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.IsDBNull(i) ? "" : reader.GetValue(i) is byte[] bytes ? Encoding.UTF8.GetString(bytes) : Convert.ToString(reader.GetValue(i));
                    if (value?.Contains(secret, StringComparison.Ordinal) == true)
                    {
                        holding.Add(table);
                        break;
                    }
                }
            }
        }

        return holding;
    }

    private Task Remind(string email) => app.Query(async db =>
    {
        var learner = await db.Learners.SingleAsync(l => l.Email == email);
        db.Reminders.Add(new Reminder
        {
            LearnerId = learner.Id, Kind = ReminderKind.Assigned, Reason = $"assigned:test:{Guid.NewGuid():N}", Date = app.Today,
            CourseId = ReflectionFixture.Course, CreatedAt = app.UtcNow,
            Mail = new ReminderMail { LearnerId = learner.Id, Day = app.Today, State = ReminderMailState.Sent, SentAt = app.UtcNow, NextAttemptAt = app.UtcNow },
        });
        return await db.SaveChangesAsync();
    });

    private Task SeenByChef(string email) => app.Query(async db =>
    {
        var learner = await db.Learners.SingleAsync(l => l.Email == email);
        db.AuditEntries.Add(new AuditEntry
        {
            At = app.UtcNow, UserId = "chefens-id", UserName = "Kristina Berg", Action = AuditAction.ViewedPerson,
            Subject = $"Person: {learner.FirstName} {learner.LastName}", LearnerId = learner.Id,
        });
        return await db.SaveChangesAsync();
    });
}

/// <summary>"Mina uppgifter" in a real browser, on a phone and a desktop, checked with axe.</summary>
public sealed class PrivacyBrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public async Task Mina_uppgifter_passes_axe_and_fits_the_screen(int width)
    {
        var email = await app.NewLearner();
        await app.Assign(email, DemoSeeder.IntroductionCourse);
        await app.Complete(email, app.Catalog.FindLive("anhorigperspektiv-i-handlaggning")!, app.UtcNow);
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<StatementDelivery>().DeliverAsync();
        }

        var page = await app.NewPage(width);
        var check = new BrowserTests.PageCheck(page, width, javaScript: true);
        await page.GotoAsync("/logga-in");
        await page.GetByLabel("E-postadress").FillAsync(email);
        await page.GetByLabel("Lösenord").FillAsync(AppFixture.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in", Exact = true }).ClickAsync();
        await check.Page("Mina kurser", "Mina kurser");

        await page.GetByRole(AriaRole.Link, new() { Name = "Mina uppgifter" }).ClickAsync();
        await check.Page("Mina uppgifter", "Mina uppgifter");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(email);
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Ladda ner mina uppgifter (JSON)" }).ClickAsync());
        Assert.Equal($"mina-uppgifter-{app.Today:yyyy-MM-dd}.json", download.SuggestedFilename);
        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }
}
