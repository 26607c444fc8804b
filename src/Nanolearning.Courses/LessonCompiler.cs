using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.CustomContainers;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Nanolearning.Courses.Facts;
using Nanolearning.Courses.Lint;
using Nanolearning.Courses.Quiz;
using Nanolearning.Courses.Yaml;

namespace Nanolearning.Courses;

/// <summary>A lesson file found in a course folder: <c>01-vad-ar-en-anhorig.md</c> is number 1, id <c>vad-ar-en-anhorig</c>.</summary>
internal sealed record LessonFile(string Path, string DisplayPath, string FileName, int Number, string Id);

/// <summary>A compiled lesson with the positions the course-level checks need.</summary>
internal sealed record LessonResult(
    Lesson Lesson,
    LessonFile File,
    (int Line, int Column) FrontMatterStart,
    ImmutableArray<Located<string>> SourceIds,
    ImmutableArray<Discussion> Discussions);

/// <summary>Compiles one lesson file: front matter, content checks, questions, reading figures.</summary>
internal sealed partial class LessonCompiler(CompilerOptions options)
{
    private static readonly string[] FrontMatterFields = ["title", "minutes", "sources", "graded"];

    private readonly FragmentRenderer _renderer = new();

    // lessonIdsByFileName holds every lesson of the course, so links between lessons can be checked and rewritten.
    public LessonResult? Compile(LessonFile file, string courseFolder, IReadOnlyDictionary<string, string> lessonIdsByFileName, DiagnosticBag diagnostics)
    {
        var text = SourceText.Read(file.Path, file.DisplayPath, options, diagnostics);
        if (text is null)
        {
            return null;
        }

        diagnostics.SetLineCount(file.DisplayPath, text.AsSpan().Count('\n') + 1);
        MarkdownDocument document;
        try
        {
            document = Markdown.Parse(text, CourseMarkdown.Pipeline);
        }
        catch (ArgumentException)
        {
            // Markdig refuses input nested beyond its own depth limit; that is the only ArgumentException it throws.
            diagnostics.Error(DiagnosticCode.NestingTooDeep, file.DisplayPath, 1, 1,
                "Texten är för djupt nästlad (listor i listor, citat i citat eller block i block) för att kunna läsas. Gör strukturen plattare.");
            return null;
        }

        var frontMatter = ReadFrontMatter(document, text, file, diagnostics);

        var nodes = LessonNodes.Collect(document, options.MaxNestingDepth);
        if (nodes.TooDeep is { } tooDeep)
        {
            ReportTooDeep(tooDeep, file, diagnostics);
            return null;
        }

        new LinkChecker(file.DisplayPath, courseFolder, lessonIdsByFileName, diagnostics).Check(nodes.Links);
        ReportUnsafeHtml(nodes.RawHtml, file, diagnostics);
        ReportUnknownFacts(nodes.Facts, file, diagnostics);

        var reader = new BlockReader(file.DisplayPath, diagnostics, _renderer);
        var lines = text.Split('\n');
        var parts = ImmutableArray.CreateBuilder<LessonPart>();
        var discussions = ImmutableArray.CreateBuilder<Discussion>();
        var statistics = new ReadingStatistics();
        var pending = new List<Block>();
        var questionCount = 0;

        foreach (var block in document)
        {
            if (block is YamlFrontMatterBlock)
            {
                continue;
            }

            if (block is not CustomContainer container)
            {
                pending.Add(block);
                statistics.Add(block);
                continue;
            }

            CheckContainer(container, file, diagnostics);
            switch (container.Info)
            {
                case BlockReader.QuizName or BlockReader.ReflectionName:
                    statistics.Add(container);
                    FlushHtml(pending, parts);
                    var id = $"{file.Id}-{++questionCount}";
                    var question = container.Info == BlockReader.QuizName
                        ? reader.ReadQuiz(container, id, container.Line < lines.Length ? lines[container.Line].TrimEnd('\r') : "")
                        : reader.ReadReflection(container, id);
                    if (question is not null)
                    {
                        parts.Add(new QuestionPart(question));
                    }

                    break;
                case BlockReader.DiscussionName:
                    if (reader.ReadDiscussion(container, file.Id) is { } discussion)
                    {
                        discussions.Add(discussion);
                    }

                    break;
            }
        }

        FlushHtml(pending, parts);

        if (statistics.Words == 0 && questionCount == 0)
        {
            var line = frontMatter?.EndLine ?? 1;
            diagnostics.Error(DiagnosticCode.LessonEmpty, file.DisplayPath, line, 1,
                "Lektionen har ingen text. Skriv lektionens innehåll under blocket med title och minutes.");
        }

        if (frontMatter is null)
        {
            return null;
        }

        // A lesson that names its sources promises that what it teaches can be traced; then each quiz must say which
        // source holds its right answer. This is a warning, not an error: a kommun's courses written before quizzes
        // had sources must keep publishing their edits after an upgrade. The shipped courses allow no warnings.
        if (frontMatter.Sources.Count > 0)
        {
            foreach (var (line, column) in reader.QuizzesWithoutSource)
            {
                diagnostics.Warning(DiagnosticCode.QuizSourceMissing, file.DisplayPath, line, column,
                    "Quizet säger inte vilken källa det rätta svaret bygger på. Skriv källans id efter quiz, till exempel '::: quiz källa: nka-2024-1'.");
            }
        }

        var questions = parts.OfType<QuestionPart>().Count();
        var estimated = statistics.Words / options.WordsPerMinute + questions * options.MinutesPerQuestion;
        var lessonStatistics = new LessonStatistics(statistics.Words, statistics.Sentences, statistics.LongWords,
            Math.Round(estimated, 1), Math.Round(statistics.Lix(), 1));
        Lint(file, frontMatter, lessonStatistics, diagnostics);

        var partsArray = parts.ToImmutable();
        var lesson = new Lesson(
            file.Id,
            file.Number,
            frontMatter.Title,
            frontMatter.Minutes.Value,
            frontMatter.Graded,
            [.. frontMatter.Sources.Select(s => s.Reference)],
            partsArray,
            lessonStatistics,
            Hash(partsArray));
        return new LessonResult(lesson, file, frontMatter.Start, [.. frontMatter.Sources.Select(s => s.SourceId), .. reader.QuizSources], discussions.ToImmutable());
    }

    private void FlushHtml(List<Block> pending, ImmutableArray<LessonPart>.Builder parts)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var html = _renderer.SafeBlocks(pending);
        pending.Clear();
        if (!string.IsNullOrWhiteSpace(html))
        {
            parts.Add(new HtmlPart(html));
        }
    }

    private sealed record FrontMatter(
        string Title,
        Located<int> Minutes,
        bool Graded,
        List<(SourceReference Reference, Located<string> SourceId)> Sources,
        (int Line, int Column) Start,
        int EndLine);

    private static FrontMatter? ReadFrontMatter(MarkdownDocument document, string text, LessonFile file, DiagnosticBag diagnostics)
    {
        if (document.Count == 0 || document[0] is not YamlFrontMatterBlock block)
        {
            var message = text.StartsWith("---", StringComparison.Ordinal)
                ? "Blocket med lektionens uppgifter stängs aldrig. Avsluta det med en rad med bara ---."
                : "Lektionen ska börja med ett block mellan två rader med ---, med title och minutes.";
            diagnostics.Error(DiagnosticCode.FrontMatterMissing, file.DisplayPath, 1, 1, message);
            return null;
        }

        var start = (block.Line + 1, block.Column + 1);
        var endLine = block.Line + block.Lines.Count + 2;
        // The block's lines are the YAML between the fences; the first of them is the line after the opening ---.
        var fields = YamlFields.Parse(block.Lines.ToString(), file.DisplayPath, block.Line + 1, start, diagnostics);
        if (fields is null)
        {
            return null;
        }

        fields.RejectUnknown(FrontMatterFields);
        var title = fields.String("title", required: true);
        KommunFacts.ReportOutsideText(title?.Value, "lektionens titel", file.DisplayPath, title?.Line ?? 0, title?.Column ?? 0, diagnostics);
        var minutes = fields.Integer("minutes", 1, 15, required: true);
        var graded = fields.Boolean("graded");
        var sources = new List<(SourceReference, Located<string>)>();
        foreach (var source in fields.MappingList("sources"))
        {
            source.RejectUnknown("source", "section");
            if (source.String("source", required: true) is { } id)
            {
                sources.Add((new SourceReference(id.Value, source.String("section", required: false)?.Value), id));
            }
        }

        return title is null || minutes is null ? null : new FrontMatter(title.Value, minutes, graded, sources, start, endLine);
    }

    /// <summary>Absurdly deep nesting is refused before anything recursive (rendering, sanitizing) touches the tree.</summary>
    private void ReportTooDeep(MarkdownObject node, LessonFile file, DiagnosticBag diagnostics)
    {
        var (line, column) = node switch
        {
            Block b => (b.Line + 1, b.Column + 1),
            Inline i => (i.Line + 1, i.Column + 1),
            _ => (1, 1),
        };
        diagnostics.Error(DiagnosticCode.NestingTooDeep, file.DisplayPath, line, column,
            $"Texten är nästlad i mer än {options.MaxNestingDepth} nivåer (listor i listor eller citat i citat). Gör strukturen plattare.");
    }

    private static void CheckContainer(CustomContainer container, LessonFile file, DiagnosticBag diagnostics)
    {
        if (!BlockReader.IsKnown(container.Info))
        {
            diagnostics.Error(DiagnosticCode.UnknownBlock, file.DisplayPath, container.Line + 1, container.Column + 1, string.IsNullOrEmpty(container.Info)
                ? "Raden ::: börjar ett block utan namn. Skriv ::: quiz, ::: reflektion eller ::: diskussion, eller ta bort raden om blocket redan är avslutat."
                : $"Okänt block ':::{container.Info}'. Använd ::: quiz, ::: reflektion eller ::: diskussion.");
        }

        if (container.ClosingFencedCharCount == 0)
        {
            diagnostics.Error(DiagnosticCode.BlockNotClosed, file.DisplayPath, container.Line + 1, container.Column + 1,
                "Blocket avslutas aldrig. Skriv en rad med bara ::: efter blockets sista rad.");
        }

        foreach (var nested in container.Descendants<CustomContainer>())
        {
            diagnostics.Error(DiagnosticCode.UnexpectedContentInBlock, file.DisplayPath, nested.Line + 1, nested.Column + 1,
                "Ett block kan inte ligga inuti ett annat block. Avsluta det första blocket med ::: innan nästa börjar.");
        }
    }

    /// <summary>
    /// Tells the author which raw HTML will be removed. The removal itself happens when each fragment holding raw
    /// HTML is sanitized; this only locates it.
    /// </summary>
    private static void ReportUnsafeHtml(List<MarkdownObject> rawHtml, LessonFile file, DiagnosticBag diagnostics)
    {
        var removed = new List<string>();
        Ganss.Xss.HtmlSanitizer? sanitizer = null;
        foreach (var node in rawHtml)
        {
            var (html, line, column) = node switch
            {
                HtmlBlock block => (block.Lines.ToString(), block.Line + 1, block.Column + 1),
                HtmlInline inline => (inline.Tag, inline.Line + 1, inline.Column + 1),
                _ => throw new InvalidOperationException($"Not raw HTML: {node.GetType().Name}"),
            };
            removed.Clear();
            sanitizer ??= CourseMarkdown.CreateReportingSanitizer(removed.Add);
            sanitizer.Sanitize(html);
            if (removed.Count > 0)
            {
                diagnostics.Warning(DiagnosticCode.UnsafeHtmlRemoved, file.DisplayPath, line, column,
                    $"HTML-koden tas bort av säkerhetsskäl: {string.Join(", ", removed.Distinct())}.");
            }
        }
    }

    private static void ReportUnknownFacts(List<FactInline> facts, LessonFile file, DiagnosticBag diagnostics)
    {
        foreach (var fact in facts.Where(f => !KommunFacts.IsKnown(f.Name)))
        {
            diagnostics.Error(DiagnosticCode.UnknownFact, file.DisplayPath, fact.Line + 1, fact.Column + 1,
                $"Okänd kommunfakta '{fact.Written}'. Använd någon av: {string.Join(", ", KommunFacts.All.Select(f => "{{" + f.Name + "}}"))}.");
        }
    }

    private void Lint(LessonFile file, FrontMatter frontMatter, LessonStatistics statistics, DiagnosticBag diagnostics)
    {
        var estimated = statistics.EstimatedMinutes;
        if (estimated > frontMatter.Minutes.Value)
        {
            diagnostics.Warning(DiagnosticCode.LessonLongerThanMinutes, file.DisplayPath, frontMatter.Minutes.Line, frontMatter.Minutes.Column,
                string.Create(Swedish.Culture, $"Lektionen tar ungefär {estimated:0.0} minuter ({statistics.Words} ord), men minutes är {frontMatter.Minutes.Value}. Korta texten eller ändra minutes."));
        }

        var longest = Math.Max(estimated, frontMatter.Minutes.Value);
        if (longest > options.NanoLessonMaxMinutes)
        {
            diagnostics.Warning(DiagnosticCode.LessonLongerThanNano, file.DisplayPath, frontMatter.Start.Line, frontMatter.Start.Column,
                string.Create(Swedish.Culture, $"Lektionen tar ungefär {longest:0.#} minuter. En nanolektion bör ta högst {options.NanoLessonMaxMinutes:0} minuter; dela upp den."));
        }

        // LIX says little about a handful of words.
        if (statistics.Words >= 50 && statistics.Lix > options.LixWarningLevel)
        {
            diagnostics.Warning(DiagnosticCode.ReadabilityTooHard, file.DisplayPath, frontMatter.Start.Line, frontMatter.Start.Column,
                string.Create(Swedish.Culture, $"Texten är svårläst: LIX {statistics.Lix:0} (sikta på högst {options.LixWarningLevel:0}). Skriv kortare meningar och välj vardagliga ord."));
        }
    }

    private static string Hash(ImmutableArray<LessonPart> parts)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(parts);
        return Convert.ToHexStringLower(SHA256.HashData(json));
    }

    [GeneratedRegex(@"^(?<number>\d{1,4})-(?<id>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")]
    internal static partial Regex LessonFileName();
}
