namespace Nanolearning.Web.Features.Xapi;

/// <summary>
/// Outbox row for one learning event, written in the same transaction as the progress it describes. Its id is the
/// future xAPI statement id, so delivery can be retried without creating duplicates.
/// </summary>
public sealed class LearningEvent
{
    public Guid Id { get; set; }

    public Guid EnrolmentId { get; set; }

    public int LearnerId { get; set; }

    public LearningVerb Verb { get; set; }

    public required string CourseId { get; set; }

    public required string CourseVersion { get; set; }

    public string? LessonId { get; set; }

    public string? QuestionId { get; set; }

    public bool? Success { get; set; }

    /// <summary>Score in 0–1, on passed and failed only.</summary>
    public double? ScoreScaled { get; set; }

    /// <summary>
    /// A graded answer's chosen option ids; null for a reflection, whose text is stored only in its
    /// <see cref="Learning.Answer"/> and never sent (docs/xapi.md).
    /// </summary>
    public string? Response { get; set; }

    public DateTime OccurredAt { get; set; }

    /// <summary>Null until the statement has reached the LRS.</summary>
    public DateTime? DeliveredAt { get; set; }

    /// <summary>Failed attempts to deliver it so far; the wait before the next one grows with them.</summary>
    public int DeliveryAttempts { get; set; }

    /// <summary>When delivery last failed (UTC).</summary>
    public DateTime? LastAttemptAt { get; set; }

    /// <summary>Not to be sent again before this time (UTC), after a failed attempt; null when never failed.</summary>
    public DateTime? NextAttemptAt { get; set; }

    /// <summary>
    /// When delivery gave up: the LRS refused this statement (400) <see cref="Features.Xapi.StatementDelivery.MaxRefusals"/>
    /// times. It is shown to admins and sent again only when one asks. Null while it is still delivered.
    /// </summary>
    public DateTime? GivenUpAt { get; set; }

    /// <summary>Why the last attempt failed, for admins (the LRS's status and message, or the network error).</summary>
    public string? LastDeliveryError { get; set; }
}

/// <summary>The ADL verbs the app emits.</summary>
public enum LearningVerb
{
    Launched,
    Experienced,
    Answered,
    Passed,
    Failed,
    Completed,
}
