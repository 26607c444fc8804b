using Markdig.Helpers;
using Markdig.Parsers;

namespace Nanolearning.Courses.Facts;

/// <summary>
/// Reads <c>{{name}}</c> on one line. Any such pair of braces is a fact reference, so a misspelt name is reported
/// instead of reaching the learner as braces. Code spans are not parsed for inlines, so <c>`{{x}}`</c> stays text.
/// </summary>
internal sealed class FactParser : InlineParser
{
    private const int MaxNameLength = 64;

    public FactParser() => OpeningCharacters = ['{'];

    public override bool Match(InlineProcessor processor, ref StringSlice slice)
    {
        if (slice.PeekCharExtra(1) != '{')
        {
            return false;
        }

        var text = slice.Text;
        var start = slice.Start;
        var nameStart = start + 2;
        var end = -1;
        for (var i = nameStart; i <= slice.End - 1 && i - nameStart <= MaxNameLength; i++)
        {
            var c = text[i];
            if (c is '\n' or '\r' or '{')
            {
                return false;
            }

            if (c == '}' && text[i + 1] == '}')
            {
                end = i;
                break;
            }
        }

        if (end < 0)
        {
            return false;
        }

        var position = processor.GetSourcePosition(start, out var line, out var column);
        processor.Inline = new FactInline
        {
            Name = text[nameStart..end].Trim(),
            Written = text[start..(end + 2)],
            Span = new(position, position + end + 1 - start),
            Line = line,
            Column = column,
        };
        slice.Start = end + 2;
        return true;
    }
}
