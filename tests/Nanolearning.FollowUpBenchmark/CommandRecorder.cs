using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Nanolearning.FollowUpBenchmark;

/// <summary>
/// Records the queries EF Core sends while <see cref="Recording"/>: the SQL and parameters exactly as run (for
/// <c>EXPLAIN QUERY PLAN</c>), and how long each reader was open, from execution to disposal. That span holds SQLite's
/// work, EF's materialisation and the caller's loop body between rows: the query's share of a load.
/// </summary>
internal sealed class CommandRecorder : DbCommandInterceptor
{
    public bool Recording { get; set; }

    public List<RecordedCommand> Commands { get; } = [];

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        if (Recording)
        {
            Commands.Add(new RecordedCommand(
                command.CommandText,
                [.. command.Parameters.Cast<DbParameter>().Select(p => new KeyValuePair<string, object?>(p.ParameterName, p.Value))],
                eventData.Duration,
                eventData.ReadCount));
        }

        return result;
    }
}

internal sealed record RecordedCommand(string Sql, IReadOnlyList<KeyValuePair<string, object?>> Parameters, TimeSpan Duration, int Rows);
