using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Nanolearning.Web.Features.Errors;

/// <summary>
/// Reads a posted form before the antiforgery check and model binding do, and answers one that cannot be read (a
/// multipart section with headers over the form reader's limit, such as a 100 000-character file name, or a broken
/// boundary) with a plain 400, the Swedish "Något blev fel i formuläret" page. Otherwise the form reader's exception
/// surfaces in model binding as a 500 (issue 14). Runs after the upload's size filter (order 950), which turns a body
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
            await request.ReadFormAsync(context.HttpContext.RequestAborted);
        }
        catch (InvalidDataException)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status400BadRequest);
        }
    }
}
