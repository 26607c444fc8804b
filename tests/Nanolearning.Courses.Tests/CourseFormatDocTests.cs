using Markdig;
using Markdig.Syntax;

namespace Nanolearning.Courses.Tests;

/// <summary>
/// docs/course-format.md is the one source of truth for authors and tests: every ```markdown example followed by a
/// ```resultat block is compiled as lesson 01-exempel.md, and the result must read exactly as documented. Blocks
/// right before the lesson that name a file are files beside it: ```yaml sources.yml is the sources registry it is
/// compiled with, ```yaml course.yml the course's own file, and ```svg media/karta.svg a file in the course's media
/// folder. Every example is checked on 2 December 2026 (<see cref="Repository.Clock"/>).
/// </summary>
public class CourseFormatDocTests
{
    /// <summary>Line, sources registry, media files (path, then text, for each; course.yml among them), lesson, expected result.</summary>
    public static TheoryData<int, string?, string[], string, string> Examples()
    {
        var document = Markdown.Parse(File.ReadAllText(Repository.CourseFormatDoc));
        var blocks = document.Descendants<FencedCodeBlock>().ToList();
        var data = new TheoryData<int, string?, string[], string, string>();
        for (var i = 0; i + 1 < blocks.Count; i++)
        {
            if (blocks[i].Info == "markdown" && blocks[i + 1].Info == "resultat")
            {
                string? registry = null;
                List<string> media = [];
                for (var j = i - 1; j >= 0 && blocks[j].Arguments is { } file && (file is "sources.yml" or "course.yml" || file.StartsWith("media/", StringComparison.Ordinal)); j--)
                {
                    if (file == "sources.yml")
                    {
                        registry = blocks[j].Lines.ToString();
                    }
                    else
                    {
                        media.InsertRange(0, [file, blocks[j].Lines.ToString() + "\n"]);
                    }
                }

                data.Add(blocks[i].Line + 1, registry, [.. media], blocks[i].Lines.ToString(), blocks[i + 1].Lines.ToString());
            }
        }

        return data;
    }

    [Fact]
    public void The_document_has_examples()
    {
        Assert.True(Examples().Count >= 6);
        Assert.Contains(Examples(), e => e[1] is not null); // a registry example
        Assert.Contains(Examples(), e => ((string[])e[2]).Length > 0); // a media example
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void The_example_compiles_as_documented(int line, string? registry, string[] media, string lesson, string expected)
    {
        using var course = registry is null ? new TempCourse() : new TempCourse(sourcesYml: registry + "\n");
        course.Write("01-exempel.md", lesson + "\n");
        for (var i = 0; i + 1 < media.Length; i += 2)
        {
            course.Write(media[i], media[i + 1]);
        }

        var result = course.Compile();

        // Paths as an author sees them from the courses folder, without its name: 01-exempel.md, sources.yml.
        var actual = result.Diagnostics.Where(d => d.Code != DiagnosticCode.PassThresholdWithoutFinalQuiz)
            .Select(d => CorpusTests.Relative(course.Folder, d))
            .Select(d => d.StartsWith("../", StringComparison.Ordinal) ? d[3..] : d)
            .Concat(Describe(result.Course));
        Assert.True(expected.Split('\n').SequenceEqual(actual), $"Example at docs/course-format.md:{line} gave:\n{string.Join("\n", actual)}");
    }

    /// <summary>The compiled questions and discussions, in the words the document uses.</summary>
    private static IEnumerable<string> Describe(CompiledCourse? course)
    {
        if (course is null)
        {
            yield break;
        }

        var n = 0;
        foreach (var question in course.Lessons.SelectMany(l => l.Questions))
        {
            n++;
            var described = question.Kind switch
            {
                QuestionKind.SingleChoice => $"fråga {n}: enkelval, rätt: {string.Join(", ", question.CorrectOptionIds)}",
                QuestionKind.MultipleChoice => $"fråga {n}: flerval, rätt: {string.Join(", ", question.CorrectOptionIds)}",
                _ => $"fråga {n}: reflektion",
            };
            yield return question.SourceId is null ? described : $"{described}, källa: {question.SourceId}";
        }

        for (var i = 0; i < course.Discussions.Length; i++)
        {
            yield return $"diskussion {i + 1}: {course.Discussions[i].Title}";
        }

        for (var i = 0; i < course.Sources.Length; i++)
        {
            var source = course.Sources[i];
            yield return $"källa {i + 1}: {string.Join(", ", new[] { source.Title, source.Publisher, source.Year?.ToString(Swedish.Culture) }.OfType<string>())}";
        }

        for (var i = 0; i < course.Media.Length; i++)
        {
            yield return $"media {i + 1}: {course.Media[i].Path}";
        }

        // The facts whose slot reached the compiled HTML, which is also what the app fills in.
        var html = string.Concat(course.Lessons.SelectMany(l => l.Parts).Select(p => p switch
        {
            HtmlPart h => h.Html,
            QuestionPart { Question: var q } => q.PromptHtml + string.Concat(q.Options.Select(o => o.Html)) + q.ExplanationHtml,
            _ => "",
        }));
        var facts = Facts.KommunFacts.All.Where(f => html.Contains(Facts.KommunFacts.Slot(f.Name), StringComparison.Ordinal)).Select(f => f.Name).ToList();
        if (facts.Count > 0)
        {
            yield return $"kommunfakta: {string.Join(", ", facts)}";
        }
    }
}
