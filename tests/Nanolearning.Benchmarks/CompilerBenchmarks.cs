using BenchmarkDotNet.Attributes;
using Markdig;
using Nanolearning.Courses;

/// <summary>
/// The compiler against bare Markdig on the same 1 000 generated lessons, and the compiler on the shipped courses.
/// Two more rows show the floor under the compiler: reading the files, and parsing with the course's own pipeline.
/// The compiler spreads a course's lessons over every core, so it is measured on one thread too, and bare Markdig
/// spread the same way.
/// Run: dotnet run -c Release --project tests/Nanolearning.Benchmarks -- --filter '*'
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class CompilerBenchmarks
{
    private const int Lessons = 1_000;

    private static readonly CompilerOptions OneThread = new() { MaxDegreeOfParallelism = 1 };

    private string _root = "";
    private string[] _texts = [];
    private string _shippedCourses = "";

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "nanolearning-bench", Guid.NewGuid().ToString("N"));
        var course = Path.Combine(_root, "genererad");
        Directory.CreateDirectory(course);
        File.WriteAllText(Path.Combine(course, "course.yml"),
            "id: genererad\ntitle: Genererad\naudiences: [chef]\nsummary: För mätning.\n");
        _texts = Enumerable.Range(1, Lessons).Select(GenerateLesson).ToArray();
        for (var i = 0; i < Lessons; i++)
        {
            File.WriteAllText(Path.Combine(course, $"{i + 1:0000}-lektion-{i + 1}.md"), _texts[i]);
        }

        _shippedCourses = FindCourses();

        // A cold first call (JIT of the compiler, Markdig, YamlDotNet, System.Text.Json) takes seconds, and tiered JIT
        // keeps optimizing for several calls after. Without these calls BenchmarkDotNet treats the compiler as
        // long-running: one call per iteration after three one-call warm-ups, measuring partly unoptimized code.
        // The Markdig baselines get hundreds of warm-up calls in their pilot stage anyway.
        for (var i = 0; i < 10; i++)
        {
            CompileGenerated();
            CompileGeneratedOneThread();
        }

        CompileShippedCourses();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(Baseline = true, Description = "bare Markdig: parse 1 000 lessons")]
    public int BareMarkdigParse()
    {
        var blocks = 0;
        foreach (var text in _texts)
        {
            blocks += Markdown.Parse(text).Count;
        }

        return blocks;
    }

    // The compiler uses every core for the lessons of a course; this is the same baseline spread the same way
    // (Parallel.For over the lessons, as in CourseCompiler), for an honest ratio.
    [Benchmark(Description = "bare Markdig: parse 1 000 lessons, parallel")]
    public int BareMarkdigParseParallel()
    {
        var blocks = new int[_texts.Length];
        Parallel.For(0, _texts.Length, i => blocks[i] = Markdown.Parse(_texts[i]).Count);
        return blocks.Sum();
    }

    [Benchmark(Description = "bare Markdig: parse + HTML, 1 000 lessons")]
    public int BareMarkdigToHtml()
    {
        var length = 0;
        foreach (var text in _texts)
        {
            length += Markdown.ToHtml(text).Length;
        }

        return length;
    }

    // Bytes only, not even decoded: a lower bound for any compiler that reads the lessons from disk.
    [Benchmark(Description = "floor: read the 1 000 lesson files")]
    public int ReadFiles()
    {
        var bytes = 0;
        foreach (var path in Directory.EnumerateFiles(Path.Combine(_root, "genererad"), "*.md"))
        {
            bytes += File.ReadAllBytes(path).Length;
        }

        return bytes;
    }

    [Benchmark(Description = "floor: parse 1 000 lessons, course pipeline")]
    public int CoursePipelineParse()
    {
        var blocks = 0;
        foreach (var text in _texts)
        {
            blocks += Markdown.Parse(text, CourseMarkdown.Pipeline).Count;
        }

        return blocks;
    }

    [Benchmark(Description = "compiler: 1 000 lessons from disk, one thread")]
    public int CompileGeneratedOneThread() => new CourseCompiler(OneThread).CompileAll(_root).Sum(r => r.Report.Lessons.Length);

    [Benchmark(Description = "compiler: 1 000 lessons from disk")]
    public int CompileGenerated() => new CourseCompiler().CompileAll(_root).Sum(r => r.Report.Lessons.Length);

    [Benchmark(Description = "compiler: all of courses/")]
    public int CompileShippedCourses() => new CourseCompiler().CompileAll(_shippedCourses).Sum(r => r.Report.Lessons.Length);

    private static string GenerateLesson(int n) => $"""
        ---
        title: Lektion {n}
        minutes: 3
        ---

        ## Att möta anhöriga, del {n}

        En **anhörig** är den som vårdar eller stödjer en närstående. Du möter anhöriga varje vecka i ditt arbete.
        Det är frivilligt att vara anhörig. Ingen ska behöva ta ett större ansvar än hen vill och kan.

        - Se och bekräfta den anhörige.
        - Ge information som passar just den personen.
        - Samverka och lyssna.
        - Visa var stöd finns, till exempel hos [kommunens anhörigstöd](https://www.anhoriga.se).

        Många anhöriga säger inte själva att de behöver stöd. Därför är det viktigt att du frågar.
        Sekretess hindrar dig inte från att lyssna på en anhörig. Du kan alltid ta emot det hen berättar.

        | Behov | Exempel |
        |---|---|
        | Stöd för egen del | samtal, avlösning |
        | Insatser som fungerar | hemtjänst som kommer i tid |

        ::: quiz
        Vem är anhörig enligt lektionen?

        - [ ] Bara den som är gift med den som är sjuk
        - [x] Den som vårdar eller stödjer en närstående
        - [ ] Bara den som bor i samma hus

        > Det är stödet och omsorgen som gör någon till anhörig, inte släktskapen.
        :::
        """;

    private static string FindCourses()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Nanolearning.sln")))
            {
                return Path.Combine(dir.FullName, "courses");
            }
        }

        throw new InvalidOperationException("courses/ not found");
    }
}
