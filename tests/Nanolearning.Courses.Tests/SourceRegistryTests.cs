namespace Nanolearning.Courses.Tests;

/// <summary>
/// The sources registry (sources.yml beside the course folders): what a course gets from it, and every way it or a
/// citation can be wrong, reported at the file, line and column to fix.
/// </summary>
public class SourceRegistryTests
{
    internal static readonly DiagnosticCode[] CodesCovered = [DiagnosticCode.SourcesFileMissing];

    // Without pass_threshold: these courses have no final quiz, and the warning about it is beside the point here.
    private const string CourseYml = "id: testkurs\ntitle: Testkurs\naudiences: [medarbetare]\nsummary: En kurs för test.\nreviewed: 2026-12-02\nreviewed_by: Testredaktionen\n";

    private const string Registry = """
        sources:
          - id: sol-2025-400
            title: Socialtjänstlag (2025:400)
            publisher: Riksdagen
            year: 2025
            url: https://www.riksdagen.se/sv/dokument-och-lagar/dokument/svensk-forfattningssamling/socialtjanstlag-2025400_sfs-2025-400/
          - id: egen-riktlinje
            title: Riktlinje för anhörigstöd
            publisher: Exempelby kommun
            notes: Finns bara på intranätet.
          - id: oanvand
            title: Ett dokument som ingen lektion citerar
            publisher: Nka
        """;

    private static string Citing(params string[] ids) =>
        TempCourse.Lesson("Text om anhöriga.", extraFrontMatter: "sources:\n" + string.Concat(ids.Select(id => $"  - source: {id}\n    section: Avsnitt\n")));

    private static string Relative(TempCourse course, Diagnostic diagnostic) =>
        (diagnostic with { File = Path.GetRelativePath(course.Root, diagnostic.File).Replace('\\', '/') }).ToString();

    [Fact]
    public void A_course_carries_the_entries_its_lessons_cite_in_order_of_first_citation()
    {
        using var course = new TempCourse(CourseYml, sourcesYml: Registry);
        course.Write("01-a.md", Citing("egen-riktlinje")).Write("02-b.md", Citing("sol-2025-400", "egen-riktlinje"));

        var result = course.Compile();

        Assert.Empty(result.Diagnostics);
        Assert.Equal<CourseSource>(
            [
                new CourseSource("egen-riktlinje", "Riktlinje för anhörigstöd", "Exempelby kommun", null, null),
                new CourseSource("sol-2025-400", "Socialtjänstlag (2025:400)", "Riksdagen", 2025,
                    "https://www.riksdagen.se/sv/dokument-och-lagar/dokument/svensk-forfattningssamling/socialtjanstlag-2025400_sfs-2025-400/"),
            ],
            result.Course!.Sources);
    }

    [Fact]
    public void Editing_a_cited_entry_gives_the_course_a_new_version_and_editing_another_does_not()
    {
        using var course = new TempCourse(CourseYml, sourcesYml: Registry);
        course.Write("01-a.md", Citing("sol-2025-400"));
        var before = course.Compile().Course!;

        var uncitedEdited = course.WriteSources(Registry.Replace("Ett dokument som ingen lektion citerar", "Nytt namn")).Compile().Course!;
        var citedEdited = course.WriteSources(Registry.Replace("title: Socialtjänstlag (2025:400)", "title: Socialtjänstlagen")).Compile().Course!;

        Assert.Equal(before.Version, uncitedEdited.Version);
        Assert.NotEqual(before.Version, citedEdited.Version);
        Assert.Equal("Socialtjänstlagen", citedEdited.Sources.Single().Title);
    }

    [Fact]
    public void An_unknown_id_is_an_error_at_the_citation()
    {
        using var course = new TempCourse(CourseYml, sourcesYml: Registry);
        course.Write("01-a.md", Citing("sol-2025-400", "sol-2001-453"));

        var result = course.Compile();

        Assert.Null(result.Course);
        Assert.Equal(
            ["testkurs/01-a.md:7:13: error: Källan 'sol-2001-453' finns inte i sources.yml. Rätta id:t eller lägg till källan i sources.yml."],
            result.Diagnostics.Select(d => Relative(course, d)));
        Assert.Equal(DiagnosticCode.UnknownSource, result.Diagnostics.Single().Code);
    }

    [Fact]
    public void A_duplicate_id_is_an_error_in_sources_yml_for_every_course_that_cites_sources()
    {
        using var course = new TempCourse(CourseYml, sourcesYml: Registry + "\n  - id: sol-2025-400\n    title: Samma id igen\n    publisher: Riksdagen\n");
        var other = Path.Combine(course.Root, "annan");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "course.yml"), CourseYml.Replace("testkurs", "annan"));
        File.WriteAllText(Path.Combine(other, "01-a.md"), Citing("egen-riktlinje"));
        course.Write("01-a.md", Citing("sol-2025-400"));

        var results = new CourseCompiler(null, Repository.Clock).CompileAll(course.Root);

        Assert.Equal(2, results.Length);
        Assert.All(results, r =>
        {
            Assert.Null(r.Course);
            var diagnostic = Assert.Single(r.Diagnostics);
            Assert.Equal(DiagnosticCode.DuplicateSourceId, diagnostic.Code);
            Assert.Equal("sources.yml:14:9: error: Källan 'sol-2025-400' finns redan i sources.yml. Ge varje källa ett eget id.", Relative(course, diagnostic));
        });
    }

    [Fact]
    public void A_missing_registry_is_an_error_at_the_first_citation_that_says_where_it_was_looked_for()
    {
        using var course = new TempCourse(CourseYml, sourcesYml: null);
        course.Write("01-a.md", Citing("sol-2025-400", "nka-2024-1")).Write("02-b.md", Citing("nka-2024-1"));

        var result = course.Compile();

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCode.SourcesFileMissing, diagnostic.Code);
        Assert.Equal(("testkurs/01-a.md", 5, 13), (Path.GetRelativePath(course.Root, diagnostic.File), diagnostic.Line, diagnostic.Column));
        Assert.Equal($"Lektionen hänvisar till källan 'sol-2025-400', men källregistret finns inte. Det ska ligga i {course.SourcesFile}, i mappen där kursmapparna ligger.",
            diagnostic.Message);
        Assert.Null(result.Course);
    }

    [Fact]
    public void A_course_that_cites_nothing_needs_no_registry_and_is_not_held_back_by_a_broken_one()
    {
        using var course = new TempCourse(CourseYml, sourcesYml: null);
        course.Write("01-a.md", TempCourse.Lesson("Text om anhöriga."));

        Assert.Empty(course.Compile().Diagnostics);
        Assert.Empty(course.WriteSources("sources: [").Compile().Diagnostics);
    }

    [Fact]
    public void Every_problem_in_an_entry_is_reported_at_its_place_in_sources_yml()
    {
        using var course = new TempCourse(CourseYml, sourcesYml: """
            sources:
              - id: utan-titel
                publisher: Nka
              - id: Stora Bokstäver
                title: Fel id
                publisher: Nka
              - id: farlig-lank
                title: Länk
                publisher: Nka
                url: javascript:alert(1)
              - id: okant-falt
                title: Fält
                publisher: Nka
                sida: 12
                year: tjugohundra
            """);
        course.Write("01-a.md", Citing("utan-titel", "farlig-lank", "okant-falt"));

        var result = course.Compile();

        // Citations of faulty entries are not called unknown on top: the registry's own errors say what to fix.
        Assert.Equal(
            [
                "sources.yml:2:5: error: Fältet 'title' saknas.",
                "sources.yml:4:9: error: Käll-id 'Stora Bokstäver' får bara innehålla små bokstäver a–z, siffror och bindestreck, till exempel sol-2025-400.",
                "sources.yml:10:10: error: Fältet 'url' ska vara en webbadress som börjar med https://.",
                "sources.yml:14:5: error: Okänt fält 'sida'. Tillåtna fält: id, title, publisher, year, url, notes.",
                "sources.yml:15:11: error: Fältet 'year' ska vara ett heltal från 1800 till 2100.",
            ],
            result.Diagnostics.Select(d => Relative(course, d)));
        Assert.Null(result.Course);
    }

    [Fact]
    public void Broken_yaml_is_reported_in_sources_yml_and_no_citation_is_called_unknown()
    {
        using var course = new TempCourse(CourseYml, sourcesYml: "sources:\n  - id: a\n    title: \"Ett citat som aldrig stängs\n");
        course.Write("01-a.md", Citing("a", "b"));

        var diagnostic = Assert.Single(course.Compile().Diagnostics);

        Assert.Equal(DiagnosticCode.YamlSyntax, diagnostic.Code);
        Assert.Equal((course.SourcesFile, 3, 12), (diagnostic.File, diagnostic.Line, diagnostic.Column));
    }

    [Fact]
    public void The_registry_of_a_course_folder_is_beside_it_and_of_a_courses_folder_inside_it()
    {
        using var course = new TempCourse(CourseYml);
        course.Write("01-a.md", TempCourse.Lesson("Text."));

        Assert.Equal(course.SourcesFile, CourseCompiler.SourcesFileFor(course.Folder));
        Assert.Equal(course.SourcesFile, CourseCompiler.SourcesFileFor(course.Root));
    }
}
