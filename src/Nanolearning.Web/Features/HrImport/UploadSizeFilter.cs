using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.HrImport;

/// <summary>
/// Reads the upload's form before the antiforgery check and model binding do, so that a body over the page's request
/// limit gets the import's own size message with 413: otherwise the form reader's failure surfaces as the antiforgery
/// check's generic 400. Runs after <see cref="RequestSizeLimitAttribute"/> (order 900) has set the limit and before
/// antiforgery (order 1000).
/// </summary>
public sealed class UploadSizeFilter(long maxFileBytes) : IAsyncAuthorizationFilter, IOrderedFilter
{
    public int Order => 950;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var request = context.HttpContext.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType)
        {
            return;
        }

        // The rest of a body too large is read and thrown away before the answer, up to this much: a browser that is
        // still sending when the server closes the connection shows "connection reset" instead of the message. Only
        // admins get here (the page's authorization runs first). Beyond it the connection is simply closed.
        var drainable = 10 * maxFileBytes;
        var size = context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        var limit = size?.MaxRequestBodySize;
        if (request.ContentLength is { } length && length > limit)
        {
            // Known from the header: nothing of the form needs reading to refuse it.
            if (length <= drainable && size is { IsReadOnly: false })
            {
                size.MaxRequestBodySize = length;
                await UnreadBody.DiscardAsync(request, context.HttpContext.RequestAborted);
            }

            context.Result = TooLarge(context, length);
            return;
        }

        if (request.ContentLength is null && size is { IsReadOnly: false })
        {
            // Sent without a length (chunked): the form reader's own limit stops the file, and the rest can be drained.
            size.MaxRequestBodySize = drainable;
        }

        try
        {
            await request.ReadFormAsync(context.HttpContext.RequestAborted);
        }
        catch (Exception e) when (TooLong(e))
        {
            if (e is InvalidDataException)
            {
                await UnreadBody.DiscardAsync(request, context.HttpContext.RequestAborted);
            }

            context.Result = TooLarge(context, null);
        }
        catch (InvalidDataException)
        {
            // A form broken otherwise (a section's headers over the reader's limit): UnreadableFormFilter's 400.
        }
    }

    /// <summary>Kestrel's body limit, or the form reader's own (which is all there is on a server without the former).</summary>
    private static bool TooLong(Exception e) =>
        e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
        || (e is InvalidDataException && e.Message.Contains("body length limit", StringComparison.Ordinal));

    private IActionResult TooLarge(AuthorizationFilterContext context, long? length)
    {
        var services = context.HttpContext.RequestServices;
        var megabytes = maxFileBytes / 1024 / 1024;
        var size = length is { } bytes ? $"Filen är {(bytes / 1024d / 1024d).ToString("0.#", Swedish.Culture)} MB" : "Filen är för stor";
        return new PartialViewResult
        {
            StatusCode = StatusCodes.Status413PayloadTooLarge,
            ViewName = "_Problem",
            ViewData = new ViewDataDictionary<ProblemView>(services.GetRequiredService<IModelMetadataProvider>(), new ModelStateDictionary())
            {
                Model = new ProblemView(
                    "Filen är för stor",
                    $"{size}. Den får vara högst {megabytes.ToString(Swedish.Culture)} MB. Kontrollera att det är personalfilen som CSV och inte till exempel en Excel-fil med bilder.",
                    services.GetRequiredService<LinkGenerator>().GetPathByPage(context.HttpContext, "/HrImport/Upload")),
            },
        };
    }
}
