using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Nanolearning.Courses;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// The links in reminder e-mails, absolute on <see cref="NanolearningOptions.PublicUrl"/>. The two that work without a
/// login (leaving the digest, a repetition question) carry a token the app signed, so nobody can make one for
/// someone else; the keys live in the database, so the links outlive restarts. Made without an HttpContext (mail is
/// written in Hangfire jobs), from the page routes that <c>MapRazorPages</c> registered.
/// </summary>
public sealed class ReminderLinks(IDataProtectionProvider protection, IOptions<NanolearningOptions> options, LinkGenerator links)
{
    private readonly IDataProtector _unsubscribe = protection.CreateProtector("Nanolearning.Reminders.Unsubscribe");
    private readonly IDataProtector _repetition = protection.CreateProtector("Nanolearning.Reminders.Repetition");

    public string Absolute(string path) => options.Value.Absolute(path);

    /// <summary>A page's absolute address; values its route does not take go in the query string.</summary>
    public string Page(string page, object? values = null) => Absolute(PathOf(page, values));

    public string Unsubscribe(int learnerId) =>
        Page("/Reminders/Unsubscribe", new { t = _unsubscribe.Protect(learnerId.ToString(CultureInfo.InvariantCulture)) });

    /// <summary>The learner a digest link was made for, or null when the token is not one of ours.</summary>
    public int? ReadUnsubscribe(string? token) =>
        Unprotect(_unsubscribe, token) is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>The question's page; with <paramref name="optionId"/>, the link that answers it in one click.</summary>
    public string Repetition(RepetitionQuestion question, string? optionId = null) =>
        PathOf("/Reminders/Repetition", new { t = _repetition.Protect(question.ToToken()), svar = optionId });

    public RepetitionQuestion? ReadRepetition(string? token) =>
        Unprotect(_repetition, token) is { } text ? RepetitionQuestion.FromToken(text) : null;

    // Null only before MapRazorPages has run, or for a page that does not exist: a bug, not something to mail.
    private string PathOf(string page, object? values) =>
        links.GetPathByPage(page, values: values) ?? throw new InvalidOperationException($"No route to the page {page}.");

    private static string? Unprotect(IDataProtector protector, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

/// <summary>Which question a repetition e-mail asked whom.</summary>
public sealed record RepetitionQuestion(int LearnerId, string CourseId, string QuestionId)
{
    /// <summary>
    /// The question a repetition reminder asks: one-click questions only (one right option), a different one for each
    /// reminder, and the same one each time the same reminder is shown.
    /// </summary>
    public static Question? Pick(CompiledCourse course, long reminderId)
    {
        var questions = course.Lessons.SelectMany(l => l.Questions).Where(q => q.Kind == QuestionKind.SingleChoice).ToList();
        return questions.Count == 0 ? null : questions[(int)(reminderId % questions.Count)];
    }

    public string ToToken() => $"{LearnerId.ToString(CultureInfo.InvariantCulture)}|{CourseId}|{QuestionId}";

    public static RepetitionQuestion? FromToken(string text) =>
        text.Split('|') is [var learner, var course, var question]
        && int.TryParse(learner, NumberStyles.None, CultureInfo.InvariantCulture, out var learnerId)
            ? new RepetitionQuestion(learnerId, course, question)
            : null;
}
