using Markdig.Extensions.CustomContainers;
using Markdig.Extensions.TaskLists;
using System.Text.RegularExpressions;
using Markdig.Syntax;
using Nanolearning.Courses.Facts;
using Nanolearning.Courses.Yaml;

namespace Nanolearning.Courses.Quiz;

/// <summary>
/// Turns the lesson's <c>:::</c> blocks into data: <c>quiz</c> and <c>reflektion</c> become questions,
/// <c>diskussion</c> becomes APT material. The right answers stay data and never reach lesson HTML.
/// </summary>
internal sealed partial class BlockReader(string file, DiagnosticBag diagnostics, FragmentRenderer renderer)
{
    public const string QuizName = "quiz";
    public const string ReflectionName = "reflektion";
    public const string DiscussionName = "diskussion";

    public static bool IsKnown(string? name) => name is QuizName or ReflectionName or DiscussionName;

    /// <summary>The source ids the quizzes name, where they stand, for the course's check against sources.yml.</summary>
    public List<Located<string>> QuizSources { get; } = [];

    /// <summary>Where each quiz without a source starts (line, column), so the lesson can ask for one.</summary>
    public List<(int Line, int Column)> QuizzesWithoutSource { get; } = [];

    /// <summary>Reads a quiz; <paramref name="openingLine"/> is the text of its <c>::: quiz</c> line, to locate a source id.</summary>
    public Question? ReadQuiz(CustomContainer block, string id, string openingLine)
    {
        var sourceId = ReadQuizSource(block, openingLine);
        var prompt = new List<Block>();
        ListBlock? list = null;
        QuoteBlock? explanation = null;
        foreach (var child in block)
        {
            switch (child)
            {
                case ParagraphBlock paragraph when list is null:
                    prompt.Add(paragraph);
                    break;
                case ListBlock optionList when list is null && prompt.Count > 0:
                    list = optionList;
                    break;
                case QuoteBlock quote when list is not null && explanation is null:
                    explanation = quote;
                    break;
                default:
                    Unexpected(child, "Ett quiz består av en fråga, en lista med alternativ och en förklaring (>), i den ordningen.");
                    break;
            }
        }

        if (prompt.Count == 0)
        {
            Error(DiagnosticCode.QuestionTextMissing, block, "Quizet saknar en fråga. Skriv frågan som ett stycke överst i blocket.");
            return null;
        }

        if (list is null)
        {
            Error(DiagnosticCode.QuizOptionsMissing, block, "Quizet saknar svarsalternativ. Skriv dem som en lista: '- [ ]' för fel och '- [x]' för rätt.");
            return null;
        }

        var options = ReadOptions(list);
        if (options is null)
        {
            return null;
        }

        if (options.Count < 2)
        {
            Error(DiagnosticCode.QuizTooFewOptions, list, "Quizet behöver minst två svarsalternativ.");
            return null;
        }

        var correct = options.Count(o => o.IsCorrect);
        if (correct == 0)
        {
            Error(DiagnosticCode.QuizNoCorrectAnswer, list, "Quizet har inget rätt svar. Markera minst ett alternativ med [x].");
            return null;
        }

        if (explanation is null)
        {
            diagnostics.Warning(DiagnosticCode.QuizExplanationMissing, file, block.Line + 1, block.Column + 1,
                "Quizet saknar förklaring. Skriv efter alternativen ett citat (en rad som börjar med >) som förklarar det rätta svaret.");
        }

        return new Question(
            id,
            correct == 1 ? QuestionKind.SingleChoice : QuestionKind.MultipleChoice,
            Html(prompt),
            [.. options],
            explanation is null ? null : Html(explanation),
            sourceId);
    }

    /// <summary>
    /// The opening line may name the source that holds the right answer: <c>::: quiz källa: nka-2024-1</c>. It stands
    /// on the opening line, not inside the block, because a line after the explanation would run into the quote.
    /// </summary>
    private string? ReadQuizSource(CustomContainer block, string openingLine)
    {
        var arguments = block.Arguments?.Trim();
        if (string.IsNullOrEmpty(arguments))
        {
            QuizzesWithoutSource.Add((block.Line + 1, block.Column + 1));
            return null;
        }

        var match = QuizSourceArgument().Match(arguments);
        var at = openingLine.IndexOf(arguments, block.Column, StringComparison.Ordinal);
        if (!match.Success)
        {
            diagnostics.Error(DiagnosticCode.InvalidValue, file, block.Line + 1, at < 0 ? block.Column + 1 : at + 1,
                $"Efter ::: quiz kan bara källan stå, så här: '::: quiz källa: nka-2024-1'. Id:t är källans id i sources.yml. Här står '{arguments}'.");
            return null;
        }

        var value = match.Groups["id"];
        var column = at < 0 ? block.Column + 1 : at + value.Index + 1;
        QuizSources.Add(new Located<string>(value.Value, block.Line + 1, column));
        return value.Value;
    }

    [GeneratedRegex(@"^källa:\s*(?<id>\S+)$")]
    private static partial Regex QuizSourceArgument();

    public Question? ReadReflection(CustomContainer block, string id)
    {
        var prompt = new List<Block>();
        QuoteBlock? thought = null;
        foreach (var child in block)
        {
            switch (child)
            {
                case ParagraphBlock paragraph when thought is null:
                    prompt.Add(paragraph);
                    break;
                case QuoteBlock quote when prompt.Count > 0 && thought is null:
                    thought = quote;
                    break;
                default:
                    Unexpected(child, "En reflektionsfråga består av en fråga och gärna en tanke att ta med sig (>).");
                    break;
            }
        }

        if (prompt.Count == 0)
        {
            Error(DiagnosticCode.QuestionTextMissing, block, "Reflektionsfrågan saknar en fråga. Skriv frågan som ett stycke överst i blocket.");
            return null;
        }

        return new Question(id, QuestionKind.Reflection, Html(prompt), [], thought is null ? null : Html(thought));
    }

    public Discussion? ReadDiscussion(CustomContainer block, string lessonId)
    {
        if (block.Count == 0)
        {
            Error(DiagnosticCode.DiscussionEmpty, block, "Diskussionsblocket är tomt. Skriv frågor eller ett case att prata om.");
            return null;
        }

        var title = string.IsNullOrWhiteSpace(block.Arguments) ? null : block.Arguments.Trim();
        KommunFacts.ReportOutsideText(title, "diskussionens rubrik", file, block.Line + 1, block.Column + 1, diagnostics);
        return new Discussion(lessonId, title, renderer.SafeBlocks(block));
    }

    private List<QuestionOption>? ReadOptions(ListBlock list)
    {
        var options = new List<QuestionOption>();
        var valid = true;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var paragraph = item.Count > 0 ? item[0] as ParagraphBlock : null;
            if (paragraph?.Inline?.FirstChild is not TaskList task)
            {
                Error(DiagnosticCode.QuizOptionWithoutCheckbox, item,
                    "Alternativet saknar [ ] eller [x] först på raden, till exempel '- [ ] Ett fel svar'.");
                valid = false;
                continue;
            }

            foreach (var extra in item.Skip(1))
            {
                Unexpected(extra, "Ett svarsalternativ ska vara en enda rad text.");
            }

            // The checkbox is the author's notation for the answer, not content the learner should see.
            task.Remove();
            options.Add(new QuestionOption(((char)('a' + options.Count)).ToString(), renderer.SafeInline(paragraph), task.Checked));
        }

        return valid ? options : null;
    }

    private string Html(IEnumerable<Block> blocks) => renderer.SafeBlocks(blocks);

    private void Unexpected(Block block, string message) =>
        Error(DiagnosticCode.UnexpectedContentInBlock, block, $"Det här hör inte hemma i blocket. {message}");

    private void Error(DiagnosticCode code, Block block, string message) =>
        diagnostics.Error(code, file, block.Line + 1, block.Column + 1, message);
}
