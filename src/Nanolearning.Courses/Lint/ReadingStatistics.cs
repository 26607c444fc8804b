using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Nanolearning.Courses.Lint;

/// <summary>
/// Counts words, sentences and long words of the text a learner reads, for reading time and LIX
/// (läsbarhetsindex: words per sentence + percentage of words longer than six letters).
/// </summary>
internal sealed class ReadingStatistics
{
    public int Words { get; private set; }
    public int Sentences { get; private set; }
    public int LongWords { get; private set; }

    public static double Lix(int words, int sentences, int longWords) =>
        words == 0 ? 0 : (double)words / Math.Max(sentences, 1) + 100.0 * longWords / words;

    public double Lix() => Lix(Words, Sentences, LongWords);

    private readonly Stack<Block> _stack = new();

    /// <summary>Adds the text of every paragraph, heading and table cell below <paramref name="root"/>; code is skipped.</summary>
    public void Add(Block root)
    {
        var stack = _stack;
        stack.Push(root);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case ContainerBlock container:
                    for (var i = container.Count - 1; i >= 0; i--)
                    {
                        stack.Push(container[i]);
                    }

                    break;
                case LeafBlock { Inline: { } inline } leaf when leaf is not CodeBlock:
                    AddBlockText(inline);
                    break;
            }
        }
    }

    /// <summary>A block of text ends a sentence even without a full stop: headings and list items rarely have one.</summary>
    private void AddBlockText(ContainerInline inline)
    {
        var wordsBefore = Words;
        var endedWithTerminator = AddInlines(inline, endedWithTerminator: false);
        if (Words > wordsBefore && !endedWithTerminator)
        {
            Sentences++;
        }
    }

    /// <summary>
    /// The literal text below <paramref name="container"/> in reading order. Recursive: the compiler has checked the
    /// nesting depth before any statistics are taken, and Markdig's own Descendants() costs an iterator per level.
    /// </summary>
    private bool AddInlines(ContainerInline container, bool endedWithTerminator)
    {
        for (var child = container.FirstChild; child is not null; child = child.NextSibling)
        {
            endedWithTerminator = child switch
            {
                LiteralInline literal => AddText(literal.Content.AsSpan(), endedWithTerminator),
                ContainerInline nested => AddInlines(nested, endedWithTerminator),
                _ => endedWithTerminator,
            };
        }

        return endedWithTerminator;
    }

    /// <summary>Counts words and sentence ends; returns whether the last non-space character ended a sentence.</summary>
    private bool AddText(ReadOnlySpan<char> text, bool endedWithTerminator)
    {
        var letters = 0;
        var inWord = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (!inWord)
                {
                    inWord = true;
                    letters = 0;
                }

                if (char.IsLetter(c))
                {
                    letters++;
                }

                endedWithTerminator = false;
                continue;
            }

            if (inWord && (c == '-' || c == '\u00AD'))
            {
                continue; // "anhörig-stöd" is one word
            }

            if (inWord)
            {
                EndWord(letters);
                inWord = false;
            }

            if (c is '.' or '!' or '?' or ':')
            {
                if (!endedWithTerminator && Words > 0)
                {
                    Sentences++;
                }

                endedWithTerminator = true;
            }
        }

        if (inWord)
        {
            EndWord(letters);
        }

        return endedWithTerminator;
    }

    private void EndWord(int letters)
    {
        Words++;
        if (letters > 6)
        {
            LongWords++;
        }
    }
}
