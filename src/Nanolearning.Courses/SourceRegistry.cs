using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Nanolearning.Courses.Yaml;

namespace Nanolearning.Courses;

/// <summary>
/// The sources registry, <c>sources.yml</c> beside the course folders: every document a lesson may cite, with what a
/// reader needs to find it. It belongs to the whole course collection (a kommun adds its own documents there), so
/// it is read once per compile and shared by the courses. Immutable once read.
/// </summary>
internal sealed partial class SourceRegistry
{
    private static readonly string[] EntryFields = ["id", "title", "publisher", "year", "url", "notes"];

    private readonly DiagnosticBag _diagnostics;
    private readonly ImmutableHashSet<string> _faultyIds;

    private SourceRegistry(string file, bool exists, ImmutableDictionary<string, CourseSource>? entries, ImmutableHashSet<string> faultyIds, DiagnosticBag diagnostics)
    {
        File = file;
        Exists = exists;
        Entries = entries;
        _faultyIds = faultyIds;
        _diagnostics = diagnostics;
    }

    /// <summary>The path of sources.yml, in the form diagnostics show it.</summary>
    public string File { get; }

    public bool Exists { get; }

    /// <summary>The valid entries by id; null when the file could not be read as a registry at all.</summary>
    public ImmutableDictionary<string, CourseSource>? Entries { get; }

    /// <summary>
    /// Whether the registry has an entry with this id. An entry with errors counts: its errors are reported with the
    /// registry, and calling its citation unknown as well would only send the author looking in the wrong place.
    /// </summary>
    public bool Knows(string id) => Entries?.ContainsKey(id) == true || _faultyIds.Contains(id);

    /// <summary>Adds the registry's own problems to a course that depends on it.</summary>
    public void ReportTo(DiagnosticBag diagnostics) => diagnostics.Add(_diagnostics);

    public static SourceRegistry Read(string file, CompilerOptions options)
    {
        var diagnostics = new DiagnosticBag();
        if (!System.IO.File.Exists(file))
        {
            return new(file, exists: false, null, [], diagnostics);
        }

        var text = SourceText.Read(file, file, options, diagnostics);
        // The registry holds many entries; the file size limit already bounds the work.
        var fields = text is null ? null : YamlFields.Parse(text, file, 0, (1, 1), diagnostics, maxEvents: int.MaxValue);
        if (fields is null)
        {
            return new(file, exists: true, null, [], diagnostics);
        }

        fields.RejectUnknown("sources");
        var entries = ImmutableDictionary.CreateBuilder<string, CourseSource>(StringComparer.Ordinal);
        var faulty = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in fields.MappingList("sources"))
        {
            var errorsBefore = diagnostics.ErrorCount;
            entry.RejectUnknown(EntryFields);
            var id = entry.String("id", required: true);
            var title = entry.String("title", required: true);
            var publisher = entry.String("publisher", required: true);
            var year = entry.Integer("year", 1800, 2100, required: false);
            var url = entry.String("url", required: false);
            entry.String("notes", required: false);

            if (id is not null && !SourceId().IsMatch(id.Value))
            {
                diagnostics.Error(DiagnosticCode.InvalidValue, file, id.Line, id.Column,
                    $"Käll-id '{id.Value}' får bara innehålla små bokstäver a–z, siffror och bindestreck, till exempel sol-2025-400.");
            }

            if (url is not null && !(Uri.TryCreate(url.Value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            {
                diagnostics.Error(DiagnosticCode.InvalidValue, file, url.Line, url.Column,
                    "Fältet 'url' ska vara en webbadress som börjar med https://.");
            }

            if (id is null)
            {
                continue;
            }

            if (!seen.Add(id.Value))
            {
                diagnostics.Error(DiagnosticCode.DuplicateSourceId, file, id.Line, id.Column,
                    $"Källan '{id.Value}' finns redan i sources.yml. Ge varje källa ett eget id.");
                continue;
            }

            if (diagnostics.ErrorCount > errorsBefore || title is null || publisher is null)
            {
                faulty.Add(id.Value);
                continue;
            }

            entries.Add(id.Value, new CourseSource(id.Value, title.Value, publisher.Value, year?.Value, url?.Value));
        }

        return new(file, exists: true, entries.ToImmutable(), faulty.ToImmutable(), diagnostics);
    }

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex SourceId();
}
