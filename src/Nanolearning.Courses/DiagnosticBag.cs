using System.Collections.Immutable;

namespace Nanolearning.Courses;

/// <summary>Collects a course's diagnostics; positions are 1-based.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];
    private readonly Dictionary<string, int> _lineCounts = [];

    public bool HasErrors => ErrorCount > 0;

    public int ErrorCount { get; private set; }

    public void Error(DiagnosticCode code, string file, int line, int column, string message)
    {
        ErrorCount++;
        _items.Add(new Diagnostic(code, Severity.Error, file, line, column, message));
    }

    public void Warning(DiagnosticCode code, string file, int line, int column, string message) =>
        _items.Add(new Diagnostic(code, Severity.Warning, file, line, column, message));

    /// <summary>Adds everything <paramref name="other"/> holds, after what this bag holds already.</summary>
    public void Add(DiagnosticBag other)
    {
        _items.AddRange(other._items);
        ErrorCount += other.ErrorCount;
        foreach (var (file, lines) in other._lineCounts)
        {
            _lineCounts[file] = lines;
        }
    }

    /// <summary>
    /// Markdig sometimes places a node a line or two past the end of the file (found by PropertyTests with random
    /// input); a position the author can open is worth more than one that does not exist.
    /// </summary>
    public void SetLineCount(string file, int lines) => _lineCounts[file] = lines;

    /// <summary>Sorted by file and position, keeping the order of reporting for equal positions.</summary>
    public ImmutableArray<Diagnostic> ToImmutable() =>
        [.. _items
            .Select(d => _lineCounts.TryGetValue(d.File, out var lines) && d.Line > lines ? d with { Line = lines } : d)
            .OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column)];
}
