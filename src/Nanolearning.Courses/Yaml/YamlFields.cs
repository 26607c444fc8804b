using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Nanolearning.Courses.Yaml;

/// <summary>
/// Reads a YAML mapping of known fields (course.yml or a lesson's front matter) and reports every problem with
/// its position instead of stopping at the first, which a typed deserializer would do.
/// </summary>
internal sealed class YamlFields
{
    private readonly YamlMappingNode _map;
    private readonly string _file;
    private readonly int _lineOffset;
    private readonly (int Line, int Column) _start;
    private readonly DiagnosticBag _diagnostics;

    private YamlFields(YamlMappingNode map, string file, int lineOffset, (int, int) start, DiagnosticBag diagnostics)
    {
        _map = map;
        _file = file;
        _lineOffset = lineOffset;
        _start = start;
        _diagnostics = diagnostics;
    }

    /// <summary>
    /// Parses <paramref name="yaml"/>, whose first line is line <paramref name="lineOffset"/> + 1 of the file.
    /// Anchors and aliases are refused and depth and size are bounded before any tree is built, so a
    /// "billion laughs" document costs nothing. <paramref name="maxEvents"/> bounds the number of values.
    /// </summary>
    public static YamlFields? Parse(
        string yaml, string file, int lineOffset, (int Line, int Column) start, DiagnosticBag diagnostics, int maxEvents = GuardedParser.FieldBlockEvents)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new GuardedParser(new Parser(new StringReader(yaml)), maxEvents));
            var root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
            if (root is YamlMappingNode map)
            {
                return new YamlFields(map, file, lineOffset, start, diagnostics);
            }

            var (line, column) = root is null ? start : (Line(root.Start, lineOffset), Column(root.Start));
            diagnostics.Error(DiagnosticCode.InvalidValue, file, line, column,
                "Här ska det stå fält på formen 'namn: värde', till exempel 'title: Vad är en anhörig?'.");
            return null;
        }
        catch (TooComplexException e)
        {
            diagnostics.Error(DiagnosticCode.YamlTooComplex, file, Line(e.Start, lineOffset), Column(e.Start), e.Message);
            return null;
        }
        catch (YamlException e)
        {
            diagnostics.Error(DiagnosticCode.YamlSyntax, file, Line(e.Start, lineOffset), Column(e.Start), Describe(e));
            return null;
        }
    }

    /// <summary>Reports every key that is not in <paramref name="allowed"/>.</summary>
    public void RejectUnknown(params string[] allowed)
    {
        foreach (var key in _map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                Error(DiagnosticCode.UnknownField, key, $"Okänt fält '{name}'. Tillåtna fält: {string.Join(", ", allowed)}.");
            }
        }
    }

    public Located<string>? String(string key, bool required)
    {
        var node = Find(key, required);
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode { Value: { Length: > 0 } value } scalar when !IsNull(scalar):
                return new(value.Trim(), Line(node.Start, _lineOffset), Column(node.Start));
            default:
                Error(DiagnosticCode.InvalidValue, node, $"Fältet '{key}' ska vara en text.");
                return null;
        }
    }

    public Located<int>? Integer(string key, int min, int max, bool required)
    {
        var node = Find(key, required);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } text }
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return new(value, Line(node.Start, _lineOffset), Column(node.Start));
        }

        Error(DiagnosticCode.InvalidValue, node, $"Fältet '{key}' ska vara ett heltal från {min} till {max}.");
        return null;
    }

    public bool Boolean(string key)
    {
        var node = Find(key, required: false);
        switch (node)
        {
            case null:
                return false;
            case YamlScalarNode { Value: { } text } when bool.TryParse(text, out var value):
                return value;
            default:
                Error(DiagnosticCode.InvalidValue, node, $"Fältet '{key}' ska vara true eller false.");
                return false;
        }
    }

    /// <summary>A list of texts; a single text is accepted as a list of one.</summary>
    public List<Located<string>>? StringList(string key, bool required)
    {
        var node = Find(key, required);
        if (node is YamlScalarNode scalar && !IsNull(scalar))
        {
            return [new(scalar.Value!.Trim(), Line(node.Start, _lineOffset), Column(node.Start))];
        }

        if (node is not YamlSequenceNode sequence)
        {
            if (node is not null)
            {
                Error(DiagnosticCode.InvalidValue, node, $"Fältet '{key}' ska vara en lista, till exempel [a, b].");
            }

            return null;
        }

        var items = new List<Located<string>>();
        foreach (var item in sequence)
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } value })
            {
                items.Add(new(value.Trim(), Line(item.Start, _lineOffset), Column(item.Start)));
            }
            else
            {
                Error(DiagnosticCode.InvalidValue, item, $"Varje rad i '{key}' ska vara en text.");
            }
        }

        if (items.Count == 0 && required)
        {
            Error(DiagnosticCode.InvalidValue, node, $"Fältet '{key}' får inte vara tomt.");
        }

        return items;
    }

    /// <summary>A list of small mappings, each read with its own <see cref="YamlFields"/>.</summary>
    public List<YamlFields> MappingList(string key)
    {
        var node = Find(key, required: false);
        if (node is null || node is YamlScalarNode scalar && IsNull(scalar))
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(DiagnosticCode.InvalidValue, node, $"Fältet '{key}' ska vara en lista där varje rad börjar med '-'.");
            return [];
        }

        var result = new List<YamlFields>();
        foreach (var item in sequence)
        {
            if (item is YamlMappingNode map)
            {
                result.Add(new YamlFields(map, _file, _lineOffset, (Line(map.Start, _lineOffset), Column(map.Start)), _diagnostics));
            }
            else
            {
                Error(DiagnosticCode.InvalidValue, item, $"Varje rad i '{key}' ska ha fält på formen 'namn: värde'.");
            }
        }

        return result;
    }

    private YamlNode? Find(string key, bool required)
    {
        if (_map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return node;
        }

        if (required)
        {
            _diagnostics.Error(DiagnosticCode.MissingField, _file, _start.Line, _start.Column, $"Fältet '{key}' saknas.");
        }

        return null;
    }

    private void Error(DiagnosticCode code, YamlNode node, string message) =>
        _diagnostics.Error(code, _file, Line(node.Start, _lineOffset), Column(node.Start), message);

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static int Line(Mark mark, int lineOffset) => (int)mark.Line + lineOffset;

    private static int Column(Mark mark) => (int)mark.Column;

    /// <summary>YamlDotNet's messages are English and technical; authors get the likely cause in Swedish.</summary>
    private static string Describe(YamlException e)
    {
        var message = (e.InnerException as YamlException ?? e).Message;
        if (message.Contains("Mapping values are not allowed", StringComparison.Ordinal) || message.Contains("found invalid mapping", StringComparison.Ordinal))
        {
            return "Ett kolon (:) inne i ett värde kräver citattecken runt värdet, till exempel title: \"Sekretess: vad gäller?\".";
        }

        if (message.Contains("Duplicate key", StringComparison.Ordinal))
        {
            return "Samma fält står två gånger. Ta bort det ena.";
        }

        if (message.Contains("quoted scalar", StringComparison.Ordinal))
        {
            return "Ett citattecken öppnas men stängs aldrig. Avsluta värdet med samma citattecken som det börjar med.";
        }

        return "Raden går inte att läsa som fält. Kontrollera kolon, citattecken och indrag: varje fält skrivs 'namn: värde' och listor med '- ' först.";
    }
}

/// <summary>
/// Hands a parser's events on to <see cref="YamlStream"/>, refusing anchors, aliases, deep nesting and too many
/// events as they pass, so the document is parsed once and a "billion laughs" never gets built.
/// </summary>
internal sealed class GuardedParser(IParser parser, int maxEvents) : IParser
{
    /// <summary>Enough for course.yml and front matter, which hold a few fields.</summary>
    public const int FieldBlockEvents = 5_000;

    private const int MaxDepth = 8;

    private int _depth;
    private int _events;

    public ParsingEvent? Current => parser.Current;

    public bool MoveNext()
    {
        if (!parser.MoveNext())
        {
            return false;
        }

        var current = parser.Current!;
        if (++_events > maxEvents)
        {
            throw new TooComplexException(current.Start, "Blocket är för stort. Här ska bara några få fält stå.");
        }

        switch (current)
        {
            case AnchorAlias or NodeEvent { Anchor.IsEmpty: false }:
                throw new TooComplexException(current.Start, "YAML-referenser (& och *) stöds inte. Skriv ut värdet i stället.");
            case MappingStart or SequenceStart when ++_depth > MaxDepth:
                throw new TooComplexException(current.Start, "Blocket är för djupt nästlat.");
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }

        return true;
    }
}

/// <summary>YAML that is valid but more than front matter needs; the message is for the author.</summary>
internal sealed class TooComplexException(Mark start, string message) : Exception(message)
{
    public Mark Start { get; } = start;
}

/// <summary>A value with the 1-based position it was read from.</summary>
internal sealed record Located<T>(T Value, int Line, int Column);
