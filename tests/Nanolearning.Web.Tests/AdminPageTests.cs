using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>
/// Admin pages live in the feature they administer, each guarded by its own [Authorize(Policy = Roles.Admin)]; these
/// tests find every /admin address the app maps, so a new admin page without the attribute fails here.
/// </summary>
public sealed partial class AdminPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("medarbetare")]
    [InlineData("chef")]
    [InlineData("politiker")]
    public async Task Every_admin_address_refuses_someone_who_is_not_an_admin(string persona)
    {
        var visitor = app.NewVisitor();
        await visitor.LogInAs(persona);
        foreach (var url in AdminAddresses())
        {
            using var get = await visitor.Client.GetAsync(url);
            AssertDenied(url, get);
            using var post = await visitor.Client.PostAsync(url, new FormUrlEncodedContent([]));
            AssertDenied(url, post);
        }
    }

    [Fact]
    public async Task Every_admin_address_sends_someone_not_logged_in_to_the_login_page()
    {
        var visitor = app.NewVisitor();
        foreach (var url in AdminAddresses())
        {
            using var response = await visitor.Client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{url} answered {response.StatusCode}");
            Assert.StartsWith("https://localhost/logga-in", response.Headers.Location!.ToString());
        }
    }

    [Fact]
    public async Task An_admin_opens_every_admin_page()
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        foreach (var url in AdminAddresses().Where(url => !url.StartsWith("/admin/import/", StringComparison.Ordinal) && !url.StartsWith(BackgroundJobs.DashboardPath, StringComparison.Ordinal)))
        {
            await admin.Open(url);
        }
    }

    [Fact]
    public async Task The_entity_model_is_the_one_the_last_migration_describes()
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.False(db.Database.HasPendingModelChanges(), "The model differs from the last migration's snapshot: add a migration.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    /// <summary>Every address under /admin the app maps (pages and the job dashboard), with route values filled in.</summary>
    private List<string> AdminAddresses()
    {
        var addresses = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(endpoint => endpoint.RoutePattern.RawText!.TrimStart('/'))
            .Where(pattern => pattern == "admin" || pattern.StartsWith("admin/", StringComparison.Ordinal))
            .Select(pattern => "/" + Parameter().Replace(pattern, match => match.Value.Contains(":guid") ? Guid.NewGuid().ToString() : "").TrimEnd('/'))
            .Distinct()
            .Order()
            .ToList();
        // The pages there are today; more may come, none may silently disappear from the check.
        Assert.Superset(
            new HashSet<string> { "/admin/kurser", "/admin/import", "/admin/e-post", "/admin/paminnelser", "/admin/xapi", "/admin/jobb", BackgroundJobs.DashboardPath },
            addresses.Select(a => a.StartsWith("/admin/import/", StringComparison.Ordinal) ? "/admin/import" : a).ToHashSet());
        Assert.Contains(addresses, a => a.StartsWith("/admin/import/", StringComparison.Ordinal));
        return addresses;
    }

    private static void AssertDenied(string url, HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{url} answered {response.StatusCode}");
        Assert.StartsWith("https://localhost/fel/403", response.Headers.Location!.ToString());
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Parameter();
}
