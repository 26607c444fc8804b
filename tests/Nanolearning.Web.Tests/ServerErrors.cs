using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Nanolearning.Web.Tests;

/// <summary>Collects the app's error logs, so a test that meets a 500 can say what went wrong on the server.</summary>
public sealed class ServerErrors : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _errors = new();

    public string Latest => _errors.IsEmpty ? "(no server errors logged)" : string.Join("\n---\n", _errors.TakeLast(3));

    /// <summary>Every error the app has logged, oldest first.</summary>
    public IReadOnlyList<string> All => [.. _errors];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(ServerErrors sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                sink._errors.Enqueue($"{formatter(state, exception)}\n{exception}");
            }
        }
    }
}
