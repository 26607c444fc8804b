using System.Text;
using AngleSharp.Html.Parser;

namespace Nanolearning.Web.Features.Reminders.Mail;

/// <summary>
/// What the day's e-mail to one person says, in the order it says it. Both parts are made from this: the HTML part
/// by <see cref="ReminderMailBody"/>, the plain-text part by <see cref="ToText"/>, so they cannot drift apart.
/// </summary>
public sealed record ReminderMailContent(string FirstName, IReadOnlyList<MailSection> Sections)
{
    public string Greeting => $"Hej {FirstName}!";

    /// <summary>The first section's subject, and how many more the mail holds.</summary>
    public string Subject => Sections.Count == 1 ? Sections[0].Subject : $"{Sections[0].Subject} (och {Sections.Count - 1} till)";

    /// <summary>The link that ends the digest, when the mail has one; also the List-Unsubscribe header.</summary>
    public string? Unsubscribe => Sections.OfType<DigestSection>().FirstOrDefault()?.Unsubscribe;

    public string ToText()
    {
        var text = new StringBuilder().Append(Greeting).Append("\n\n");
        foreach (var section in Sections)
        {
            switch (section)
            {
                case CourseSection course:
                    text.Append(course.Line).Append('\n').Append(course.Action).Append(": ").Append(course.Link).Append("\n\n");
                    break;
                case DigestSection digest:
                    text.Append(digest.Intro).Append('\n');
                    foreach (var row in digest.Rows)
                    {
                        text.Append("- ").Append(row).Append('\n');
                    }

                    text.Append("Se årshjulet: ").Append(digest.Link).Append("\n\n");
                    break;
                case QuestionSection question:
                    text.Append(question.Intro).Append("\n\n").Append(PlainText(question.PromptHtml)).Append('\n');
                    foreach (var option in question.Options)
                    {
                        text.Append("- ").Append(PlainText(option.Html)).Append(": ").Append(option.Link).Append('\n');
                    }

                    text.Append('\n');
                    break;
            }
        }

        text.Append("Hälsningar\nNanolearning");
        if (Unsubscribe is { } unsubscribe)
        {
            text.Append("\n\nVill du inte få veckosammanfattningen? Avsluta den här: ").Append(unsubscribe);
        }

        return text.ToString();
    }

    /// <summary>The text of the course's sanitized HTML (a question, an option) for the plain-text part.</summary>
    private static string PlainText(string html) => new HtmlParser().ParseDocument("<body>" + html).Body!.TextContent.Trim();
}

/// <summary>One reason for the mail; <see cref="Subject"/> is its subject line when it comes first.</summary>
public abstract record MailSection(string Subject);

/// <summary>A course to start or go on with: the sentence from <see cref="ReminderWording"/> and a link into the course.</summary>
public sealed record CourseSection(string Subject, string CourseTitle, string Line, string Action, string Link) : MailSection(Subject);

/// <summary>A chef's weekly digest: one row per overdue course, a link to the årshjul and one that ends the digest.</summary>
public sealed record DigestSection(string Subject, string Intro, IReadOnlyList<string> Rows, string Link, string Unsubscribe) : MailSection(Subject);

/// <summary>
/// A repetition question answered with one click. <see cref="PromptHtml"/> and each option's HTML are the compiled
/// course's sanitized HTML, shown as the lesson pages show them.
/// </summary>
public sealed record QuestionSection(string Subject, string Intro, string PromptHtml, IReadOnlyList<AnswerLink> Options) : MailSection(Subject);

/// <summary>An answer option's sanitized HTML and the signed link that answers with it.</summary>
public sealed record AnswerLink(string Html, string Link);
