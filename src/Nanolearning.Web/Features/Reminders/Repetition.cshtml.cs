using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.MunicipalityFacts;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>
/// A repetition question from an e-mail, answered in one click: each option is a link, and following it shows whether
/// it was right and why. No login: the signed link says whose question it is. Nothing is stored, so a mail filter
/// that follows every link to check it changes nothing.
/// </summary>
public sealed class RepetitionModel(CourseCatalog catalog, ReminderLinks links, FactFilling facts) : PageModel
{
    public CompiledCourse Course { get; private set; } = null!;

    public Question Question { get; private set; } = null!;

    public RepetitionQuestion Asked { get; private set; } = null!;

    public QuestionOption? Chosen { get; private set; }

    public FilledFacts Facts { get; private set; } = FilledFacts.None;

    public string AnswerLink(string optionId) => links.Repetition(Asked, optionId);

    public async Task<IActionResult> OnGetAsync(string? t, string? svar, CancellationToken cancel)
    {
        if (links.ReadRepetition(t) is not { } asked)
        {
            return Problem.Show(this, StatusCodes.Status400BadRequest, "Länken fungerar inte",
                "Länken till repetitionsfrågan är inte hel. Öppna den igen från e-postmeddelandet, eller kopiera hela adressen.");
        }

        var course = catalog.FindLive(asked.CourseId);
        var question = course?.Lessons.SelectMany(l => l.Questions).FirstOrDefault(q => q.Id == asked.QuestionId);
        if (course is null || question is null)
        {
            return Problem.Show(this, StatusCodes.Status404NotFound, "Frågan finns inte längre",
                "Kursen har ändrats sedan frågan skickades, och frågan finns inte kvar. Du behöver inte göra något.");
        }

        (Course, Question, Asked) = (course, question, asked);
        Facts = await facts.LoadAsync(cancel);
        if (svar is not null)
        {
            Chosen = question.Options.FirstOrDefault(o => o.Id == svar);
            if (Chosen is null)
            {
                return Problem.Show(this, StatusCodes.Status400BadRequest, "Svaret finns inte",
                    "Frågan har inget sådant svarsalternativ. Välj ett av alternativen nedan.", links.Repetition(asked));
            }
        }

        return Page();
    }
}
