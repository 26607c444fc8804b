using System.Diagnostics;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// The kommun-wide follow-up figures, counted once and shared by every page that shows the whole kommun (the admin's
/// kommun view, the nämnd report, an admin's start page and the kommun's unit page). Loading them reads every learner,
/// assignment and enrolment, about a second with 60 000 employees, too slow for each request; the figures are
/// day-level statistics, so figures at most <see cref="FollowUpOptions.SnapshotMinutes"/> old serve as well.
/// </summary>
/// <remarks>
/// Counted again by the recurring job (<see cref="KeepFreshAsync"/>), by an admin's "Räkna om nu", and by the first
/// page that finds none, or finds them too old or of another day. One count runs at a time: whoever asks while it runs
/// waits for the same one. Person-level pages never use this: they always read live data.
/// </remarks>
public sealed class MunicipalitySnapshot(
    IServiceScopeFactory scopes, IOptions<NanolearningOptions> options, IOptions<FollowUpOptions> followUp, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<MunicipalitySnapshot> log)
{
    private readonly Lock _gate = new();
    private SnapshotFigures? _latest;
    private Task<SnapshotFigures>? _computing;
    private int _computations;

    /// <summary>How many times the figures have been counted since the app started.</summary>
    public int Computations => Volatile.Read(ref _computations);

    /// <summary>The figures, counted now if there are none younger than the setting's minutes and of today.</summary>
    public Task<SnapshotFigures> CurrentAsync(CancellationToken cancel)
    {
        lock (_gate)
        {
            if (_latest is { } latest && IsFresh(latest))
            {
                return Task.FromResult(latest);
            }

            return (_computing ??= ComputeAsync()).WaitAsync(cancel);
        }
    }

    /// <summary>Counts the figures again, whatever their age (or waits for a count already running): "Räkna om nu".</summary>
    public async Task RefreshAsync(CancellationToken cancel)
    {
        Task<SnapshotFigures> computing;
        lock (_gate)
        {
            computing = _computing ??= ComputeAsync();
        }

        await computing.WaitAsync(cancel);
    }

    /// <summary>
    /// The recurring job: counts again once the figures are half their allowed age, so a page rarely finds them too old.
    /// Until a page has asked there is nothing to keep fresh, and figures counted moments ago are not counted again.
    /// </summary>
    public Task KeepFreshAsync(CancellationToken cancel)
    {
        lock (_gate)
        {
            if (_latest is not { } latest || (IsFresh(latest) && time.GetUtcNow() - latest.ComputedAt < TimeSpan.FromMinutes(followUp.Value.SnapshotMinutes / 2.0)))
            {
                return Task.CompletedTask;
            }
        }

        return RefreshAsync(cancel);
    }

    private bool IsFresh(SnapshotFigures figures) =>
        time.GetUtcNow() - figures.ComputedAt < TimeSpan.FromMinutes(followUp.Value.SnapshotMinutes)
        && figures.Figures.Today == Format.Today(time);

    /// <summary>
    /// One count, shared by all who wait for it, so it runs on the app's stopping token rather than any one
    /// request's: a visitor who leaves does not cancel the others' figures.
    /// </summary>
    private async Task<SnapshotFigures> ComputeAsync()
    {
        try
        {
            // Out of the lock before any work: the caller holds it while this method runs up to its first await.
            await Task.Yield();
            var computedAt = time.GetUtcNow();
            var clock = Stopwatch.StartNew();
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var figures = await FollowUpFigures.LoadAsync(
                db, options.Value, unitIds: null, Format.Today(time), withNames: false, lifetime.ApplicationStopping);
            _ = figures.CourseIds;
            var snapshot = new SnapshotFigures(figures, computedAt);
            Interlocked.Increment(ref _computations);
            log.LogInformation("Counted the kommun's follow-up figures ({Learners} learners) in {Elapsed} ms.",
                figures.Learners.Count, clock.ElapsedMilliseconds);
            lock (_gate)
            {
                _latest = snapshot;
                _computing = null;
            }

            return snapshot;
        }
        catch
        {
            lock (_gate)
            {
                _computing = null;
            }

            throw;
        }
    }
}

/// <summary>The kommun's figures and the instant they were counted (UTC).</summary>
public sealed record SnapshotFigures(FollowUpFigures Figures, DateTimeOffset ComputedAt)
{
    /// <summary>
    /// When the figures were counted and how often, as the pages and the exports say it: "Siffrorna räknades i dag
    /// kl. 10.15 och räknas om var tionde minut."
    /// </summary>
    public string Stamp(TimeProvider time, int snapshotMinutes)
    {
        var counted = TimeZoneInfo.ConvertTime(ComputedAt, Format.Stockholm);
        var day = DateOnly.FromDateTime(counted.DateTime) == Format.Today(time)
            ? "i dag"
            : $"den {Format.Date(DateOnly.FromDateTime(counted.DateTime))}";
        return $"Siffrorna räknades {day} kl. {counted.ToString("HH'.'mm", System.Globalization.CultureInfo.InvariantCulture)} och räknas om {Every(snapshotMinutes)}.";
    }

    private static string Every(int minutes) => minutes switch
    {
        1 => "varje minut",
        2 => "varannan minut",
        3 => "var tredje minut",
        4 => "var fjärde minut",
        5 => "var femte minut",
        6 => "var sjätte minut",
        10 => "var tionde minut",
        12 => "var tolfte minut",
        15 => "varje kvart",
        20 => "var tjugonde minut",
        30 => "varje halvtimme",
        60 => "varje timme",
        _ => $"var {minutes}:e minut",
    };
}
