using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.AnnualWheel;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Infrastructure;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>Reminders from scan to e-mail (the pickup folder), notices on "Mina kurser", digests and repetition questions.</summary>
public sealed partial class ReminderTests(ReminderFixture app) : IClassFixture<ReminderFixture>
{
    private const string Intro = "anhorigperspektiv-introduktion";
    private const string Handling = "anhorigperspektiv-i-handlaggning";
    private const string Leading = "leda-med-anhorigperspektiv";

    private string Title(string courseId) => app.Catalog.FindLive(courseId)!.Title;

    [Fact]
    public async Task A_course_assigned_today_comes_in_one_email_with_a_direct_link_and_scanning_again_adds_nothing()
    {
        app.SwedishTime(new DateTime(2027, 3, 1, 10, 0, 0));
        var email = await app.NewLearner();
        await app.Assign(email, Intro, app.Today, app.Today.AddDays(30));

        await app.Scan();
        await app.Scan();
        await app.Dispatch();
        await app.Dispatch();

        var reminder = Assert.Single(await app.RemindersOf(email));
        Assert.Equal((ReminderKind.Assigned, app.Today), (reminder.Kind, reminder.Date));
        var mail = Assert.Single(await app.MailsTo(email));
        Assert.Equal(ReminderMailState.Sent, mail.State);
        var message = Assert.Single(await app.PickedUpFor(email));
        Assert.Equal($"Du har fått kursen {Title(Intro)}", message.Subject);
        Assert.StartsWith("Hej Test!", message.TextBody);
        Assert.Contains($"ska vara klar {Format.Date(app.Today.AddDays(30))}", message.TextBody);
        Assert.Contains($"Börja kursen: http://localhost:5080/kurs/{Intro}", message.TextBody);
        var link = Assert.Single(new HtmlParser().ParseDocument(message.HtmlBody!).QuerySelectorAll("a[href]"), a => a.GetAttribute("href") == $"http://localhost:5080/kurs/{Intro}");
        Assert.Equal("Börja kursen", link.TextContent);
        Assert.StartsWith($"paminnelse-{mail.Id}@localhost", message.MessageId);
    }

    [Fact]
    public async Task A_reminder_another_scan_wrote_meanwhile_is_skipped_not_refused()
    {
        app.SwedishTime(new DateTime(2027, 3, 8, 10, 0, 0));
        var email = await app.NewLearner();
        await app.Assign(email, Intro, app.Today, app.Today.AddDays(30));
        await app.Scan();
        var written = Assert.Single(await app.RemindersOf(email));

        // What a second instance's scan does when it read before this one wrote: the same row again, as the scan
        // writes it. It only conflicts if the values are stored exactly as EF stored them (kind as text, the date).
        var added = await app.In<AppDbContext, int>(async db =>
        {
            await using var transaction = await db.BeginWriteTransactionAsync(default);
            await using var insert = new PreparedInsert(db, typeof(Reminder),
                [nameof(Reminder.LearnerId), nameof(Reminder.Kind), nameof(Reminder.Reason), nameof(Reminder.Date), nameof(Reminder.CreatedAt)],
                skipConflicts: true);
            var count = await insert.RunAsync(default, written.LearnerId, written.Kind, written.Reason, written.Date, app.UtcNow);
            await transaction.CommitAsync(default);
            return count;
        });

        Assert.Equal(0, added);
        Assert.Single(await app.RemindersOf(email));
    }

    [Fact]
    public async Task The_link_goes_to_the_lesson_the_learner_is_on()
    {
        app.SwedishTime(new DateTime(2027, 3, 2, 9, 0, 0));
        var email = await app.NewLearner();
        await app.Assign(email, Intro, app.Today, app.Today.AddDays(7));
        var course = app.Catalog.FindLive(Intro)!;
        var learnerId = await app.LearnerId(email);
        await app.Query(db =>
        {
            var enrolment = Enrolment.Start(learnerId, course, app.UtcNow);
            enrolment.CompleteLesson(course, course.Lessons[0], app.UtcNow);
            db.Enrolments.Add(enrolment);
            return db.SaveChangesAsync();
        });

        await app.Scan();
        await app.Dispatch();

        var message = Assert.Single(await app.PickedUpFor(email));
        Assert.Contains($"Fortsätt där du slutade: http://localhost:5080/kurs/{Intro}/{course.Lessons[1].Id}", message.TextBody);
    }

    [Fact]
    public async Task Reminders_of_one_day_come_in_one_email_and_one_found_later_that_day_waits_for_the_next()
    {
        app.SwedishTime(new DateTime(2027, 3, 2, 10, 0, 0));
        var email = await app.NewLearner();
        await app.Assign(email, Intro, app.Today, app.Today.AddDays(30));
        await app.Assign(email, Handling, app.Today, app.Today.AddDays(20));
        await app.Scan();
        await app.Dispatch();

        var first = Assert.Single(await app.PickedUpFor(email));
        Assert.Contains("(och 1 till)", first.Subject);
        Assert.Contains(Title(Intro), first.TextBody);
        Assert.Contains(Title(Handling), first.TextBody);

        await app.Assign(email, Leading, app.Today, app.Today.AddDays(10));
        await app.Scan();
        await app.Dispatch();
        Assert.Single(await app.PickedUpFor(email));

        app.SwedishTime(new DateTime(2027, 3, 3, 10, 0, 0));
        await app.Scan();
        await app.Dispatch();
        var messages = await app.PickedUpFor(email);
        Assert.Equal(2, messages.Count);
        Assert.Contains(Title(Leading), messages[1].TextBody);
        Assert.DoesNotContain(Title(Intro), messages[1].TextBody);
    }

    [Fact]
    public async Task Nobody_is_reminded_of_a_course_they_have_finished()
    {
        app.SwedishTime(new DateTime(2027, 3, 4, 10, 0, 0));
        var course = app.Catalog.FindLive(Intro)!;
        var finishedFirst = await app.NewLearner();
        await app.Assign(finishedFirst, Intro, app.Today, app.Today.AddDays(30));
        await app.Complete(finishedFirst, course, app.UtcNow);
        var finishedBeforeTheMail = await app.NewLearner();
        await app.Assign(finishedBeforeTheMail, Intro, app.Today, app.Today.AddDays(30));

        await app.Scan();
        await app.Complete(finishedBeforeTheMail, course, app.UtcNow);
        await app.Dispatch();

        Assert.Empty(await app.RemindersOf(finishedFirst));
        Assert.Equal(ReminderMailState.Dropped, Assert.Single(await app.MailsTo(finishedBeforeTheMail)).State);
        Assert.Empty(await app.PickedUpFor(finishedBeforeTheMail));
    }

    [Fact]
    public async Task Reminders_due_at_night_or_at_the_weekend_wait_for_the_next_weekday_morning()
    {
        app.SwedishTime(new DateTime(2027, 3, 5, 20, 0, 0)); // a Friday evening
        var email = await app.NewLearner();
        await app.Assign(email, Intro, app.Today, app.Today.AddDays(30));
        await app.Scan();

        foreach (var quiet in new[] { new DateTime(2027, 3, 5, 20, 0, 0), new DateTime(2027, 3, 6, 10, 0, 0), new DateTime(2027, 3, 8, 7, 59, 0) })
        {
            app.SwedishTime(quiet);
            await app.Dispatch();
            Assert.Empty(await app.MailsTo(email));
        }

        app.SwedishTime(new DateTime(2027, 3, 8, 8, 0, 0));
        await app.Dispatch();
        Assert.Equal(ReminderMailState.Sent, Assert.Single(await app.MailsTo(email)).State);
        Assert.Single(await app.PickedUpFor(email));
    }

    [Fact]
    public async Task Reminders_due_over_easter_wait_until_the_tuesday_after()
    {
        app.SwedishTime(new DateTime(2027, 3, 25, 20, 0, 0)); // skärtorsdag evening
        var email = await app.NewLearner();
        await app.Assign(email, Intro, app.Today, app.Today.AddDays(30));
        await app.Scan();

        foreach (var holiday in new[] { new DateTime(2027, 3, 26, 10, 0, 0), new DateTime(2027, 3, 29, 10, 0, 0) })
        {
            app.SwedishTime(holiday);
            await app.Dispatch();
            Assert.Empty(await app.MailsTo(email));
        }

        app.SwedishTime(new DateTime(2027, 3, 30, 8, 0, 0));
        await app.Dispatch();
        Assert.Equal(ReminderMailState.Sent, Assert.Single(await app.MailsTo(email)).State);
    }

    [Fact]
    public async Task A_mail_still_queued_when_quiet_hours_begin_waits_for_the_morning()
    {
        app.SwedishTime(new DateTime(2027, 3, 10, 16, 59, 0));
        var email = await app.NewLearner();
        await app.Assign(email, Intro, app.Today, app.Today.AddDays(30));
        await app.Scan();
        await app.In<ReminderDispatch, int>(dispatch => dispatch.BundleAsync(app.Today, app.UtcNow));
        var mail = Assert.Single(await app.MailsTo(email));

        app.SwedishTime(new DateTime(2027, 3, 10, 17, 0, 0));
        var evening = await app.In<ReminderSender, SendResult>(sender => sender.SendAsync([mail.Id]));
        Assert.Equal(new SendResult(0, 0, 0), evening);
        var waiting = Assert.Single(await app.MailsTo(email));
        Assert.Equal((ReminderMailState.Pending, 0), (waiting.State, waiting.Attempts));

        app.SwedishTime(new DateTime(2027, 3, 11, 8, 0, 0));
        await app.Dispatch();
        Assert.Equal(ReminderMailState.Sent, Assert.Single(await app.MailsTo(email)).State);
        Assert.Single(await app.PickedUpFor(email));
    }

    [Fact]
    public async Task An_entrys_own_plan_decides_the_days_and_overdue_reminders_stop_after_its_last_week()
    {
        app.SwedishTime(new DateTime(2027, 4, 5, 10, 0, 0));
        var email = await app.NewLearner();
        var learnerId = await app.LearnerId(email);
        var opens = app.Today;
        var due = opens.AddDays(13);
        await app.Query(async db =>
        {
            var unitId = await db.Learners.Where(l => l.Id == learnerId).Select(l => l.UnitId).SingleAsync();
            var entry = new AnnualWheelEntry
            {
                UnitId = unitId, Kind = AnnualWheelKind.CourseCampaign, Title = "Vårens kampanj", StartsOn = opens, EndsOn = due,
                CourseId = Handling, RemindOnOpening = false, RemindDaysBeforeDue = 3, RemindOnDueDate = false, RemindWeeksOverdue = 1,
            };
            db.AnnualWheelEntries.Add(entry);
            await db.SaveChangesAsync();
            db.Assignments.Add(new Assignment
            {
                LearnerId = learnerId, CourseId = Handling, OpensOn = opens, DueOn = due, EntryId = entry.Id,
                AssignedAt = app.UtcNow, Origin = "test",
            });
            return await db.SaveChangesAsync();
        });

        for (var day = opens; day <= due.AddDays(28); day = day.AddDays(1))
        {
            app.SwedishTime(day.ToDateTime(new TimeOnly(10, 0)));
            await app.Scan();
        }

        var reminders = await app.RemindersOf(email);
        Assert.Equal([(ReminderKind.DueSoon, due.AddDays(-3)), (ReminderKind.Overdue, due.AddDays(7))], reminders.Select(r => (r.Kind, r.Date)));
    }

    [Fact]
    public async Task A_chef_gets_a_digest_of_overdue_employees_on_their_day_and_can_leave_it_from_the_email()
    {
        app.SwedishTime(new DateTime(2027, 3, 3, 10, 0, 0)); // a Wednesday
        var chef = await app.NewLearner("chef");
        var employee = await app.NewLearner();
        var chefId = await app.LearnerId(chef);
        var employeeId = await app.LearnerId(employee);
        var employeeName = await app.Query(async db =>
        {
            var unit = new Unit { Name = "Dagverksamheten " + chefId, Kind = UnitKind.Unit, ParentId = await db.Units.Where(u => u.ParentId == null).Select(u => u.Id).FirstAsync(), ManagerId = chefId };
            db.Units.Add(unit);
            await db.SaveChangesAsync();
            var learner = await db.Learners.SingleAsync(l => l.Id == employeeId);
            learner.UnitId = unit.Id;
            (await db.Learners.SingleAsync(l => l.Id == chefId)).DigestDay = DayOfWeek.Wednesday;
            await db.SaveChangesAsync();
            return learner.FullName;
        });
        await app.Assign(employee, Intro, app.Today.AddDays(-40), app.Today.AddDays(-2));

        await app.Scan();
        await app.Dispatch();

        var digest = Assert.Single(await app.PickedUpFor(chef));
        Assert.Equal("Veckosammanfattning: 1 medarbetare har kurser kvar", digest.Subject);
        Assert.Contains($"{employeeName}, Dagverksamheten {chefId}: {Title(Intro)}, skulle vara klar {Format.Date(app.Today.AddDays(-2))}", digest.TextBody);
        var unsubscribe = UnsubscribeLink().Match(digest.TextBody!).Groups[1].Value;
        Assert.Equal($"<http://localhost:5080{unsubscribe}>", digest.Headers["List-Unsubscribe"]);

        var stranger = app.NewVisitor();
        var question = await stranger.Open(unsubscribe);
        Assert.Contains("vill du sluta få veckosammanfattningen", Text(question));
        using (var done = await stranger.Submit(question, "main form"))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
            Assert.Contains("du får inte längre veckosammanfattningen", await done.Content.ReadAsStringAsync());
        }

        Assert.True(await app.Query(db => db.Learners.Where(l => l.Id == chefId).Select(l => l.DigestOff).SingleAsync()));
        app.SwedishTime(new DateTime(2027, 3, 10, 10, 0, 0));
        await app.Scan();
        Assert.Single(await app.RemindersOf(chef), r => r.Kind == ReminderKind.Digest);
        await stranger.Open(unsubscribe.Replace("t=", "t=x", StringComparison.Ordinal), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_chef_chooses_the_digest_day_in_their_settings()
    {
        app.SwedishTime(new DateTime(2027, 3, 1, 10, 0, 0));
        var chef = await app.NewLearner("chef");
        var visitor = app.NewVisitor();
        await visitor.LogIn(chef);
        var settings = await visitor.Open("/konto/sammanfattning");

        using (var bad = await visitor.Submit(settings, "main form", ("Day", "Sunday")))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        }

        // A browser sends the checked box's "true" before the hidden "false"; the first wins.
        using (var saved = await visitor.Submit(settings, "main form", ("On", "true"), ("Day", "Thursday")))
        {
            Assert.Contains("Du får sammanfattningen på torsdagar.", Text(await Parse(saved)));
        }

        var digest = await app.Query(db => db.Learners.Where(l => l.Email == chef).Select(l => new { l.DigestDay, l.DigestOff }).SingleAsync());
        Assert.Equal((DayOfWeek.Thursday, false), (digest.DigestDay, digest.DigestOff));

        using (var off = await visitor.Submit(settings, "main form", ("Day", "Thursday")))
        {
            Assert.Contains("Du får ingen sammanfattning.", Text(await Parse(off)));
        }

        Assert.True(await app.Query(db => db.Learners.Where(l => l.Email == chef).Select(l => l.DigestOff).SingleAsync()));
    }

    [Fact]
    public async Task Mina_kurser_shows_the_latest_reminder_which_the_learner_can_hide_but_not_someone_elses()
    {
        app.SwedishTime(new DateTime(2027, 3, 9, 10, 0, 0));
        var email = await app.NewLearner();
        var other = await app.NewLearner();
        await app.Assign(email, Intro, app.Today, app.Today.AddDays(5));
        await app.Assign(other, Intro, app.Today, app.Today.AddDays(5));
        await app.Scan();

        var visitor = app.NewVisitor();
        await visitor.LogIn(email);
        var home = await visitor.Open("/");
        var notice = Assert.Single(home.QuerySelectorAll(".notices .notice"));
        Assert.Contains($"Du har fått kursen {Title(Intro)}", notice.TextContent);
        Assert.Equal($"/kurs/{Intro}", notice.QuerySelector("a")!.GetAttribute("href"));

        var othersReminder = Assert.Single(await app.RemindersOf(other)).Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using (var refused = await visitor.Submit(home, ".notices form", ("reminder", othersReminder)))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        var after = await visitor.SubmitAndFollow(home, ".notices form");
        Assert.Empty(after.QuerySelectorAll(".notices .notice"));
        Assert.NotNull(Assert.Single(await app.RemindersOf(email)).DismissedAt);
        Assert.Null(Assert.Single(await app.RemindersOf(other)).DismissedAt);
    }

    [Fact]
    public async Task Weeks_after_a_course_a_repetition_question_is_answered_with_one_click()
    {
        app.SwedishTime(new DateTime(2027, 3, 11, 10, 0, 0));
        var email = await app.NewLearner();
        var course = app.Catalog.FindLive(Intro)!;
        await app.Complete(email, course, Format.StartOfDayUtc(app.Today.AddDays(-42)).AddHours(10));

        await app.Scan();
        await app.Dispatch();

        var message = Assert.Single(await app.PickedUpFor(email));
        Assert.Equal($"Repetitionsfråga: {course.Title}", message.Subject);
        var answers = AnswerLinks().Matches(message.TextBody!).Select(m => m.Groups[1].Value).ToList();
        var reminder = Assert.Single(await app.RemindersOf(email));
        var question = RepetitionQuestion.Pick(course, reminder.Id)!;
        Assert.Equal(question.Options.Length, answers.Count);

        var stranger = app.NewVisitor();
        var right = question.Options.Select((o, i) => (o, i)).First(x => x.o.IsCorrect).i;
        Assert.Contains("Rätt svar!", Text(await stranger.Open(answers[right])));
        var wrong = await stranger.Open(answers[right == 0 ? 1 : 0]);
        Assert.Contains("Inte riktigt.", Text(wrong));
        Assert.Contains("Rätt svar:", Text(wrong));
        await stranger.Open(answers[0].Replace("t=", "t=A", StringComparison.Ordinal), HttpStatusCode.BadRequest);

        var visitor = app.NewVisitor();
        await visitor.LogIn(email);
        var notice = Assert.Single((await visitor.Open("/")).QuerySelectorAll(".notices .notice"));
        Assert.Contains($"En repetitionsfråga från kursen {course.Title}", notice.TextContent);
    }

    [Fact]
    public async Task A_mail_whose_sender_died_mid_send_is_sent_again_after_its_lease_and_one_cut_off_too_often_waits_for_an_admin()
    {
        app.SwedishTime(new DateTime(2027, 3, 12, 10, 0, 0));
        var once = await app.NewLearner();
        var often = await app.NewLearner();
        // The state a sender leaves when it stops after claiming the mail: Sending, claimed longer ago than the lease.
        var onceId = await Interrupted(once, attempts: 1);
        var oftenId = await Interrupted(often, attempts: app.Services.GetRequiredService<IOptions<ReminderOptions>>().Value.MaxAttempts);

        await app.Dispatch();
        // Nobody knows whether it arrived: it goes again, under the same Message-ID.
        Assert.Equal(ReminderMailState.Sent, Assert.Single(await app.MailsTo(once)).State);
        Assert.Equal($"paminnelse-{onceId}@localhost", Assert.Single(await app.PickedUpFor(once)).MessageId);
        Assert.Equal(ReminderMailState.Uncertain, Assert.Single(await app.MailsTo(often)).State);
        Assert.Empty(await app.PickedUpFor(often));

        var employee = app.NewVisitor();
        await employee.LogInAs("medarbetare");
        using (var refused = await employee.Client.GetAsync("/admin/paminnelser"))
        {
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        }

        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var page = await admin.Open("/admin/paminnelser");
        Assert.DoesNotContain(page.QuerySelectorAll("tbody tr"), r => r.TextContent.Contains(once, StringComparison.Ordinal));
        var row = Assert.Single(page.QuerySelectorAll("tbody tr"), r => r.TextContent.Contains(often, StringComparison.Ordinal));
        Assert.Contains("Ovisst", row.TextContent);
        Assert.Contains("Sändningen avbröts gång på gång", row.TextContent);
        await admin.SubmitAndFollow(page, $"form:has(input[value='{oftenId}'])");

        await app.Dispatch();
        Assert.Equal(ReminderMailState.Sent, Assert.Single(await app.MailsTo(often)).State);
        Assert.Single(await app.PickedUpFor(often));
    }

    /// <summary>A mail for <paramref name="email"/>'s reminders left Sending by a sender that stopped a lease and more ago.</summary>
    private async Task<long> Interrupted(string email, int attempts)
    {
        await app.Assign(email, Intro, app.Today, app.Today.AddDays(30));
        await app.Scan();
        var learnerId = await app.LearnerId(email);
        var claimedAt = app.UtcNow - app.Services.GetRequiredService<IOptions<ReminderOptions>>().Value.Lease - TimeSpan.FromMinutes(1);
        return await app.Query(async db =>
        {
            var mail = new ReminderMail
            {
                LearnerId = learnerId, Day = app.Today, State = ReminderMailState.Sending, Attempts = attempts,
                ClaimedAt = claimedAt, NextAttemptAt = claimedAt,
            };
            db.ReminderMails.Add(mail);
            await db.SaveChangesAsync();
            await db.Reminders.Where(r => r.LearnerId == learnerId).ExecuteUpdateAsync(s => s.SetProperty(r => r.MailId, mail.Id));
            return mail.Id;
        });
    }

    [GeneratedRegex(@"http://localhost:5080(/sammanfattning/avsluta\?t=\S+)")]
    private static partial Regex UnsubscribeLink();

    [GeneratedRegex(@"http://localhost:5080(/repetition\?t=\S+&svar=\w+)")]
    private static partial Regex AnswerLinks();
}
