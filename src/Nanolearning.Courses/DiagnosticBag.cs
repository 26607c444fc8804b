using System.Collections.Immutable;

namespace Nanolearning.Courses;

/// <summary>Collects a course's diagnostics; positions are 1-based.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public bool HasErrors { get; private set; }

    public void Error(DiagnosticCode code, string file, int line, int column, string message)
    {
        HasErrors = true;
        _items.Add(new Diagnostic(code, Severity.Error, file, line, column, message));
    }

    public void Warning(DiagnosticCode code, string file, int line, int column, string message) =>
        _items.Add(new Diagnostic(code, Severity.Warning, file, line, column, message));

    /// <summary>Sorted by file and position, keeping the order of reporting for equal positions.</summary>
    public ImmutableArray<Diagnostic> ToImmutable() =>
        [.. _items.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column)];
}
