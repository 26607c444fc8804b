using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.Learning;
using static Nanolearning.Web.Tests.Visitor;
using static Nanolearning.Web.Tests.WheelSetup;

namespace Nanolearning.Web.Tests;

/// <summary>A chef sees which questions her staff get wrong on the first try, without names, for her own units only.</summary>
public sealed class QuizInsightTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Questions_are_counted_by_first_answers_and_sorted_by_the_share_wrong()
    {
        var seeded = await QuizInsightSeed.SeedAsync(app, "Hemtjänst Norr kväll");
        var kristina = app.NewVisitor();
        await kristina.LogInAs("chef");

        var page = await kristina.Open($"/uppfoljning/enhet/{seeded.UnitId}/fragor/{DemoSeeder.IntroductionCourse}");

        var rows = page.QuerySelectorAll("table.quiz-insight tbody tr").Select(Cells).ToList();
        // Hand-computed from the seed: F1 5 of 6 wrong, Q1 3 of 6, Q2 1 of 5 (the leaver's and the Norr learner's
        // answers are not counted); then the rest of the final quiz, 0 of 6, in course order; then the questions with
        // too few answers in course order, Q3 (2 answers) first.
        var restOfQuiz = seeded.Quiz.Where(q => q != seeded.F1).ToList();
        Assert.Equal(
            [
                [Plain(seeded.F1.PromptHtml), "6", "5 (83\u00a0%)", Plain(Answers.Wrong(seeded.F1)[0].Value, seeded.F1)],
                [Plain(seeded.Q1.PromptHtml), "6", "3 (50\u00a0%)", Plain(Answers.Wrong(seeded.Q1)[0].Value, seeded.Q1)],
                [Plain(seeded.Q2.PromptHtml), "5", "1 (20\u00a0%)", "–"],
                .. restOfQuiz.Select(q => new[] { Plain(q.PromptHtml), "6", "0 (0\u00a0%)", "–" }),
                [Plain(seeded.Q3.PromptHtml), "2", "För få svar", "–"],
            ],
            rows.Take(4 + restOfQuiz.Count).Select(r => new[] { r[0], r[2], r[3], r[4] }));
        Assert.All(rows.Skip(4 + restOfQuiz.Count), r => Assert.Equal(("0", "För få svar"), (r[2], r[3])));
        Assert.Equal(app.Catalog.FindLive(DemoSeeder.IntroductionCourse)!.Lessons.Sum(l => l.Questions.Count(q => q.IsGradable)), rows.Count);
        Assert.All(page.QuerySelectorAll("table.quiz-insight tbody tr"), tr =>
            Assert.Equal($"/arshjul/apt/kurs/{DemoSeeder.IntroductionCourse}", tr.QuerySelector("a")!.GetAttribute("href")));
        var names = await app.Query(db => db.Learners.Where(l => l.UnitId == seeded.UnitId).Select(l => l.LastName).ToListAsync());
        Assert.All(names, name => Assert.DoesNotContain(name, Text(page), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_question_table_downloads_as_csv_and_xlsx_with_the_rows_on_the_page()
    {
        var seeded = await QuizInsightSeed.SeedAsync(app, "Hemtjänst Norr natt");
        var kristina = app.NewVisitor();
        await kristina.LogInAs("chef");
        var page = await kristina.Open($"/uppfoljning/enhet/{seeded.UnitId}/fragor/{DemoSeeder.IntroductionCourse}");
        var shown = page.QuerySelectorAll("table.quiz-insight tbody tr").Select(Cells).Select(r => r[..5]).ToList();

        var csv = await ReportReader.Download(kristina, page.QuerySelector("p.export a[href*='format=csv']")!.GetAttribute("href")!);
        var xlsx = await ReportReader.Download(kristina, page.QuerySelector("p.export a[href*='format=xlsx']")!.GetAttribute("href")!);

        Assert.Equal((HttpStatusCode.OK, "text/csv"), (csv.Status, csv.ContentType));
        var lines = ReportReader.Csv(csv.Content);
        Assert.Equal(["Fråga", "Lektion", "Svar", "Fel första gången", "Andel fel första gången", "Vanligaste felsvaret"], lines[0]);
        // The file splits the page's "5 (83 %)" into a count and a share; a question with too few answers has neither.
        Assert.Equal(
            shown,
            lines.Skip(1).Take(shown.Count).Select(f => (string[])[f[0], f[1], f[2], f[4] == "För få svar" ? f[4] : $"{f[3]} ({f[4].Replace("%", "\u00a0%", StringComparison.Ordinal)})", f[5]]));
        Assert.Contains([Plain(seeded.F1.PromptHtml), "6", "5", "83%"], lines.Select(f => f[..1].Concat(f[2..5]).ToArray()));
        Assert.Contains([Plain(seeded.Q3.PromptHtml), "2", "", "För få svar"], lines.Select(f => f[..1].Concat(f[2..5]).ToArray()));

        Assert.Equal(HttpStatusCode.OK, xlsx.Status);
        var sheet = ReportReader.Xlsx(xlsx.Content);
        var f1 = sheet.Single(r => r.Length > 0 && r[0] == Plain(seeded.F1.PromptHtml));
        Assert.Equal(["6", "5", "0.83"], f1[2..5]);
        Assert.Equal(shown.Count, sheet.Skip(1).TakeWhile(r => r.Length > 0).Count());
        var names = await app.Query(db => db.Learners.Where(l => l.UnitId == seeded.UnitId).Select(l => l.LastName).ToListAsync());
        Assert.All(names, name => Assert.DoesNotContain(name, System.Text.Encoding.UTF8.GetString(csv.Content), StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_export_of_another_chefs_unit_is_403_and_a_bad_format_is_400()
    {
        var seeded = await QuizInsightSeed.SeedAsync(app, "Hemtjänst Norr dag");
        var soder = await app.ChefOf(OtherUnit);
        var kristina = app.NewVisitor();
        await kristina.LogInAs("chef");
        var address = $"/uppfoljning/enhet/{seeded.UnitId}/fragor/{DemoSeeder.IntroductionCourse}?handler=Export";

        var refused = await soder.Open(address + "&format=csv", HttpStatusCode.Forbidden);
        var bad = await kristina.Open(address + "&format=pdf", HttpStatusCode.BadRequest);

        Assert.Contains("Det här är inte din enhet", Text(refused));
        Assert.Equal("Den filen finns inte", bad.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task Another_chefs_unit_is_refused_with_403()
    {
        var seeded = await QuizInsightSeed.SeedAsync(app, "Hemtjänst Norr helg");
        var soder = await app.ChefOf(OtherUnit);

        var page = await soder.Open($"/uppfoljning/enhet/{seeded.UnitId}/fragor/{DemoSeeder.IntroductionCourse}", HttpStatusCode.Forbidden);

        Assert.Contains("Det här är inte din enhet", Text(page));
    }

    [Theory]
    [InlineData("enhet/999999/fragor/" + DemoSeeder.IntroductionCourse, "Enheten finns inte")]
    [InlineData("enhet/{norr}/fragor/finns-inte", "Kursen finns inte")]
    public async Task An_unknown_unit_or_course_is_404_in_Swedish(string address, string message)
    {
        var kristina = app.NewVisitor();
        await kristina.LogInAs("chef");

        var page = await kristina.Open("/uppfoljning/" + address.Replace("{norr}", (await app.UnitId(KristinasUnit)).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), HttpStatusCode.NotFound);

        Assert.Contains(message, Text(page));
    }

    [Fact]
    public async Task The_units_wheel_links_each_campaign_to_its_courses_questions()
    {
        var norr = await app.UnitId(KristinasUnit);
        var kristina = app.NewVisitor();
        await kristina.LogInAs("chef");
        var opens = app.Today.AddDays(-1);
        await app.AddEntry(norr, "Kampanj med frågor", Features.AnnualWheel.AnnualWheelKind.CourseCampaign, opens, opens.AddDays(20), DemoSeeder.CaseOfficerCourse);

        var wheel = await kristina.Open($"/arshjul/{norr}");

        var row = wheel.QuerySelectorAll("table.entries tbody tr").Single(tr => tr.QuerySelector("th")!.TextContent.Contains("Kampanj med frågor", StringComparison.Ordinal));
        Assert.NotNull(row.QuerySelector($"a[href='/uppfoljning/enhet/{norr}/fragor/{DemoSeeder.CaseOfficerCourse}']"));
    }

    private static string[] Cells(IElement tr) => [.. tr.Children.Select(c => string.Join(' ', c.TextContent.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)))];

    private static string Plain(string html) =>
        string.Join(' ', new HtmlParser().ParseDocument("<body>" + html).Body!.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Plain(string optionId, Question question) => Plain(question.Options.Single(o => o.Id == optionId).Html);
}

/// <summary>
/// A hand-computed quiz fixture: a new sub-unit of Hemtjänst Norr with six learners who answer the introduction course,
/// a leaver there and a learner in Norr itself who answer too, each through the real <see cref="Enrolment"/> methods.
/// </summary>
public static class QuizInsightSeed
{
    /// <summary>The sub-unit, three check questions of ordinary lessons, and the final quiz's graded questions (F1 the first).</summary>
    public sealed record Seeded(int UnitId, Question Q1, Question Q2, Question Q3, IReadOnlyList<Question> Quiz)
    {
        public Question F1 => Quiz[0];
    }

    public static async Task<Seeded> SeedAsync(AppFixture app, string unitName)
    {
        var norr = await app.UnitId(KristinasUnit);
        var unit = await app.AddUnit(unitName, norr);
        var course = app.Catalog.FindLive(DemoSeeder.IntroductionCourse)!;
        var ordinary = course.Lessons.Where(l => !l.IsFinalQuiz)
            .SelectMany(l => l.Questions.Where(q => q.IsGradable).Select(q => (Lesson: l, Question: q))).ToList();
        var quiz = course.FinalQuiz!;
        var (q1, q2, q3) = (ordinary[0], ordinary[1], ordinary[2]);
        var graded = quiz.Questions.Where(q => q.IsGradable).ToList();
        var f1 = graded[0];

        var learners = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            learners.Add(await NewLearnerIn(app, unit));
        }

        var leaver = await NewLearnerIn(app, unit);
        var inNorr = await NewLearnerIn(app, norr);
        var at = app.UtcNow;
        var enrolments = new List<Enrolment>();
        for (var i = 0; i < 6; i++)
        {
            var e = Enrolment.Start(learners[i], course, at);
            // Q1: the first three wrong at first, then right; the others right at first, the fourth wrong afterwards.
            Answer(e, q1, right: i >= 3, at.AddMinutes(1));
            Answer(e, q1, right: i < 3, at.AddMinutes(2));
            // Q2: five answer, only the first wrong. Q3: two answer, both wrong.
            if (i < 5)
            {
                Answer(e, q2, right: i != 0, at.AddMinutes(3));
            }

            if (i < 2)
            {
                Answer(e, q3, right: false, at.AddMinutes(4));
            }

            // The final quiz: in the first attempt F1 wrong for all but the last, everything else right; then all right.
            e.SubmitFinalQuiz(course, quiz, Responses(quiz, wrong: i < 5 ? f1 : null), Guid.NewGuid(), at.AddMinutes(5));
            e.SubmitFinalQuiz(course, quiz, Responses(quiz, wrong: null), Guid.NewGuid(), at.AddMinutes(6));
            enrolments.Add(e);
        }

        // Outside the count: someone who has left, and someone in the unit above.
        foreach (var other in new[] { leaver, inNorr })
        {
            var e = Enrolment.Start(other, course, at);
            Answer(e, q2, right: false, at.AddMinutes(1));
            enrolments.Add(e);
        }

        await app.Query(db =>
        {
            db.Enrolments.AddRange(enrolments);
            return db.SaveChangesAsync();
        });
        await app.Query(db => db.Learners.Where(l => l.Id == leaver).ExecuteUpdateAsync(l => l.SetProperty(x => x.IsActive, false)));
        return new Seeded(unit, q1.Question, q2.Question, q3.Question, graded);
    }

    private static void Answer(Enrolment enrolment, (Lesson Lesson, Question Question) q, bool right, DateTime at) =>
        enrolment.RecordAnswer(q.Lesson, q.Question, Response(q.Question, right), Guid.NewGuid(), at);

    private static Dictionary<string, Response> Responses(Lesson quiz, Question? wrong) =>
        quiz.Questions.ToDictionary(q => q.Id, q => q.IsGradable ? Response(q, right: q != wrong) : new Response([], "Svar."));

    private static Response Response(Question question, bool right) =>
        new([.. (right ? Answers.Right(question) : Answers.Wrong(question)).Select(f => f.Value)], null);

    private static async Task<int> NewLearnerIn(AppFixture app, int unitId)
    {
        var id = await app.LearnerId(await app.NewLearner());
        await app.Query(db => db.Learners.Where(l => l.Id == id).ExecuteUpdateAsync(l => l.SetProperty(x => x.UnitId, unitId)));
        return id;
    }
}
