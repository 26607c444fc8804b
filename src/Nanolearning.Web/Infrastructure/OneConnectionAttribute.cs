using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;

namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// The page's handler runs its statements on one open connection, returned to the pool when the handler ends, before
/// the page renders. Otherwise EF takes a pooled connection and returns it around each statement, which on a page of
/// two to four small reads costs about as much as one of them (docs/benchmarks.md, issue 18).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OneConnectionAttribute : Attribute, IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var database = context.HttpContext.RequestServices.GetRequiredService<AppDbContext>().Database;
        await database.OpenConnectionAsync(context.HttpContext.RequestAborted);
        try
        {
            await next();
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }
}
