using Microsoft.EntityFrameworkCore;

namespace Nanolearning.Web.Tests;

/// <summary>Several app instances on one PostgreSQL database, as behind a load balancer.</summary>
public sealed class SeveralInstancesTests
{
    [PostgreSqlFact]
    public async Task Two_instances_starting_at_once_on_an_empty_database_publish_each_course_version_once_and_serve_the_same()
    {
        using var first = new AppFixture();
        using var second = first.Restart();

        // Both migrate, publish the courses, seed the demo and plan, at the same moment.
        await Task.WhenAll(Task.Run(() => first.Services), Task.Run(() => second.Services));

        Assert.True(Unexpected(first.Errors) is [], string.Join("\n---\n", Unexpected(first.Errors)));
        Assert.True(Unexpected(second.Errors) is [], string.Join("\n---\n", Unexpected(second.Errors)));
        var rows = await first.Query(db => db.CourseVersions.AsNoTracking().Select(v => new { v.CourseId, v.Version }).ToListAsync());
        var live = first.Catalog.Live.Select(c => new { CourseId = c.Id, c.Version }).ToList();
        Assert.NotEmpty(live);
        Assert.Equal(live.OrderBy(c => c.CourseId), rows.OrderBy(c => c.CourseId));
        Assert.Equal(live.OrderBy(c => c.CourseId), second.Catalog.Live.Select(c => new { CourseId = c.Id, c.Version }).OrderBy(c => c.CourseId));
        // One demo municipality, not two.
        Assert.Equal(1, await first.Query(db => db.Units.CountAsync(u => u.ParentId == null)));
    }

    /// <summary>
    /// Errors other than EF's probe of its history table on a database that has none yet (Npgsql's provider logs the
    /// failed SELECT before it creates the table, on every new database, one instance or several).
    /// </summary>
    private static List<string> Unexpected(ServerErrors errors) =>
        [.. errors.All.Where(e => !e.Contains("FROM \"__EFMigrationsHistory\"", StringComparison.Ordinal))];
}
