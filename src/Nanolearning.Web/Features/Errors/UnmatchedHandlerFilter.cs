using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Nanolearning.Web.Features.Errors;

/// <summary>
/// Answers a request that names no handler the page has, or posts to a page that takes no post, with 404 or 405
/// instead of running it. Razor Pages would otherwise render the page without its OnGet, on an unset model: a 500.
/// The bare status code becomes the Swedish error page through the status code pages.
/// </summary>
public sealed class UnmatchedHandlerFilter : IPageFilter
{
    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        var request = context.HttpContext.Request;
        var asked = HandlerName(context);
        var selected = context.HandlerMethod;

        // An unnamed handler (OnGet, OnPost) is selected even for ?handler=anything; a name it does not have is unknown.
        if (selected is not null && (asked is null || string.Equals(selected.Name, asked, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        // A page with only OnGet still serves HEAD and a named-less GET; nothing to run is fine for those.
        if (selected is null && asked is null && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return;
        }

        var methods = context.ActionDescriptor.HandlerMethods
            .Select(handler => handler.HttpMethod.ToUpperInvariant())
            .Append(HttpMethods.Get)
            .Append(HttpMethods.Head)
            .Distinct()
            .ToList();
        if (methods.Contains(request.Method.ToUpperInvariant()))
        {
            context.Result = new NotFoundResult();
            return;
        }

        context.HttpContext.Response.Headers.Allow = string.Join(", ", methods);
        context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }

    // Where Razor Pages' own handler selection looks: the route value, then the query string.
    private static string? HandlerName(PageHandlerExecutingContext context)
    {
        var name = context.RouteData.Values.TryGetValue("handler", out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
        if (string.IsNullOrEmpty(name))
        {
            name = context.HttpContext.Request.Query["handler"].FirstOrDefault();
        }

        return string.IsNullOrEmpty(name) ? null : name;
    }
}
