namespace Nanolearning.Xapi;

/// <summary>The outcome: score, success, completion, the response given and how long it took.</summary>
public sealed record Result
{
    public Score? Score { get; init; }
    public bool? Success { get; init; }
    public bool? Completion { get; init; }
    public string? Response { get; init; }

    /// <summary>How long it took; never negative (written as ISO 8601, e.g. <c>PT4M30.5S</c>).</summary>
    public TimeSpan? Duration
    {
        get;
        init => field = value < TimeSpan.Zero
            ? throw new ArgumentOutOfRangeException(nameof(Duration), value, "An xAPI duration cannot be negative.")
            : value;
    }

    public Extensions? Extensions { get; init; }
}

/// <summary>A score: <see cref="Scaled"/> in [-1, 1]; <see cref="Raw"/> within <see cref="Min"/> and <see cref="Max"/>.</summary>
public sealed record Score
{
    public double? Scaled { get; init; }
    public double? Raw { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
}
