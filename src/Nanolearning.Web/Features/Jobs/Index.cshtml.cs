using Hangfire;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Nanolearning.Web.Features.Accounts;

namespace Nanolearning.Web.Features.Jobs;

/// <summary>
/// For admins, in Swedish: each recurring job, what it does, when it runs, how its last run went, the latest
/// failures, and "Kör nu". Everything is read from and done through Hangfire's own API; the Hangfire dashboard stays
/// as the expert view (<see cref="Infrastructure.BackgroundJobs.DashboardPath"/>).
/// </summary>
/// <remarks>
/// The storage is the app's own <see cref="JobStorage"/> from its services, not <c>JobStorage.Current</c>: the tests
/// host many app instances in one process, and the static points at whichever started last.
/// </remarks>
[Authorize(Policy = Roles.Admin)]
public sealed class IndexModel(JobStorage storage, IRecurringJobManager jobs) : PageModel
{
    /// <summary>How many failed runs the page lists; the expert view has them all.</summary>
    public const int FailuresShown = 10;

    public IReadOnlyList<JobRow> Jobs { get; private set; } = [];

    public IReadOnlyList<FailureRow> Failures { get; private set; } = [];

    /// <summary>Which job "Kör nu" started, carried over the redirect.</summary>
    [TempData]
    public string? Message { get; set; }

    public void OnGet()
    {
        List<RecurringJobDto> recurring;
        using (var connection = storage.GetConnection())
        {
            recurring = connection.GetRecurringJobs();
        }

        Jobs = [.. recurring.Select(j => new JobRow(j, JobDescriptions.Of(j.Id)))];
        Failures = [.. storage.GetMonitoringApi().FailedJobs(0, FailuresShown)
            .Select(f => new FailureRow(f.Key, f.Value.FailedAt, NameOf(f.Value, recurring), FailureText.Of(f.Value.ExceptionType), ShortType(f.Value.ExceptionType)))
            .OrderByDescending(f => f.At)];
    }

    /// <summary>Starts a recurring job now, outside its schedule; the schedule itself stays as it was.</summary>
    public IActionResult OnPostRun(string? id)
    {
        bool known;
        using (var connection = storage.GetConnection())
        {
            known = id is not null && connection.GetRecurringJobs().Any(j => j.Id == id);
        }

        if (!known)
        {
            return NotFound();
        }

        jobs.Trigger(id!);
        Message = $"{JobDescriptions.Of(id!).Name} har startats. Ladda om sidan om en stund för att se hur det gick.";
        return RedirectToPage();
    }

    /// <summary>The Swedish name of the recurring job a failed run belongs to, matched by the method it runs.</summary>
    private static string NameOf(FailedJobDto failed, IEnumerable<RecurringJobDto> recurring)
    {
        var job = failed.Job;
        var owner = job is null ? null : recurring.FirstOrDefault(r => r.Job?.Type == job.Type && r.Job.Method.Name == job.Method.Name);
        return owner is not null
            ? JobDescriptions.Of(owner.Id).Name
            : job is null ? "Okänt jobb" : $"Annat jobb ({job.Type.Name}.{job.Method.Name})";
    }

    private static string? ShortType(string? exceptionType) => exceptionType?.Split('.').Last();

    /// <summary>Hangfire's name of a job's state, in Swedish.</summary>
    public static string StateText(string? state) => state switch
    {
        null => "Har inte körts sedan appen startade",
        "Succeeded" => "Lyckades",
        "Failed" => "Misslyckades",
        "Processing" => "Körs just nu",
        "Enqueued" => "Väntar i kön",
        "Scheduled" => "Misslyckades, försöker igen snart",
        "Deleted" => "Avbröts",
        "Awaiting" => "Väntar på ett annat jobb",
        _ => state,
    };

    public sealed record JobRow(RecurringJobDto Job, JobDescription Description)
    {
        public string Schedule => JobSchedule.Describe(Job.Cron, Job.TimeZoneId);
    }

    public sealed record FailureRow(string JobId, DateTime? At, string JobName, string Message, string? ExceptionType);
}
