using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Nanolearning.Web.Features.Errors;

/// <summary>The plain-Swedish error pages the learner's pages return, each with its proper status code.</summary>
public static class Problem
{
    public static IActionResult CourseNotFound(PageModel page) =>
        Show(page, StatusCodes.Status404NotFound, "Kursen finns inte", "Vi hittar ingen kurs med den adressen. Den kan ha fått ett nytt namn eller tagits bort.");

    public static IActionResult LessonNotFound(PageModel page, string courseId) =>
        Show(page, StatusCodes.Status404NotFound, "Lektionen finns inte", "Den här kursen har ingen lektion med den adressen.", page.Url.Page("/Learning/Overview", new { courseId }));

    public static IActionResult CourseNotOpen(PageModel page) =>
        Show(page, StatusCodes.Status403Forbidden, "Kursen är inte öppen för dig", "Den här kursen är inte tilldelad dig och är inte skriven för din roll. Fråga din chef om du vill gå den.");

    public static IActionResult NotALearner(PageModel page) =>
        Show(page, StatusCodes.Status403Forbidden, "Inga egna kurser", "Ditt konto hör inte till någon medarbetare, så du kan inte gå kurser med det.");

    public static IActionResult BadAnswer(PageModel page, string courseId, string lessonId) =>
        Show(page, StatusCodes.Status400BadRequest, "Svaret gick inte att spara",
            "Formuläret innehöll något som inte hör till den här lektionen. Inget av det du redan gjort har försvunnit. Ladda om sidan och svara igen.",
            page.Url.Page("/Learning/Lesson", new { courseId, lessonId }));

    /// <summary>A plain page with the status; its link goes to <paramref name="back"/>, or without one to "Mina kurser".</summary>
    public static IActionResult Show(PageModel page, int status, string title, string message, string? back = null)
    {
        page.Response.StatusCode = status;
        return new PartialViewResult
        {
            ViewName = "_Problem",
            ViewData = new ViewDataDictionary<ProblemView>(page.MetadataProvider, page.ModelState)
            {
                Model = new ProblemView(title, message, back),
            },
        };
    }
}

public sealed record ProblemView(string Title, string Message, string? Back);
