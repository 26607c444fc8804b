using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.MunicipalityFacts;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Features.Reminders.Mail;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// Writes the day's e-mail from its reminders, when it is about to be sent: so it says only what still holds (a
/// course finished since the scan is left out) and links to the lesson the learner is on now. Null when nothing is
/// left to say. The HTML part is rendered with <see cref="ReminderMailBody"/> on the scope's <see cref="HtmlRenderer"/>
/// (no HttpContext needed, so it works in Hangfire jobs); the text part comes from the same <see cref="ReminderMailContent"/>.
/// </summary>
public sealed class ReminderLetter(
    AppDbContext db, CourseCatalog catalog, ReminderLinks links, FactFilling facts, HtmlRenderer renderer, TimeProvider time)
{
    /// <summary>A digest lists this many people; the rest are a count and a link.</summary>
    public const int DigestRows = 30;

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
        var sections = new List<MailSection>();
        await AddCoursesAsync(sections, learner.Id, mail.Reminders, today, cancel);
        if (mail.Reminders.Any(r => r.Kind == ReminderKind.Digest) && !learner.DigestOff)
        {
            await AddDigestAsync(sections, learner.Id, today, cancel);
        }

        var repetitions = mail.Reminders.Where(r => r.Kind == ReminderKind.Repetition).ToList();
        if (repetitions.Count > 0)
        {
            // A question may name the kommun's facts, filled in as on the lesson pages (or their placeholders).
            var filled = await facts.LoadAsync(cancel);
            foreach (var repetition in repetitions)
            {
                AddRepetition(sections, learner.Id, repetition, filled);
            }
        }

        if (sections.Count == 0)
        {
            return null;
        }

        var content = new ReminderMailContent(learner.FirstName, sections);
        var html = await RenderAsync(content);
        return new OutgoingMail(learner.Email, learner.FullName, content.Subject, content.ToText(), html, content.Unsubscribe);
    }

    /// <summary>Renders on the renderer's dispatcher, which both rendering and reading the output require.</summary>
    private Task<string> RenderAsync(ReminderMailContent content) =>
        renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(ReminderMailBody.Content)] = content });
            var body = await renderer.RenderComponentAsync<ReminderMailBody>(parameters);
            return body.ToHtmlString();
        });

    private async Task AddCoursesAsync(List<MailSection> sections, int learnerId, List<Reminder> reminders, DateOnly today, CancellationToken cancel)
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
        bool Nudged(AssignmentProgress assignment) =>
            reminders.Any(r => r.AssignmentId == assignment.Id && r.Kind == ReminderKind.ManagerNudge);

        // What the chef asked for first: its subject becomes the mail's.
        foreach (var assignment in assignments.Where(a => !a.IsMet).OrderByDescending(Nudged).ThenBy(a => a.DueOn))
        {
            if (catalog.FindLive(assignment.CourseId) is not { } course)
            {
                continue;
            }

            var lesson = currentLessons.GetValueOrDefault(course.Id);
            var link = lesson is null
                ? links.Page("/Learning/Overview", new { courseId = course.Id })
                : links.Page("/Learning/Lesson", new { courseId = course.Id, lessonId = lesson });
            var assigned = reminders.Any(r => r.AssignmentId == assignment.Id && r.Kind == ReminderKind.Assigned);
            var (subject, line) = Nudged(assignment)
                ? ReminderWording.ForNudge(course, assignment.DueOn)
                : ReminderWording.ForCourse(course, assignment.DueOn, today, assigned);
            sections.Add(new CourseSection(subject, course.Title, line, lesson is null ? "Börja kursen" : "Fortsätt där du slutade", link));
        }
    }

    private async Task AddDigestAsync(List<MailSection> sections, int chefId, DateOnly today, CancellationToken cancel)
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

        sections.Add(new DigestSection(
            $"Veckosammanfattning: {people} medarbetare har kurser kvar",
            $"{people} av dina medarbetare har kurser som skulle ha varit klara:",
            rows,
            led.Count == 1 ? links.Page("/AnnualWheel/Unit", new { unitId = led.First() }) : links.Page("/AnnualWheel/Index"),
            links.Unsubscribe(chefId)));
    }

    private void AddRepetition(List<MailSection> sections, int learnerId, Reminder reminder, FilledFacts filled)
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
        sections.Add(new QuestionSection(
            $"Repetitionsfråga: {course.Title}",
            $"En fråga från kursen {course.Title}, som du gick för några veckor sedan. Svara med ett klick:",
            filled.Fill(question.PromptHtml),
            // Each answer is a link, so its facts are filled in as text: a link in a link is invalid.
            [.. question.Options.Select(o => new AnswerLink(filled.FillWithoutLinks(o.Html), links.Absolute(links.Repetition(asked, o.Id))))]));
    }
}
