using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Primitives;

namespace Nanolearning.Web.Features.Errors;

/// <summary>
/// Reads a posted form before the antiforgery check and model binding do, and answers one that cannot be read (a
/// multipart section with headers over the form reader's limit, such as a 100 000-character file name, or a broken
/// boundary) with a plain 400, the Swedish "Något blev fel i formuläret" page. Otherwise the form reader's exception
/// surfaces in model binding as a 500 (issue 14). A value with a NUL character is refused the same way: no browser
/// sends one from a form, and PostgreSQL cannot store one in text, so it would otherwise end as a 500 there. Runs after the upload's size filter (order 950), which turns a body
/// over the limit into its own 413, and before antiforgery (order 1000).
/// </summary>
public sealed class UnreadableFormFilter : IAsyncAuthorizationFilter, IOrderedFilter
{
    public int Order => 960;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var request = context.HttpContext.Request;
        if (context.Result is not null || !HttpMethods.IsPost(request.Method) || !request.HasFormContentType)
        {
            return;
        }

        try
        {
            var form = await request.ReadFormAsync(context.HttpContext.RequestAborted);
            if (form.Any(HoldsNul) || request.Query.Any(HoldsNul))
            {
                context.Result = new StatusCodeResult(StatusCodes.Status400BadRequest);
            }
        }
        catch (InvalidDataException)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status400BadRequest);
        }
    }

    private static bool HoldsNul(KeyValuePair<string, StringValues> field) =>
        field.Key.Contains('\0') || field.Value.Any(value => value?.Contains('\0') == true);
}
