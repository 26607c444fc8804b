using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// What is wrong with a whole delivery channel right now: the mail server (<see cref="Smtp"/>) or the external LRS
/// (<see cref="Lrs"/>). One row per channel while it fails, gone once a delivery succeeds. It is what the admin pages
/// show during an outage (the last error, since when), and, while <see cref="PausedUntil"/> lies ahead, it holds
/// back the whole channel instead of every message or batch finding out again by itself.
/// </summary>
public sealed class DeliveryProblem
{
    public const string Smtp = "smtp";

    public const string Lrs = "lrs";

    /// <summary><see cref="Smtp"/> or <see cref="Lrs"/>.</summary>
    public required string Channel { get; set; }

    /// <summary>The first failure of this run of failures (UTC).</summary>
    public DateTime Since { get; set; }

    /// <summary>The latest failure (UTC).</summary>
    public DateTime LastAt { get; set; }

    /// <summary>Failures in a row; the LRS's pause grows with them.</summary>
    public int Failures { get; set; }

    /// <summary>
    /// True when the mail server refuses everything (a login, relay or policy 5xx): nothing is sent until a test
    /// send succeeds or an admin resumes. False for a server that is down or asks us to wait (4xx).
    /// </summary>
    public bool Refusing { get; set; }

    /// <summary>Nothing goes out on this channel before this time (UTC), except the one test send; null: not paused.</summary>
    public DateTime? PausedUntil { get; set; }

    /// <summary>The SMTP reply code or HTTP status, when there was one.</summary>
    public int? Code { get; set; }

    /// <summary>What the server said (or the network error), for admins.</summary>
    public required string Reason { get; set; }

    /// <summary>
    /// Records a failure: one SQL statement (SQLite and PostgreSQL), so two senders failing at once leave one row and
    /// the first failure's time.
    /// </summary>
    public static Task RecordAsync(AppDbContext db, string channel, DateTime now, bool refusing, DateTime? pausedUntil, int? code, string reason, CancellationToken cancel) =>
        db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO "DeliveryProblems" ("Channel", "Since", "LastAt", "Failures", "Refusing", "PausedUntil", "Code", "Reason")
            VALUES ({0}, {1}, {1}, 1, {2}, {3}, {4}, {5})
            ON CONFLICT ("Channel") DO UPDATE SET "LastAt" = {1}, "Failures" = "DeliveryProblems"."Failures" + 1,
                "Refusing" = {2}, "PausedUntil" = {3}, "Code" = {4}, "Reason" = {5}
            """,
            [channel, now, refusing, Nullable(db, pausedUntil), Nullable(db, code), reason.Length > 1000 ? reason[..1000] : reason], cancel);

    /// <summary>EF maps no type for a bare null in raw SQL: a parameter of the provider's own carries it.</summary>
    private static object Nullable<T>(AppDbContext db, T? value)
        where T : struct
    {
        if (value is { } present)
        {
            return present;
        }

        using var command = db.Database.GetDbConnection().CreateCommand();
        var parameter = command.CreateParameter();
        parameter.Value = DBNull.Value;
        return parameter;
    }

    /// <summary>A delivery went through: the channel works again.</summary>
    public static Task<int> ClearAsync(AppDbContext db, string channel, CancellationToken cancel) =>
        db.DeliveryProblems.Where(p => p.Channel == channel).ExecuteDeleteAsync(cancel);
}

public sealed class DeliveryProblemConfiguration : IEntityTypeConfiguration<DeliveryProblem>
{
    public void Configure(EntityTypeBuilder<DeliveryProblem> problem)
    {
        problem.HasKey(p => p.Channel);
        problem.Property(p => p.Channel).HasMaxLength(20);
        problem.Property(p => p.Reason).HasMaxLength(1000);
    }
}
