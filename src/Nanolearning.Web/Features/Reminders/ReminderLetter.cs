using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// Writes the day's e-mail from its reminders, when it is about to be sent: so it says only what still holds (a
/// course finished since the scan is left out) and links to the lesson the learner is on now. Null when nothing is
/// left to say.
/// </summary>
public sealed class ReminderLetter(AppDbContext db, CourseCatalog catalog, ReminderLinks links, TimeProvider time)
{
    /// <summary>A digest lists this many people; the rest are a count and a link.</summary>
    public const int DigestRows = 30;

    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public async Task<OutgoingMail?> ComposeAsync(long mailId, CancellationToken cancel)
    {
        var mail = await db.ReminderMails.AsNoTracking()
            .Where(m => m.Id == mailId)
            .Select(m => new { m.Learner, m.Reminders })
            .SingleAsync(cancel);
        var learner = mail.Learner!;
        if (!learner.IsActive || string.IsNullOrWhiteSpace(learner.Email))
        {
            return null;
        }

        var today = Format.Today(time);
        var letter = new Letter(learner.FirstName);
        await AddCoursesAsync(letter, learner.Id, mail.Reminders, today, cancel);
        if (mail.Reminders.Any(r => r.Kind == ReminderKind.Digest) && !learner.DigestOff)
        {
            await AddDigestAsync(letter, learner.Id, today, cancel);
        }

        foreach (var repetition in mail.Reminders.Where(r => r.Kind == ReminderKind.Repetition))
        {
            AddRepetition(letter, learner.Id, repetition);
        }

        return letter.IsEmpty ? null : letter.ToMail(learner.Email, learner.FullName);
    }

    private async Task AddCoursesAsync(Letter letter, int learnerId, List<Reminder> reminders, DateOnly today, CancellationToken cancel)
    {
        var assignmentIds = reminders.Where(r => r.AssignmentId is not null).Select(r => r.AssignmentId!.Value).ToList();
        if (assignmentIds.Count == 0)
        {
            return;
        }

        var assignments = await AssignmentProgress.Of(db, db.Assignments.AsNoTracking().Where(a => assignmentIds.Contains(a.Id)))
            .ToListAsync(cancel);
        var currentLessons = await db.Enrolments.AsNoTracking()
            .Where(e => e.LearnerId == learnerId && e.CompletedAt == null)
            .ToDictionaryAsync(e => e.CourseId, e => e.CurrentLessonId, cancel);
        foreach (var assignment in assignments.Where(a => !a.IsMet).OrderBy(a => a.DueOn))
        {
            if (catalog.FindLive(assignment.CourseId) is not { } course)
            {
                continue;
            }

            var lesson = currentLessons.GetValueOrDefault(course.Id);
            var link = links.Absolute(lesson is null ? $"/kurs/{course.Id}" : $"/kurs/{course.Id}/{lesson}");
            var assigned = reminders.Any(r => r.AssignmentId == assignment.Id && r.Kind == ReminderKind.Assigned);
            var (subject, line) = ReminderWording.ForCourse(course, assignment.DueOn, today, assigned);
            letter.Add(subject, line, lesson is null ? "Börja kursen" : "Fortsätt där du slutade", link);
        }
    }

    private async Task AddDigestAsync(Letter letter, int chefId, DateOnly today, CancellationToken cancel)
    {
        var tree = await OrganisationTree.LoadAsync(db, cancel);
        var led = tree.LedBy(chefId);
        var units = led.SelectMany(tree.Subtree).Select(u => u.Id).ToHashSet();
        var overdue = (await Overdue.InAsync(db, units, today, cancel))
            .Where(o => o.LearnerId != chefId)
            .ToList();
        if (overdue.Count == 0)
        {
            return;
        }

        var people = overdue.Select(o => o.LearnerId).Distinct().Count();
        var rows = overdue.Take(DigestRows)
            .Select(o => $"{o.Name}, {tree.Find(o.UnitId)?.Name}: {catalog.FindLive(o.CourseId)?.Title ?? o.CourseId}, skulle vara klar {Format.Date(o.DueOn)}")
            .ToList();
        if (overdue.Count > DigestRows)
        {
            rows.Add($"… och {overdue.Count - DigestRows} kurser till.");
        }

        letter.AddDigest(
            $"Veckosammanfattning: {people} medarbetare har kurser kvar",
            $"{people} av dina medarbetare har kurser som skulle ha varit klara:",
            rows,
            links.Absolute(led.Count == 1 ? $"/arshjul/{led.First()}" : "/arshjul"),
            links.Unsubscribe(chefId));
    }

    private void AddRepetition(Letter letter, int learnerId, Reminder reminder)
    {
        if (reminder.CourseId is null || catalog.FindLive(reminder.CourseId) is not { } course)
        {
            return;
        }

        if (RepetitionQuestion.Pick(course, reminder.Id) is not { } question)
        {
            return;
        }

        var asked = new RepetitionQuestion(learnerId, course.Id, question.Id);
        letter.AddQuestion(
            $"Repetitionsfråga: {course.Title}",
            $"En fråga från kursen {course.Title}, som du gick för några veckor sedan. Svara med ett klick:",
            question.PromptHtml,
            question.Options.Select(o => (o.Html, links.Absolute(links.Repetition(asked, o.Id)))).ToList());
    }

    /// <summary>The e-mail being written: the same sections as plain text and as HTML.</summary>
    private sealed class Letter(string firstName)
    {
        private readonly List<string> _subjects = [];
        private readonly StringBuilder _text = new();
        private readonly StringBuilder _html = new();
        private string? _unsubscribe;

        public bool IsEmpty => _subjects.Count == 0;

        public void Add(string subject, string line, string action, string link)
        {
            _subjects.Add(subject);
            _text.Append(line).Append('\n').Append(action).Append(": ").Append(link).Append("\n\n");
            _html.Append("<p>").Append(Html.Encode(line)).Append("<br><a href=\"").Append(Html.Encode(link)).Append("\">")
                .Append(Html.Encode(action)).Append("</a></p>\n");
        }

        public void AddDigest(string subject, string intro, List<string> rows, string link, string unsubscribe)
        {
            _subjects.Add(subject);
            _unsubscribe = unsubscribe;
            _text.Append(intro).Append('\n');
            _html.Append("<p>").Append(Html.Encode(intro)).Append("</p>\n<ul>\n");
            foreach (var row in rows)
            {
                _text.Append("- ").Append(row).Append('\n');
                _html.Append("<li>").Append(Html.Encode(row)).Append("</li>\n");
            }

            _text.Append("Se årshjulet: ").Append(link).Append("\n\n");
            _html.Append("</ul>\n<p><a href=\"").Append(Html.Encode(link)).Append("\">Se årshjulet</a></p>\n");
        }

        /// <summary>Question and options are the course's sanitized HTML: as they are in the HTML part, as text in the other.</summary>
        public void AddQuestion(string subject, string intro, string promptHtml, List<(string Html, string Link)> options)
        {
            _subjects.Add(subject);
            _text.Append(intro).Append("\n\n").Append(PlainText(promptHtml)).Append('\n');
            _html.Append("<p>").Append(Html.Encode(intro)).Append("</p>\n").Append(promptHtml).Append("\n<ul>\n");
            foreach (var (optionHtml, link) in options)
            {
                _text.Append("- ").Append(PlainText(optionHtml)).Append(": ").Append(link).Append('\n');
                _html.Append("<li><a href=\"").Append(Html.Encode(link)).Append("\">").Append(optionHtml).Append("</a></li>\n");
            }

            _text.Append('\n');
            _html.Append("</ul>\n");
        }

        public OutgoingMail ToMail(string address, string name)
        {
            var subject = _subjects.Count == 1 ? _subjects[0] : $"{_subjects[0]} (och {_subjects.Count - 1} till)";
            var greeting = $"Hej {firstName}!";
            var text = new StringBuilder().Append(greeting).Append("\n\n").Append(_text);
            var html = new StringBuilder().Append("<p>").Append(Html.Encode(greeting)).Append("</p>\n").Append(_html);
            text.Append("Hälsningar\nNanolearning");
            html.Append("<p>Hälsningar<br>Nanolearning</p>");
            if (_unsubscribe is not null)
            {
                text.Append("\n\nVill du inte få veckosammanfattningen? Avsluta den här: ").Append(_unsubscribe);
                html.Append("\n<p><small><a href=\"").Append(Html.Encode(_unsubscribe)).Append("\">Avsluta veckosammanfattningen</a></small></p>");
            }

            return new OutgoingMail(address, name, subject, text.ToString(), html.ToString(), _unsubscribe);
        }

        private static string PlainText(string html) => new HtmlParser().ParseDocument("<body>" + html).Body!.TextContent.Trim();
    }
}
