using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nanolearning.Courses.Facts;
using Nanolearning.Courses.Media;
using Nanolearning.Courses.Yaml;

namespace Nanolearning.Courses;

/// <summary>
/// Compiles course folders (<c>course.yml</c> plus numbered Markdown lessons) into <see cref="CompiledCourse"/>s.
/// The sources the lessons cite come from the registry <c>sources.yml</c> in the folder that holds the course
/// folders. Problems are reported as <see cref="Diagnostic"/>s, never thrown. An instance is not thread-safe; the
/// compiled courses are.
/// </summary>
/// <param name="options">Limits and lint levels; <see cref="CompilerOptions.Default"/> when left out.</param>
/// <param name="clock">Where "today" comes from, for the warning about an old review; the system clock when left out.</param>
public sealed partial class CourseCompiler(CompilerOptions? options = null, TimeProvider? clock = null)
{
    /// <summary>How long a review holds before <c>check</c> asks for a new one.</summary>
    public const int ReviewValidMonths = 12;

    /// <summary>The name of the file that makes a folder a course.</summary>
    public const string CourseFileName = "course.yml";

    /// <summary>The name of the sources registry, in the folder that holds the course folders.</summary>
    public const string SourcesFileName = "sources.yml";

    private static readonly string[] CourseFields = ["id", "title", "audiences", "summary", "pass_threshold", "reviewed", "reviewed_by"];

    private readonly CompilerOptions _options = options ?? CompilerOptions.Default;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>
    /// Where <see cref="CompileAll"/> looks for the sources registry when given <paramref name="folder"/>: beside it
    /// when it is a course folder, in it when it holds course folders.
    /// </summary>
    public static string SourcesFileFor(string folder) =>
        Path.Combine(IsCourseFolder(folder) ? ParentOf(folder) : folder, SourcesFileName);

    /// <summary>
    /// Compiles <paramref name="folder"/>: a single course if it holds a course.yml, otherwise every course folder
    /// directly below it. Course ids must be unique across the result.
    /// </summary>
    public ImmutableArray<CompileResult> CompileAll(string folder)
    {
        if (IsCourseFolder(folder))
        {
            return [Compile(folder)];
        }

        var registry = SourceRegistry.Read(Path.Combine(folder, SourcesFileName), _options);
        var results = Directory.EnumerateDirectories(folder)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .Select(d => Compile(d, registry))
            .ToList();

        foreach (var duplicate in results.Where(r => r.Course is not null).GroupBy(r => r.Course!.Id).Where(g => g.Count() > 1))
        {
            foreach (var later in duplicate.Skip(1))
            {
                var index = results.IndexOf(later);
                var diagnostic = new Diagnostic(DiagnosticCode.DuplicateCourseId, Severity.Error, Path.Combine(later.Folder, CourseFileName), 1, 1,
                    $"Kurs-id '{duplicate.Key}' används redan av kursen i mappen {Path.GetFileName(Path.TrimEndingDirectorySeparator(duplicate.First().Folder))}. Varje kurs behöver ett eget id.");
                results[index] = later with { Course = null, Diagnostics = later.Diagnostics.Add(diagnostic) };
            }
        }

        return [.. results];
    }

    /// <summary>Compiles the course in <paramref name="folder"/>, with the sources registry in the folder above it.</summary>
    public CompileResult Compile(string folder) =>
        Compile(folder, SourceRegistry.Read(Path.Combine(ParentOf(folder), SourcesFileName), _options));

    // A folder with its own course.yml or lessons is one course (a missing course.yml is then reported).
    private static bool IsCourseFolder(string folder) =>
        File.Exists(Path.Combine(folder, CourseFileName)) || Directory.EnumerateFiles(folder, "*.md").Any();

    /// <summary>The folder above <paramref name="folder"/>, relative when <paramref name="folder"/> is, so paths in diagnostics read alike.</summary>
    private static string ParentOf(string folder)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(folder);
        return Path.GetFileName(trimmed) is "" or "." or ".."
            ? Path.GetDirectoryName(Path.GetFullPath(trimmed)) ?? trimmed
            : Path.GetDirectoryName(trimmed) ?? trimmed;
    }

    private CompileResult Compile(string folder, SourceRegistry registry)
    {
        var diagnostics = new DiagnosticBag();
        MediaFolder.ReportLinks(folder, diagnostics);
        var courseFile = Path.Combine(folder, CourseFileName);
        var manifest = ReadManifest(folder, courseFile, diagnostics);
        var lessonFiles = FindLessons(folder, diagnostics);

        if (lessonFiles.Count == 0)
        {
            diagnostics.Error(DiagnosticCode.NoLessons, courseFile, 1, 1,
                "Kursen har inga lektioner. Lägg till lektioner som filer med nummer först, till exempel 01-vad-ar-en-anhorig.md.");
        }

        var lessonIds = lessonFiles.ToDictionary(f => f.FileName, f => f.Id, StringComparer.Ordinal);
        var lessons = new List<LessonResult>(lessonFiles.Count);
        foreach (var (lesson, lessonDiagnostics) in CompileLessons(lessonFiles, folder, lessonIds))
        {
            diagnostics.Add(lessonDiagnostics);
            if (lesson is not null)
            {
                lessons.Add(lesson);
            }
        }

        var media = MediaFolder.Read(folder, diagnostics);
        CheckSources(lessons, registry, diagnostics);
        if (manifest is not null)
        {
            CheckCourse(manifest, lessons, lessonFiles, courseFile, diagnostics);
        }

        var report = new CourseReport(
            manifest?.Id ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)),
            [.. lessons.Select(l => new LessonReport(l.File.DisplayPath, l.Lesson.Title, l.Lesson.Minutes, l.Lesson.Questions.Count(), l.Lesson.Statistics))]);

        var course = manifest is null || diagnostics.HasErrors ? null : Build(manifest, lessons, registry, media);
        return new CompileResult(folder, course, report, diagnostics.ToImmutable());
    }

    /// <summary>
    /// Lessons do not depend on each other until the course-level checks, so they compile in parallel. Each lesson
    /// gets its own diagnostics, and the caller merges them in file order: the report reads exactly as a compile
    /// one lesson at a time would have it.
    /// </summary>
    private (LessonResult? Lesson, DiagnosticBag Diagnostics)[] CompileLessons(
        List<LessonFile> lessonFiles, string folder, IReadOnlyDictionary<string, string> lessonIds)
    {
        var results = new (LessonResult?, DiagnosticBag)[lessonFiles.Count];
        Parallel.For(
            0,
            lessonFiles.Count,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism },
            // A LessonCompiler reuses one HTML renderer and is not thread-safe: one per worker.
            () => new LessonCompiler(_options),
            (i, _, compiler) =>
            {
                var lessonDiagnostics = new DiagnosticBag();
                results[i] = (compiler.Compile(lessonFiles[i], folder, lessonIds, lessonDiagnostics), lessonDiagnostics);
                return compiler;
            },
            _ => { });
        return results;
    }

    private sealed record Manifest(
        string Id,
        string Title,
        ImmutableArray<string> Audiences,
        Located<string>? AudiencesAt,
        string Summary,
        Located<int>? PassThreshold,
        CourseReview? Review);

    private Manifest? ReadManifest(string folder, string courseFile, DiagnosticBag diagnostics)
    {
        if (!File.Exists(courseFile))
        {
            diagnostics.Error(DiagnosticCode.CourseFileMissing, courseFile, 1, 1,
                "Mappen saknar course.yml. Varje kurs behöver en course.yml med id, title, audiences och summary.");
            return null;
        }

        if (MediaFolder.IsLink(courseFile))
        {
            return null; // reported as a link, and never read: it could point at any file on the server
        }

        var text = SourceText.Read(courseFile, courseFile, _options, diagnostics);
        var fields = text is null ? null : YamlFields.Parse(text, courseFile, 0, (1, 1), diagnostics);
        if (fields is null)
        {
            return null;
        }

        fields.RejectUnknown(CourseFields);
        var id = fields.String("id", required: true);
        var title = fields.String("title", required: true);
        var audiences = fields.StringList("audiences", required: true);
        var summary = fields.String("summary", required: true);
        KommunFacts.ReportOutsideText(title?.Value, "kursens titel", courseFile, title?.Line ?? 0, title?.Column ?? 0, diagnostics);
        KommunFacts.ReportOutsideText(summary?.Value, "kursens sammanfattning", courseFile, summary?.Line ?? 0, summary?.Column ?? 0, diagnostics);
        var passThreshold = fields.Integer("pass_threshold", 0, 100, required: false);
        var review = ReadReview(fields, courseFile, diagnostics);

        if (id is not null && !CourseId().IsMatch(id.Value))
        {
            diagnostics.Error(DiagnosticCode.InvalidCourseId, courseFile, id.Line, id.Column,
                $"Kurs-id '{id.Value}' får bara innehålla små bokstäver a–z, siffror och bindestreck, till exempel anhorigperspektiv-introduktion.");
        }
        else if (id is not null && id.Value != Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))))
        {
            diagnostics.Warning(DiagnosticCode.CourseIdDiffersFromFolder, courseFile, id.Line, id.Column,
                $"Kurs-id '{id.Value}' är inte samma som mappens namn. Det blir lättare att hitta kursen om de är lika.");
        }

        foreach (var audience in audiences ?? [])
        {
            if (!_options.AudienceBudgets.ContainsKey(audience.Value))
            {
                diagnostics.Error(DiagnosticCode.UnknownAudience, courseFile, audience.Line, audience.Column,
                    $"Okänd målgrupp '{audience.Value}'. Använd någon av: {string.Join(", ", _options.AudienceBudgets.Keys.Order(StringComparer.Ordinal))}.");
            }
        }

        if (id is null || title is null || audiences is null || summary is null)
        {
            return null;
        }

        return new Manifest(id.Value, title.Value, [.. audiences.Select(a => a.Value)], audiences.FirstOrDefault(),
            summary.Value, passThreshold, review);
    }

    /// <summary>
    /// When and by whom the content was last checked against its sources. Missing or older than
    /// <see cref="ReviewValidMonths"/> months is a warning: the course still publishes, but the law and the sources
    /// change (socialtjänstlagen was replaced in 2025), so someone must look again.
    /// </summary>
    private CourseReview? ReadReview(YamlFields fields, string courseFile, DiagnosticBag diagnostics)
    {
        var reviewed = fields.String("reviewed", required: false);
        var reviewedBy = fields.String("reviewed_by", required: false);
        if (reviewed is null)
        {
            diagnostics.Warning(DiagnosticCode.ReviewMissing, courseFile, 1, 1,
                "course.yml saknar reviewed: datumet då innehållet senast granskades mot källorna, till exempel reviewed: 2026-12-02, och reviewed_by: vem som granskade.");
            return null;
        }

        if (!DateOnly.TryParseExact(reviewed.Value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
        {
            diagnostics.Error(DiagnosticCode.InvalidValue, courseFile, reviewed.Line, reviewed.Column,
                "Fältet 'reviewed' ska vara ett datum på formen 2026-12-02.");
            return null;
        }

        if (reviewedBy is null)
        {
            diagnostics.Warning(DiagnosticCode.ReviewMissing, courseFile, reviewed.Line, reviewed.Column,
                "course.yml säger när innehållet granskades men inte av vem. Skriv det i reviewed_by, till exempel reviewed_by: Anhörigstödet.");
        }

        var today = DateOnly.FromDateTime(_clock.GetLocalNow().DateTime);
        if (date.AddMonths(ReviewValidMonths) < today)
        {
            diagnostics.Warning(DiagnosticCode.ReviewOutdated, courseFile, reviewed.Line, reviewed.Column,
                $"Innehållet granskades senast {reviewed.Value}, för mer än {ReviewValidMonths} månader sedan. Granska kursen mot källorna och skriv det nya datumet i reviewed.");
        }

        return new CourseReview(date, reviewedBy?.Value);
    }

    private static List<LessonFile> FindLessons(string folder, DiagnosticBag diagnostics)
    {
        var lessons = new List<LessonFile>();
        var byNumber = new Dictionary<int, LessonFile>();
        var byId = new Dictionary<string, LessonFile>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder, "*.md").Order(StringComparer.Ordinal))
        {
            var fileName = Path.GetFileName(path);
            var display = Path.Combine(folder, fileName);
            if (MediaFolder.IsLink(path))
            {
                continue; // reported as a link, and never read
            }

            var match = LessonCompiler.LessonFileName().Match(fileName);
            if (!match.Success)
            {
                diagnostics.Warning(DiagnosticCode.LessonFileNotNumbered, display, 1, 1, char.IsAsciiDigit(fileName[0])
                    ? "Filen ingår inte i kursen: namnet får bara innehålla a–z, siffror och bindestreck efter numret, till exempel 02-tre-behov.md."
                    : "Filen ingår inte i kursen eftersom namnet inte börjar med ett nummer, till exempel 01-.");
                continue;
            }

            var number = int.Parse(match.Groups["number"].ValueSpan);
            var id = match.Groups["id"].Value;
            if (byNumber.TryGetValue(number, out var sameNumber))
            {
                diagnostics.Error(DiagnosticCode.DuplicateLessonNumber, display, 1, 1,
                    $"Lektionerna {sameNumber.FileName} och {fileName} har samma nummer. Ge varje lektion ett eget nummer.");
                continue;
            }

            if (byId.TryGetValue(id, out var sameId))
            {
                diagnostics.Error(DiagnosticCode.DuplicateLessonName, display, 1, 1,
                    $"Lektionerna {sameId.FileName} och {fileName} har samma namn efter numret. Ge varje lektion ett eget namn.");
                continue;
            }

            var lesson = new LessonFile(path, display, fileName, number, id);
            lessons.Add(lesson);
            byNumber.Add(number, lesson);
            byId.Add(id, lesson);
        }

        return [.. lessons.OrderBy(l => l.Number)];
    }

    /// <summary>
    /// A course that cites sources depends on the registry: the registry's own errors are errors of the course, so
    /// it stays at its last good version until sources.yml is fixed. A course that cites nothing does not need one.
    /// </summary>
    private static void CheckSources(List<LessonResult> lessons, SourceRegistry registry, DiagnosticBag diagnostics)
    {
        var citations = lessons.SelectMany(l => l.SourceIds.Select(id => (l.File, Id: id))).ToList();
        if (citations.Count == 0)
        {
            return;
        }

        if (!registry.Exists)
        {
            var (file, first) = citations[0];
            diagnostics.Error(DiagnosticCode.SourcesFileMissing, file.DisplayPath, first.Line, first.Column,
                $"Lektionen hänvisar till källan '{first.Value}', men källregistret finns inte. Det ska ligga i {registry.File}, i mappen där kursmapparna ligger.");
            return;
        }

        registry.ReportTo(diagnostics);
        if (registry.Entries is null)
        {
            return; // unreadable: the registry's diagnostics say why, and every citation would be unknown
        }

        foreach (var (file, id) in citations.Where(c => !registry.Knows(c.Id.Value)))
        {
            diagnostics.Error(DiagnosticCode.UnknownSource, file.DisplayPath, id.Line, id.Column,
                $"Källan '{id.Value}' finns inte i {SourcesFileName}. Rätta id:t eller lägg till källan i {SourcesFileName}.");
        }
    }

    private void CheckCourse(Manifest manifest, List<LessonResult> lessons, List<LessonFile> lessonFiles, string courseFile, DiagnosticBag diagnostics)
    {
        var finals = lessons.Where(l => l.Lesson.IsFinalQuiz).ToList();
        foreach (var extra in finals.Skip(1))
        {
            diagnostics.Error(DiagnosticCode.SeveralFinalQuizzes, extra.File.DisplayPath, extra.FrontMatterStart.Line, extra.FrontMatterStart.Column,
                $"Kursen har redan ett slutprov ({finals[0].File.FileName}). Bara en lektion kan ha graded: true.");
        }

        if (finals.FirstOrDefault() is { } final)
        {
            if (final.File != lessonFiles[^1])
            {
                diagnostics.Warning(DiagnosticCode.FinalQuizNotLast, final.File.DisplayPath, final.FrontMatterStart.Line, final.FrontMatterStart.Column,
                    "Slutprovet är inte kursens sista lektion. Deltagarna brukar vänta sig slutprovet sist.");
            }

            if (!final.Lesson.Questions.Any(q => q.IsGradable))
            {
                diagnostics.Error(DiagnosticCode.FinalQuizWithoutQuestions, final.File.DisplayPath, final.FrontMatterStart.Line, final.FrontMatterStart.Column,
                    "Slutprovet har inga quizfrågor. Lägg till frågor med ::: quiz.");
            }

            if (manifest.PassThreshold is null)
            {
                diagnostics.Error(DiagnosticCode.PassThresholdMissing, courseFile, 1, 1,
                    "Kursen har ett slutprov men course.yml saknar pass_threshold (andel rätt i procent som krävs för godkänt, till exempel 80).");
            }
        }
        else if (manifest.PassThreshold is { } threshold && lessons.Count == lessonFiles.Count)
        {
            diagnostics.Warning(DiagnosticCode.PassThresholdWithoutFinalQuiz, courseFile, threshold.Line, threshold.Column,
                "pass_threshold används inte eftersom ingen lektion är slutprov (graded: true).");
        }

        var minutes = lessons.Sum(l => l.Lesson.Minutes);
        var budget = manifest.Audiences
            .Where(_options.AudienceBudgets.ContainsKey)
            .Select(a => (Audience: a, Minutes: _options.AudienceBudgets[a]))
            .OrderBy(b => b.Minutes)
            .FirstOrDefault();
        if (budget.Audience is not null && minutes > budget.Minutes)
        {
            var at = manifest.AudiencesAt;
            diagnostics.Warning(DiagnosticCode.CourseOverAudienceBudget, courseFile, at?.Line ?? 1, at?.Column ?? 1,
                $"Kursen tar {minutes} minuter, men för målgruppen {budget.Audience} bör en kurs ta högst {budget.Minutes} minuter.");
        }
    }

    private static CompiledCourse Build(Manifest manifest, List<LessonResult> lessons, SourceRegistry registry, ImmutableArray<MediaFile> media)
    {
        // Only called without errors, so every cited id is a valid entry of a registry that was read.
        var sources = lessons.SelectMany(l => l.Lesson.Sources).Select(r => r.SourceId).Distinct().Select(id => registry.Entries![id]);
        var course = new CompiledCourse(
            manifest.Id,
            manifest.Title,
            manifest.Audiences,
            manifest.Summary,
            manifest.PassThreshold?.Value,
            [.. sources],
            [.. lessons.Select(l => l.Lesson)],
            [.. lessons.SelectMany(l => l.Discussions)],
            media,
            Version: "") { Review = manifest.Review };
        // Each lesson's ContentHash already covers its parts; leaving the parts out here hashes the same content
        // without serializing every lesson's HTML a second time.
        // A review that changed nothing is no new version: learners are not asked to take the course again for it.
        var hashed = course with { Lessons = [.. course.Lessons.Select(l => l with { Parts = [] })], Review = null };
        var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(hashed));
        return course with { Version = Convert.ToHexStringLower(hash)[..16] };
    }

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex CourseId();
}
