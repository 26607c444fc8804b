using System.Net.Mime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Net.Http.Headers;
using Nanolearning.Courses.Media;
using Nanolearning.Web.Features.Learning;

namespace Nanolearning.Web.Features.Courses;

/// <summary>
/// Serves a course's media files at /kurs/{courseId}/media/..., where the lesson HTML's relative links point, to the
/// people who may open the course. Only the kinds <see cref="MediaTypes"/> allows, each as its one content type.
/// </summary>
public static class CourseMedia
{
    /// <summary>
    /// Opened on its own, a media file is a document of its own in the app's origin; sandboxed, with nothing to load,
    /// it runs no script even if it is an SVG that carries some (GitHub serves raw files with the same policy).
    /// </summary>
    public const string Policy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

    /// <summary>
    /// Browsers refuse to start their PDF viewer in a sandboxed document, so a PDF gets no sandbox; their viewers run
    /// a PDF's own script apart from the page, and the policy still forbids any script the page itself might load.
    /// The viewer needs its &lt;embed&gt; and inline style.
    /// </summary>
    public const string PdfPolicy = "script-src 'none'; object-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void MapCourseMedia(this IEndpointRouteBuilder app) =>
        app.MapGet("/kurs/{courseId}/media/{**path}", async (string courseId, string path, HttpContext http, CourseCatalog catalog, IAuthorizationService authorization) =>
        {
            if (catalog.FindLive(courseId) is not { } course)
            {
                return Results.NotFound();
            }

            // Before looking for the file, so a person who may not open the course learns nothing about its files.
            if (!(await authorization.AuthorizeAsync(http.User, course, new OpensCourse())).Succeeded)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            // A version published before media were restricted may still list other kinds: the type is checked here too.
            var file = catalog.FindMediaFile(courseId, path);
            if (file is null || MediaTypes.ContentTypeOf(file) is not { } type || !File.Exists(file))
            {
                return Results.NotFound();
            }

            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = type == MediaTypeNames.Application.Pdf ? PdfPolicy : Policy;
            headers.XContentTypeOptions = "nosniff";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers.CacheControl = "private";
            var disposition = new ContentDispositionHeaderValue(DispositionTypeNames.Inline);
            disposition.SetHttpFileName(Path.GetFileName(file));
            headers.ContentDisposition = disposition.ToString();
            return Results.File(file, type, enableRangeProcessing: true);
        }).RequireAuthorization();
}
