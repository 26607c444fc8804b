using Microsoft.AspNetCore.StaticFiles;

namespace Nanolearning.Web.Features.Courses;

/// <summary>Serves a course's media files at /kurs/{courseId}/media/..., where the lesson HTML's relative links point.</summary>
public static class CourseMedia
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void MapCourseMedia(this IEndpointRouteBuilder app) =>
        app.MapGet("/kurs/{courseId}/media/{**path}", (string courseId, string path, CourseCatalog catalog) =>
        {
            var file = catalog.FindMediaFile(courseId, path);
            if (file is null || !File.Exists(file))
            {
                return Results.NotFound();
            }

            var type = ContentTypes.TryGetContentType(file, out var known) ? known : "application/octet-stream";
            return Results.File(file, type, enableRangeProcessing: true);
        }).RequireAuthorization();
}
