using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Xapi;

/// <summary>
/// For admins: whether learning events reach the LRS. The backlog, the oldest event still waiting, and the latest
/// error; and a button that ends the waits after failures, for when the LRS is back.
/// </summary>
[Authorize(Policy = Roles.Admin)]
public sealed class DeliveryModel(AppDbContext db, IOptions<XapiOptions> options, IRecurringJobManager jobs, TimeProvider time) : PageModel
{
    public XapiOptions Settings => options.Value;

    /// <summary>The external LRS's address without any user name or password someone put in the URL.</summary>
    public string DeliveryTarget =>
        new Uri(Settings.Delivery.Endpoint).GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    public int Backlog { get; private set; }

    public int Waiting { get; private set; }

    public DateTime? OldestUndelivered { get; private set; }

    public LearningEvent? LastFailure { get; private set; }

    public int StoredStatements { get; private set; }

    /// <summary>The LRS failing as a whole, and the pause it put on delivery; null while it works.</summary>
    public DeliveryProblem? Outage { get; private set; }

    /// <summary>Statements the LRS refused until delivery gave them up, newest first (at most <see cref="Shown"/>).</summary>
    public List<LearningEvent> GivenUp { get; private set; } = [];

    public int GivenUpCount { get; private set; }

    public const int Shown = 50;

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancel)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var undelivered = db.LearningEvents.AsNoTracking().Where(e => e.DeliveredAt == null && e.GivenUpAt == null);
        Backlog = await undelivered.CountAsync(cancel);
        Waiting = await undelivered.CountAsync(e => e.NextAttemptAt > now, cancel);
        OldestUndelivered = await undelivered.OrderBy(e => e.OccurredAt).Select(e => (DateTime?)e.OccurredAt).FirstOrDefaultAsync(cancel);
        LastFailure = await undelivered.Where(e => e.LastAttemptAt != null).OrderByDescending(e => e.LastAttemptAt).FirstOrDefaultAsync(cancel);
        Outage = await db.DeliveryProblems.AsNoTracking().SingleOrDefaultAsync(p => p.Channel == DeliveryProblem.Lrs, cancel);
        var givenUp = db.LearningEvents.AsNoTracking().Where(e => e.DeliveredAt == null && e.GivenUpAt != null);
        GivenUpCount = await givenUp.CountAsync(cancel);
        GivenUp = await givenUp.OrderByDescending(e => e.GivenUpAt).Take(Shown).ToListAsync(cancel);
        // Shown only for the built-in LRS: counting a million statements is not free.
        StoredStatements = Settings.Delivery.UsesBuiltInLrs ? await db.XapiStatements.CountAsync(cancel) : 0;
    }

    /// <summary>Sends everything waiting now, without waiting out the pauses after earlier failures.</summary>
    public async Task<IActionResult> OnPostRetryAsync(CancellationToken cancel)
    {
        int released;
        await using (var transaction = await db.BeginWriteTransactionAsync(cancel))
        {
            released = await db.LearningEvents.Where(e => e.DeliveredAt == null && e.GivenUpAt == null && e.NextAttemptAt != null)
                .ExecuteUpdateAsync(set => set.SetProperty(e => e.NextAttemptAt, (DateTime?)null), cancel);
            // The admin says the LRS is back: the pause ends now (it comes back if the LRS still fails).
            await db.DeliveryProblems.Where(p => p.Channel == DeliveryProblem.Lrs)
                .ExecuteUpdateAsync(set => set.SetProperty(p => p.PausedUntil, (DateTime?)null), cancel);
            await transaction.CommitAsync(cancel);
        }

        jobs.Trigger(BackgroundJobs.XapiDelivery);
        Message = released == 0
            ? "Leveransen har startats."
            : $"Leveransen har startats. {released} händelser som väntade efter ett fel skickas nu.";
        return RedirectToPage();
    }

    /// <summary>Gives the statements delivery gave up on a new round of attempts (after the LRS or the profile was fixed).</summary>
    public async Task<IActionResult> OnPostResendGivenUpAsync(CancellationToken cancel)
    {
        int again;
        await using (var transaction = await db.BeginWriteTransactionAsync(cancel))
        {
            again = await db.LearningEvents.Where(e => e.DeliveredAt == null && e.GivenUpAt != null)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(e => e.GivenUpAt, (DateTime?)null)
                    .SetProperty(e => e.DeliveryAttempts, 0)
                    .SetProperty(e => e.NextAttemptAt, (DateTime?)null), cancel);
            await transaction.CommitAsync(cancel);
        }

        jobs.Trigger(BackgroundJobs.XapiDelivery);
        Message = $"{again} uttalanden som LRS:en nekade skickas igen.";
        return RedirectToPage();
    }
}
