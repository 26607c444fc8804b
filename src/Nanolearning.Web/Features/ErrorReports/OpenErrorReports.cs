using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.ErrorReports;

/// <summary>
/// How many error reports no admin has handled yet, for the count beside "Felrapporter" in the admins' menu: that is
/// how the admins hear of a new report. A badge on the pages they use every day, not an e-mail: the app's outbox
/// mails learners, and admins have no mail address of their own in it.
/// </summary>
public sealed class OpenErrorReports(AppDbContext db, ILogger<OpenErrorReports> log)
{
    /// <summary>The count, or null when the database cannot say: the menu must not break a page, the error page least.</summary>
    public async Task<int?> CountAsync(CancellationToken cancel = default)
    {
        try
        {
            return await db.ErrorReports.CountAsync(r => r.HandledAt == null, cancel);
        }
        catch (Exception failure) when (failure is DbException or InvalidOperationException)
        {
            log.LogWarning(failure, "Could not count the open error reports for the menu.");
            return null;
        }
    }
}
