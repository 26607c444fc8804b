using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Infrastructure;
using Xunit.Abstractions;

namespace Nanolearning.Web.Tests;

/// <summary>The app with no background job writing on its own, so a changed database means a post changed it.</summary>
public sealed class HostileFixture : AppFixture
{
    public const string LrsUser = "lrs-klient";
    public const string LrsPassword = "ett hemligt LRS-lösenord";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Xapi:Delivery:Schedule"] = "",
        ["Xapi:Lrs:Username"] = LrsUser,
        ["Xapi:Lrs:Password"] = LrsPassword,
        // A learner's walk through a course posts hundreds of hostile answers in a minute; the limit has its own tests.
        ["RateLimits:Answers:PermitLimit"] = "100000",
        // Room to send a staff file over the limit without sending 20 MB.
        ["HrImport:MaxFileMegabytes"] = "1",
    };
}

/// <summary>
/// Hostile input on every form the app shows (issue 14). Nothing is listed by hand: each persona walks the links it
/// can reach from its start page, and every post form found there is sent without its antiforgery token, with
/// another visitor's token, with overlong fields and with fields of the wrong type. Each must be a clean answer
/// (never 5xx, never a stack trace) and the rejected ones must leave the database as it was.
/// </summary>
public sealed class HostileInputTests(HostileFixture app, ITestOutputHelper output) : IClassFixture<HostileFixture>
{
    private const string Token = "__RequestVerificationToken";
    private const int MaxPagesPerPersona = 60;
    private static readonly HtmlParser Parser = new();
    private static readonly string Overlong = new('x', 100_000);

    /// <summary>
    /// Tables the app writes on its own or when a page is only viewed: the audit trail (a chef opening person-level
    /// pages), the data-protection key ring, and the migration history.
    /// </summary>
    private static readonly HashSet<string> Unwatched = ["AuditEntries", "DataProtectionKeys", "__EFMigrationsHistory"];

    [Theory]
    [InlineData("")]
    [InlineData("nyanstalld")]
    [InlineData("medarbetare")]
    [InlineData("chef")]
    [InlineData("politiker")]
    [InlineData("admin")]
    public async Task Every_form_refuses_hostile_posts_cleanly_and_leaves_the_database_alone(string persona)
    {
        var visitor = await SignIn(persona);
        var forms = await FormsReachableBy(visitor, persona);
        var findings = new List<string>();
        var posts = 0;
        // A token the app really issued, but to someone else: an anonymous visitor on the login page.
        var foreignToken = (await app.NewVisitor().Open("/logga-in")).QuerySelector<IHtmlInputElement>($"input[name={Token}]")!.Value;

        foreach (var form in forms)
        {
            var fields = form.Fields.Where(f => f.Key != Token).ToList();
            posts++;
            await ExpectRefused(visitor, form, fields, "without token", findings);
            posts++;
            await ExpectRefused(visitor, form, [.. fields, KeyValuePair.Create(Token, foreignToken)], "with another visitor's token", findings);

            // A form with nothing to fill (sign out, "Gallra nu", "Räkna om nu") has no hostile variant that stays invalid.
            if (form.Fillable.Count == 0 && form.Hidden.Count == 0)
            {
                continue;
            }

            foreach (var (label, values) in Variants(form))
            {
                // Each variant on a fresh copy of the page, so its token is current and its session alive.
                visitor = await Alive(visitor, persona);
                var fresh = await FreshForm(visitor, form);
                if (fresh is null)
                {
                    continue;
                }

                var hostile = fresh.Fields.Select(f => values.TryGetValue(f.Key, out var v) ? KeyValuePair.Create(f.Key, v) : f).ToList();
                posts++;
                var before = Fingerprint();
                using var response = await visitor.Post(fresh.Action, hostile);
                var body = await response.Content.ReadAsStringAsync();
                var what = $"{persona} {fresh.Page} → POST {fresh.Action} {label}";
                CheckClean(what, response, body, findings);
                var changed = Changes(before, Fingerprint());
                // Rejected input must not have been written. A 200 is the page again with its error summary; a
                // redirect would mean the app accepted it, which the wrong-type and out-of-range ids never deserve.
                if (changed.Count > 0)
                {
                    findings.Add($"{what}: answered {(int)response.StatusCode} and changed {string.Join(", ", changed)}");
                }
            }
        }

        output.WriteLine($"{(persona == "" ? "anonymous" : persona)}: {forms.Count} forms on {forms.Select(f => f.Page).Distinct().Count()} pages, {posts} hostile posts");
        foreach (var form in forms)
        {
            output.WriteLine($"  {form.Page} → {form.Action} [{string.Join(", ", form.Fields.Select(f => f.Key).Where(k => k != Token))}]");
        }

        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    /// <summary>
    /// Other units' ids: the forms an admin reaches that carry ids in their address or fields (another unit's årshjul,
    /// its overdue list), posted by a chef with the chef's own valid token, to the admin's address and to the chef's
    /// own page of the same kind.
    /// </summary>
    [Fact]
    public async Task A_chef_posting_another_units_ids_is_refused_and_changes_nothing()
    {
        var admin = await SignIn("admin");
        var adminForms = await FormsReachableBy(admin, "admin");
        var chef = await SignIn("chef");
        var chefForms = await FormsReachableBy(chef, "chef");
        var findings = new List<string>();
        var posts = 0;
        foreach (var form in adminForms.Where(f => f.Action.Any(char.IsDigit) || f.Hidden.Any(h => int.TryParse(h.Value, out _))))
        {
            var own = chefForms.FirstOrDefault(f => Shape(f.Action) == Shape(form.Action));
            if (own?.Action == form.Action)
            {
                continue; // the same address for both: not another unit's
            }

            // The chef's own page only with ids in the fields: a form without any is the chef's own valid post there.
            var carriesIds = form.Hidden.Any(h => int.TryParse(h.Value, out _));
            foreach (var target in new[] { form.Action, carriesIds ? own?.Action : null }.OfType<string>())
            {
                chef = await Alive(chef, "chef");
                var token = (await FreshForm(chef, chefForms.First(f => f.Action.Contains("sammanfattning", StringComparison.Ordinal))))!
                    .Fields.Single(f => f.Key == Token);
                var fields = form.Fields.Where(f => f.Key != Token).Append(token).ToList();
                posts++;
                var before = Fingerprint();
                using var response = await chef.Post(target, fields);
                var body = await response.Content.ReadAsStringAsync();
                var what = $"chef → POST {target} with the fields of {form.Action}";
                CheckClean(what, response, body, findings);
                if (Changes(before, Fingerprint()) is { Count: > 0 } changed)
                {
                    findings.Add($"{what}: answered {(int)response.StatusCode} and changed {string.Join(", ", changed)}");
                }
            }
        }

        output.WriteLine($"{posts} posts of other units' ids");
        Assert.True(posts > 0, "The admin reached no form with ids: the check would prove nothing.");
        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    [Fact]
    public async Task A_digest_setting_that_is_neither_on_nor_off_is_refused_and_leaves_the_digest_as_it_was()
    {
        var chef = await SignIn("chef");
        var page = await chef.Open("/konto/sammanfattning");
        var before = Fingerprint();
        using var response = await chef.Submit(page, "main form", ("On", "kanske"), ("Day", "Monday"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Formuläret gick inte att läsa", Visitor.Text(await Visitor.Parse(response)));
        Assert.Empty(Changes(before, Fingerprint()));
    }

    [Fact]
    public async Task The_lrs_answers_hostile_requests_with_a_clean_4xx()
    {
        var client = app.CreateClient();
        var findings = new List<string>();
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{HostileFixture.LrsUser}:{HostileFixture.LrsPassword}")));
        var statement = """{"actor":{"mbox":"mailto:a@exempel.se"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"https://nanolearning.se/x"}}""";
        (string Label, HttpMethod Method, string Url, string? Body, bool Auth, string? Version)[] requests =
        [
            ("no credentials", HttpMethod.Post, "/xapi/statements", statement, false, "1.0.3"),
            ("no version", HttpMethod.Post, "/xapi/statements", statement, true, null),
            ("wrong version", HttpMethod.Post, "/xapi/statements", statement, true, "9.9"),
            ("overlong version", HttpMethod.Post, "/xapi/statements", statement, true, Overlong),
            ("actor as a number", HttpMethod.Post, "/xapi/statements", """{"actor":5,"verb":{"id":"x"},"object":{"id":"y"}}""", true, "1.0.3"),
            ("timestamp of wrong type", HttpMethod.Post, "/xapi/statements", statement.Replace("}}", "},\"timestamp\":[1,2]}"), true, "1.0.3"),
            ("not json", HttpMethod.Post, "/xapi/statements", "{{{", true, "1.0.3"),
            ("array of nulls", HttpMethod.Post, "/xapi/statements", "[null,null]", true, "1.0.3"),
            ("1 MB statement id", HttpMethod.Put, "/xapi/statements?statementId=" + new string('a', 1_000_000), statement, true, "1.0.3"),
            ("statement id not a guid", HttpMethod.Put, "/xapi/statements?statementId=abc", statement, true, "1.0.3"),
            ("get with a 1 MB statement id", HttpMethod.Get, "/xapi/statements?statementId=" + new string('a', 1_000_000), null, true, "1.0.3"),
            ("limit of wrong type", HttpMethod.Get, "/xapi/statements?limit=abc", null, true, "1.0.3"),
            ("since not a date", HttpMethod.Get, "/xapi/statements?since=2026-13-45", null, true, "1.0.3"),
            ("agent not json", HttpMethod.Get, "/xapi/statements?agent=%7B", null, true, "1.0.3"),
            ("state without agent", HttpMethod.Get, "/xapi/activities/state?activityId=x&stateId=y", null, true, "1.0.3"),
        ];
        foreach (var (label, method, url, body, auth, version) in requests)
        {
            var before = Fingerprint();
            using var request = new HttpRequestMessage(method, url);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            if (auth)
            {
                request.Headers.Authorization = basic;
            }

            if (version is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Experience-API-Version", version);
            }

            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var what = $"xAPI {label}";
            CheckClean(what, response, text, findings);
            if (!((int)response.StatusCode is >= 400 and < 500))
            {
                findings.Add($"{what}: answered {(int)response.StatusCode}, not a 4xx");
            }

            if (Changes(before, Fingerprint()) is { Count: > 0 } changed)
            {
                findings.Add($"{what}: changed {string.Join(", ", changed)}");
            }
        }

        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    /// <summary>
    /// The pages a learner reaches only by posting forms (issue 14): each later lesson after answering and pressing
    /// "Nästa", the final quiz, the course's /klar page and the /intyg certificate. Every form on the way gets the
    /// hostile posts, another learner (who has not started the course) posts them with their own token, each valid
    /// post is replayed and must change nothing more, and the pages are asked for with overlong and other people's ids.
    /// </summary>
    [Fact]
    public async Task A_learner_walking_a_course_meets_clean_refusals_on_every_form_on_the_way_and_replays_change_nothing()
    {
        var course = app.Catalog.Live.First(c => c.FinalQuiz is not null && c.Lessons.Any(l => !l.IsFinalQuiz && l.Questions.Any()));
        var email = await app.NewLearner();
        var learner = app.NewVisitor();
        await learner.LogIn(email);
        var other = app.NewVisitor();
        await other.LogIn(await app.NewLearner());
        var othersToken = TokenOn(await other.Open("/"));
        var findings = new List<string>();
        var posts = 0;

        await learner.StartCourse(course.Id);
        foreach (var lesson in course.Lessons)
        {
            var url = $"/kurs/{course.Id}/{lesson.Id}";
            posts += await Attack(learner, url, othersToken, findings);
            var page = await learner.Open(url);
            foreach (var form in PostForms(url, page))
            {
                posts++;
                await ExpectNoChange(other, form.Action, [.. form.Fields.Where(f => f.Key != Token), KeyValuePair.Create(Token, othersToken)],
                    $"another learner → POST {form.Action} with their own token", findings);
            }

            if (lesson.IsFinalQuiz)
            {
                var quiz = page.QuerySelector<IHtmlFormElement>("form[action*='handler=Quiz']")!;
                posts += await Replayed(learner, quiz.Action, Visitor.FieldsOf(quiz, Answers.Quiz(lesson, _ => true)), "the final quiz", findings);
            }
            else
            {
                foreach (var question in lesson.Questions)
                {
                    var answer = page.QuerySelector<IHtmlFormElement>($"form#fraga-{question.Id}")!;
                    posts += await Replayed(learner, answer.Action, Visitor.FieldsOf(answer, Answers.Right(question)), $"an answer to {question.Id}", findings);
                }
            }

            var next = (await learner.Open(url)).QuerySelector<IHtmlFormElement>("form[action*='handler=Next']")!;
            posts += await Replayed(learner, next.Action, Visitor.FieldsOf(next), $"Nästa on {lesson.Id}", findings);
        }

        var name = (await app.Query(db => db.Learners.SingleAsync(l => l.Email == email))).LastName;
        foreach (var url in new[] { $"/kurs/{course.Id}/klar", $"/kurs/{course.Id}/intyg" })
        {
            var shown = await learner.Open(url);
            Assert.True(!url.EndsWith("intyg", StringComparison.Ordinal) || shown.Body!.TextContent.Contains(name, StringComparison.Ordinal), "The walk did not end in a certificate.");
            posts += await Attack(learner, url, othersToken, findings);
            // Pages that only show: a post with a valid token is refused too.
            posts++;
            await ExpectNoChange(learner, url, [KeyValuePair.Create(Token, TokenOn(await learner.Open(url)))], $"POST {url}", findings, refused: true);
            // The other learner has not finished the course: no page of theirs, and never this learner's certificate.
            using var others = await other.Client.GetAsync(url);
            var body = await others.Content.ReadAsStringAsync();
            CheckClean($"another learner → GET {url}", others, body, findings);
            if (others.StatusCode != HttpStatusCode.NotFound || body.Contains(name, StringComparison.Ordinal))
            {
                findings.Add($"another learner → GET {url}: answered {(int)others.StatusCode}{(body.Contains(name, StringComparison.Ordinal) ? " with the learner's name" : "")}");
            }
        }

        var token = TokenOn(await learner.Open("/"));
        foreach (var url in new[] { $"/kurs/{Overlong}/klar", $"/kurs/{Overlong}/intyg", $"/kurs/{course.Id}/{Overlong}", $"/kurs/{course.Id}/{Overlong}?handler=Next", $"/kurs/{course.Id}/{course.Lessons[0].Id}?handler=Answer&questionId={Overlong}" })
        {
            using var get = await learner.Client.GetAsync(url);
            CheckClean($"GET {url[..40]}…", get, await get.Content.ReadAsStringAsync(), findings);
            posts++;
            await ExpectNoChange(learner, url, [KeyValuePair.Create(Token, token)], $"POST {url[..40]}…", findings, refused: true);
        }

        output.WriteLine($"{course.Id}: {course.Lessons.Length} lessons, {posts} hostile or replayed posts");
        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    /// <summary>
    /// The HR import's multipart upload (issue 14), which the link-following suite posts only as a plain form: without
    /// and with a foreign token, the file as a text field, empty, over the limit, overlong and not a staff file at
    /// all, and from a chef. A refused upload changes nothing; an upload of something that is not a usable staff file
    /// is held for its preview (the upload's own table, nothing else), and the preview refuses it.
    /// </summary>
    [Fact]
    public async Task The_hr_import_upload_refuses_hostile_multipart_posts_cleanly()
    {
        var admin = await SignIn("admin");
        var chef = await SignIn("chef");
        var foreignToken = TokenOn(await app.NewVisitor().Open("/logga-in"));
        var staff = Encoding.UTF8.GetBytes((await StaffFile.Current(app)).Csv());
        var overlongLine = Encoding.UTF8.GetBytes(StaffFile.Header + "\r\n" + string.Join(';', Enumerable.Repeat(Overlong[..20_000], 11)) + "\r\n");
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. RandomNumberGenerator.GetBytes(4000)];
        var findings = new List<string>();

        // (label, token, file parts as (field, file name, bytes; null bytes: a plain text field), extra fields, expected status; null: held)
        (string Label, Func<Task<string?>> Token, (string Field, string? Name, byte[] Bytes)[] Files, (string, string)[] Extra, HttpStatusCode? Refused)[] cases =
        [
            ("without token", () => Task.FromResult<string?>(null), [("file", "personal.csv", staff)], [], HttpStatusCode.BadRequest),
            ("with another visitor's token", () => Task.FromResult<string?>(foreignToken), [("file", "personal.csv", staff)], [], HttpStatusCode.BadRequest),
            ("with the file as a text field", () => AdminToken(admin), [("file", null, staff)], [], HttpStatusCode.UnprocessableEntity),
            ("with no file", () => AdminToken(admin), [], [("file", Overlong)], HttpStatusCode.UnprocessableEntity),
            ("with an empty file", () => AdminToken(admin), [("file", "personal.csv", [])], [], HttpStatusCode.UnprocessableEntity),
            ("with a file over the limit", () => AdminToken(admin), [("file", "personal.csv", new byte[(1 << 20) + 1])], [], HttpStatusCode.RequestEntityTooLarge),
            ("with a body far over the limit", () => AdminToken(admin), [("file", "personal.csv", new byte[3 << 20])], [], HttpStatusCode.RequestEntityTooLarge),
            // The file name is a header of its part, over the form reader's 16 kB limit: once a 500 from model binding.
            ("with a 100 000-character file name", () => AdminToken(admin), [("file", Overlong, staff)], [], HttpStatusCode.BadRequest),
            ("with overlong fields and values", () => AdminToken(admin), [("file", "personal.csv", overlongLine)], [("handler", Overlong), ("x", Overlong)], null),
            ("with a picture instead of the staff file", () => AdminToken(admin), [("file", "personal.png", png)], [], HttpStatusCode.UnprocessableEntity),
            ("with a path as the file name", () => AdminToken(admin), [("file", "../../../etc/passwd", overlongLine)], [], null),
            ("with two files", () => AdminToken(admin), [("file", "a.csv", png), ("file", "b.csv", overlongLine)], [], HttpStatusCode.UnprocessableEntity),
        ];
        foreach (var (label, token, files, extra, refused) in cases)
        {
            var before = Fingerprint();
            using var response = await Upload(admin, await token(), files, extra);
            var body = await response.Content.ReadAsStringAsync();
            var what = $"POST /admin/import {label}";
            CheckClean(what, response, body, findings);
            if ((int)response.StatusCode >= 500)
            {
                output.WriteLine($"{what}: {app.Errors.Latest}");
            }

            var changed = Changes(before, Fingerprint());
            if (refused is { } status)
            {
                if (response.StatusCode != status)
                {
                    findings.Add($"{what}: answered {(int)response.StatusCode}, not {(int)status}");
                }

                if (changed.Count > 0)
                {
                    findings.Add($"{what}: changed {string.Join(", ", changed)}");
                }

                continue;
            }

            // Held for the preview: only the upload's own row, and the preview says what is wrong.
            if (response.StatusCode != HttpStatusCode.Redirect || changed.Any(t => t != "PendingImports"))
            {
                findings.Add($"{what}: answered {(int)response.StatusCode} and changed {string.Join(", ", changed)}");
                continue;
            }

            var preview = response.Headers.Location!.OriginalString;
            using var shown = await admin.Client.GetAsync(preview);
            CheckClean($"{what} → GET preview", shown, await shown.Content.ReadAsStringAsync(), findings);
            if (shown.StatusCode != HttpStatusCode.UnprocessableEntity)
            {
                findings.Add($"{what} → GET preview: answered {(int)shown.StatusCode}, not 422");
            }

            var page = Parser.ParseDocument(await shown.Content.ReadAsStringAsync());
            foreach (var handler in new[] { "Confirm", "Cancel", "Cancel" })
            {
                var form = page.QuerySelector<IHtmlFormElement>($"form[action*='handler={handler}']");
                if (form is null)
                {
                    continue;
                }

                // Confirming what the preview refused imports nothing; cancelling twice is as cancelling once.
                using var answer = await admin.Post(form.Action, Visitor.FieldsOf(form));
                CheckClean($"{what} → {handler}", answer, await answer.Content.ReadAsStringAsync(), findings);
                if (Changes(before, Fingerprint()).Any(t => t != "PendingImports"))
                {
                    findings.Add($"{what} → {handler}: changed {string.Join(", ", Changes(before, Fingerprint()))}");
                }
            }
        }

        // A chef's own valid token does not open the upload; unknown and malformed uploads are not found. (Cancelling
        // an unknown upload is as cancelling one twice: back to the upload page, nothing changed, checked above.)
        var chefToken = TokenOn(await chef.Open("/"));
        foreach (var (who, visitor, url, files) in new[]
        {
            ("chef", chef, "/admin/import", new[] { ("file", (string?)"personal.csv", staff) }),
            ("admin", admin, $"/admin/import/{Guid.NewGuid()}?handler=Confirm", []),
            ("admin", admin, "/admin/import/inte-ett-id?handler=Confirm", []),
        })
        {
            var before = Fingerprint();
            using var response = await Upload(visitor, who == "chef" ? chefToken : await AdminToken(admin), files, [], url);
            var what = $"{who} → POST {url}";
            CheckClean(what, response, await response.Content.ReadAsStringAsync(), findings);
            var status = (int)response.StatusCode;
            var refusedCleanly = who == "chef"
                ? response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/fel/403", StringComparison.Ordinal)
                : status is >= 400 and < 500;
            if (!refusedCleanly || Changes(before, Fingerprint()) is { Count: > 0 })
            {
                findings.Add($"{what}: answered {status} and changed {string.Join(", ", Changes(before, Fingerprint()))}");
            }
        }

        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    private static async Task<HttpResponseMessage> Upload(Visitor visitor, string? token, (string Field, string? Name, byte[] Bytes)[] files, (string Name, string Value)[] extra, string url = "/admin/import")
    {
        using var content = new MultipartFormDataContent();
        if (token is not null)
        {
            content.Add(new StringContent(token), Token);
        }

        foreach (var (name, value) in extra)
        {
            content.Add(new StringContent(value), name);
        }

        foreach (var (field, name, bytes) in files)
        {
            if (name is null)
            {
                content.Add(new StringContent(Encoding.UTF8.GetString(bytes)), field);
                continue;
            }

            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new("text/csv");
            content.Add(file, field, name);
        }

        return await visitor.Client.PostAsync(url, content);
    }

    private static async Task<string?> AdminToken(Visitor admin) => TokenOn(await admin.Open("/admin/import"));

    private static string TokenOn(IDocument page) => page.QuerySelector<IHtmlInputElement>($"input[name={Token}]")!.Value;

    private static List<Form> PostForms(string url, IDocument page) =>
        [.. page.QuerySelectorAll<IHtmlFormElement>("form")
            .Where(f => string.Equals(f.Method, "post", StringComparison.OrdinalIgnoreCase))
            .Select(f => Read(url, f))
            .Where(f => !f.Action.StartsWith("/logga-ut", StringComparison.Ordinal))
            .DistinctBy(f => f.Key)];

    /// <summary>The suite's hostile posts on every form of one page: without token, with a foreign token, and each variant.</summary>
    private async Task<int> Attack(Visitor visitor, string url, string foreignToken, List<string> findings)
    {
        var posts = 0;
        foreach (var form in PostForms(url, await visitor.Open(url)))
        {
            var fields = form.Fields.Where(f => f.Key != Token).ToList();
            posts += 2;
            await ExpectRefused(visitor, form, fields, "without token", findings);
            await ExpectRefused(visitor, form, [.. fields, KeyValuePair.Create(Token, foreignToken)], "with another visitor's token", findings);
            if (form.Fillable.Count == 0 && form.Hidden.Count == 0)
            {
                continue;
            }

            foreach (var (label, values) in Variants(form))
            {
                if (await FreshForm(visitor, form) is not { } fresh)
                {
                    continue;
                }

                posts++;
                await ExpectNoChange(visitor, fresh.Action, [.. fresh.Fields.Select(f => values.TryGetValue(f.Key, out var v) ? KeyValuePair.Create(f.Key, v) : f)],
                    $"{url} → POST {fresh.Action} {label}", findings);
            }
        }

        return posts;
    }

    /// <summary>A post that must leave the database alone; <paramref name="refused"/>: and be answered with a 4xx.</summary>
    private async Task ExpectNoChange(Visitor visitor, string url, List<KeyValuePair<string, string>> fields, string what, List<string> findings, bool refused = false)
    {
        var before = Fingerprint();
        using var response = await visitor.Post(url, fields);
        CheckClean(what, response, await response.Content.ReadAsStringAsync(), findings);
        if (refused && (int)response.StatusCode is < 400 or >= 500)
        {
            findings.Add($"{what}: answered {(int)response.StatusCode}, not a 4xx");
        }

        if (Changes(before, Fingerprint()) is { Count: > 0 } changed)
        {
            findings.Add($"{what}: answered {(int)response.StatusCode} and changed {string.Join(", ", changed)}");
        }
    }

    /// <summary>A valid post, then the very same post again (a double click, a resent form): the second changes nothing.</summary>
    private async Task<int> Replayed(Visitor visitor, string url, List<KeyValuePair<string, string>> fields, string what, List<string> findings)
    {
        using (var first = await visitor.Post(url, fields))
        {
            if (first.StatusCode != HttpStatusCode.Redirect)
            {
                findings.Add($"{what}: the valid post answered {(int)first.StatusCode}, not a redirect");
            }
        }

        var before = Fingerprint();
        using var again = await visitor.Post(url, fields);
        CheckClean($"{what} replayed", again, await again.Content.ReadAsStringAsync(), findings);
        if ((int)again.StatusCode >= 400)
        {
            findings.Add($"{what} replayed: answered {(int)again.StatusCode}");
        }

        if (Changes(before, Fingerprint()) is { Count: > 0 } changed)
        {
            findings.Add($"{what} replayed: changed {string.Join(", ", changed)}");
        }

        return 2;
    }

    private async Task ExpectRefused(Visitor visitor, Form form, List<KeyValuePair<string, string>> fields, string label, List<string> findings)
    {
        var before = Fingerprint();
        using var response = await visitor.Post(form.Action, fields);
        var body = await response.Content.ReadAsStringAsync();
        var what = $"{form.Page} → POST {form.Action} {label}";
        CheckClean(what, response, body, findings);
        if (response.StatusCode != HttpStatusCode.BadRequest)
        {
            findings.Add($"{what}: answered {(int)response.StatusCode}, not 400");
        }

        if (Changes(before, Fingerprint()) is { Count: > 0 } changed)
        {
            findings.Add($"{what}: changed {string.Join(", ", changed)}");
        }
    }

    private static void CheckClean(string what, HttpResponseMessage response, string body, List<string> findings)
    {
        if ((int)response.StatusCode >= 500)
        {
            findings.Add($"{what}: answered {(int)response.StatusCode}");
        }

        foreach (var trace in new[] { "   at ", "Exception", "System." })
        {
            if (body.Contains(trace, StringComparison.Ordinal))
            {
                findings.Add($"{what}: the body shows \"{trace.Trim()}\"");
            }
        }
    }

    /// <summary>The hostile values for one form: every field overlong, then each kind of wrong type.</summary>
    private static IEnumerable<(string Label, Dictionary<string, string> Values)> Variants(Form form)
    {
        var all = form.Fillable.Concat(form.Hidden).DistinctBy(f => f.Name).ToList();
        yield return ("with every field 100 000 characters", all.ToDictionary(f => f.Name, _ => Overlong));
        // No browser sends a NUL from a form, and PostgreSQL cannot store one in text.
        yield return ("with NUL characters", all.ToDictionary(f => f.Name, f => f.Value + "\0"));
        yield return ("with wrong types", all.ToDictionary(f => f.Name, f => f.Type switch
        {
            "number" or "range" => "abc",
            "date" or "month" or "week" or "datetime-local" or "time" => "2026-13-45",
            "email" => "inte en adress",
            "checkbox" or "radio" => "kanske",
            _ when int.TryParse(f.Value, out _) => "abc",
            _ => f.Value,
        }));
        foreach (var id in new[] { "-1", "999999999" })
        {
            var ids = all.Where(f => int.TryParse(f.Value, out _) || f.Type is "number" || f.Tag == "select").ToDictionary(f => f.Name, _ => id);
            if (ids.Count > 0)
            {
                yield return ($"with ids {id}", ids);
            }
        }
    }

    private async Task<Visitor> SignIn(string persona)
    {
        var visitor = app.NewVisitor();
        if (persona != "")
        {
            await visitor.LogInAs(persona);
        }

        return visitor;
    }

    /// <summary>The visitor if still signed in, else a fresh one for the same persona (a post may end a session).</summary>
    private async Task<Visitor> Alive(Visitor visitor, string persona)
    {
        if (persona == "")
        {
            return visitor;
        }

        using var response = await visitor.Client.GetAsync("/");
        return response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("logga-in", StringComparison.Ordinal)
            ? await SignIn(persona)
            : visitor;
    }

    /// <summary>Every post form on the pages the visitor reaches by following links from its start page.</summary>
    private async Task<List<Form>> FormsReachableBy(Visitor visitor, string persona)
    {
        var queue = new Queue<string>([persona == "" ? "/logga-in" : "/"]);
        var seen = new HashSet<string>(queue);
        var shapes = new Dictionary<string, int>();
        var forms = new Dictionary<string, Form>();
        var pages = 0;
        while (queue.Count > 0 && pages < MaxPagesPerPersona)
        {
            var url = queue.Dequeue();
            using var response = await visitor.Client.GetAsync(url);
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html")
            {
                continue;
            }

            pages++;
            var page = Parser.ParseDocument(await response.Content.ReadAsStringAsync());
            foreach (var form in page.QuerySelectorAll<IHtmlFormElement>("form").Where(f => string.Equals(f.Method, "post", StringComparison.OrdinalIgnoreCase)))
            {
                var found = Read(url, form);
                forms.TryAdd(found.Key, found);
            }

            foreach (var href in page.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!))
            {
                var path = href.Split('#')[0];
                if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal) || !seen.Add(path) || Skipped(path))
                {
                    continue;
                }

                // Many pages of one kind (a lesson, a person) show the same forms: a few of each shape suffice.
                var shape = Shape(path);
                shapes[shape] = shapes.GetValueOrDefault(shape) + 1;
                if (shapes[shape] <= 2)
                {
                    queue.Enqueue(path);
                }
            }
        }

        return [.. forms.Values];
    }

    private static bool Skipped(string path) =>
        path.StartsWith("/logga-ut", StringComparison.Ordinal)
        || path.StartsWith(BackgroundJobs.DashboardPath, StringComparison.Ordinal)
        || path.StartsWith("/xapi", StringComparison.Ordinal)
        || Path.HasExtension(path.Split('?')[0]);

    /// <summary>A path with its ids and query values blanked: pages of one kind share it.</summary>
    private static string Shape(string path) =>
        string.Join('/', path.Split('?')[0].Split('/').Select(s => s.Any(char.IsDigit) ? "#" : s))
        + (path.Contains('?') ? "?" + string.Join('&', path.Split('?')[1].Split('&').Select(p => p.Split('=')[0])) : "");

    private async Task<Form?> FreshForm(Visitor visitor, Form form)
    {
        using var response = await visitor.Client.GetAsync(form.Page);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        var page = Parser.ParseDocument(await response.Content.ReadAsStringAsync());
        return page.QuerySelectorAll<IHtmlFormElement>("form")
            .Where(f => string.Equals(f.Method, "post", StringComparison.OrdinalIgnoreCase))
            .Select(f => Read(form.Page, f))
            .FirstOrDefault(f => f.Key == form.Key);
    }

    private static Form Read(string pageUrl, IHtmlFormElement form)
    {
        var action = form.GetAttribute("action") is { Length: > 0 } a ? a : pageUrl;
        var inputs = form.QuerySelectorAll("input[name], select[name], textarea[name]")
            .Select(e => new Field(
                e.GetAttribute("name")!,
                e.LocalName,
                e.LocalName == "input" ? (e.GetAttribute("type") ?? "text").ToLowerInvariant() : e.LocalName,
                e switch
                {
                    IHtmlSelectElement s => s.Options.FirstOrDefault(o => o.IsSelected)?.Value ?? s.Options.FirstOrDefault()?.Value ?? "",
                    IHtmlTextAreaElement t => t.Value,
                    _ => e.GetAttribute("value") ?? "",
                }))
            .Where(f => f.Type is not ("submit" or "button" or "file" or "reset" or "image"))
            .ToList();
        var fields = inputs
            .Where(f => f.Type is not ("checkbox" or "radio") || form.QuerySelector($"[name='{f.Name}'][value='{f.Value}']") is IHtmlInputElement { IsChecked: true })
            .Select(f => KeyValuePair.Create(f.Name, f.Value))
            .ToList();
        // A submit button's own name and value choose the handler on some forms; the first one is what Enter sends.
        if (form.QuerySelector("button[name], input[type=submit][name]") is { } button)
        {
            fields.Add(KeyValuePair.Create(button.GetAttribute("name")!, button.GetAttribute("value") ?? ""));
        }

        var names = string.Join(",", inputs.Select(f => f.Name).Distinct().Order());
        return new Form(
            Key: $"{Shape(action)} [{names}]",
            Page: pageUrl,
            Action: action,
            Fields: fields,
            Fillable: [.. inputs.Where(f => f.Type != "hidden" && f.Name != Token).DistinctBy(f => f.Name)],
            Hidden: [.. inputs.Where(f => f.Type == "hidden" && f.Name != Token && f.Name != "returnUrl").DistinctBy(f => f.Name)]);
    }

    /// <summary>Each watched table's row count and a hash of its contents, read from the app's database.</summary>
    private Dictionary<string, string> Fingerprint()
    {
        using var connection = app.OpenDatabase();
        var tables = AppFixture.Tables(connection);

        var result = new Dictionary<string, string>();
        foreach (var table in tables.Where(t => !Unwatched.Contains(t)))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = command.ExecuteReader();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var rows = 0;
            while (reader.Read())
            {
                rows++;
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    hash.AppendData(Encoding.UTF8.GetBytes((reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)) + "\u001f"));
                }
            }

            result[table] = $"{rows}:{Convert.ToHexString(hash.GetHashAndReset())}";
        }

        return result;
    }

    private static List<string> Changes(Dictionary<string, string> before, Dictionary<string, string> after) =>
        [.. after.Where(t => before.GetValueOrDefault(t.Key) != t.Value).Select(t => t.Key)];

    private sealed record Field(string Name, string Tag, string Type, string Value);

    private sealed record Form(string Key, string Page, string Action, List<KeyValuePair<string, string>> Fields, List<Field> Fillable, List<Field> Hidden);
}
