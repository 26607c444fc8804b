using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Courses;

/// <summary>
/// The courses the app serves. Each course's live version is the last one that compiled without errors; a broken
/// edit leaves it live and shows the errors to admins. Every version ever published is stored in the database, so a
/// learner finishes the version they started, across edits and restarts.
/// </summary>
public sealed class CourseCatalog(
    IOptions<NanolearningOptions> options,
    IWebHostEnvironment environment,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<CourseCatalog> log)
{
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private readonly ConcurrentDictionary<(string CourseId, string Version), CompiledCourse> _versions = new();
    private volatile CatalogState _state = new(
        ImmutableDictionary<string, CompiledCourse>.Empty, ImmutableDictionary<string, string>.Empty, [], null);

    public string Folder { get; } = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.CoursesPath));

    /// <summary>Live courses in title order.</summary>
    public IEnumerable<CompiledCourse> Live => _state.Live.Values.OrderBy(c => c.Title, StringComparer.Create(Swedish.Culture, false));

    /// <summary>Problems found by the latest compile, per course folder, for admins.</summary>
    public ImmutableArray<CourseProblem> Problems => _state.Problems;

    public DateTime? CheckedAt => _state.CheckedAt;

    public CompiledCourse? FindLive(string courseId) => _state.Live.GetValueOrDefault(courseId);

    /// <summary>
    /// The file behind a live course's media path, or null. Only files the compiler listed are served, so no path
    /// from the client reaches the file system unchecked; and never through a symbolic link: the compiler refuses
    /// links, and one made or swapped in since the compile is refused here.
    /// </summary>
    public string? FindMediaFile(string courseId, string path)
    {
        var state = _state;
        if (!state.Live.TryGetValue(courseId, out var course)
            || !state.Folders.TryGetValue(courseId, out var folder)
            || !course.Media.Any(m => m.Path == "media/" + path))
        {
            return null;
        }

        var file = Path.Combine(folder, "media", path);
        for (var step = file; step.Length > folder.Length; step = Path.GetDirectoryName(step) ?? folder)
        {
            if (new FileInfo(step).LinkTarget is not null)
            {
                return null;
            }
        }

        return file;
    }

    /// <summary>The version an enrolment names; null only if the stored version is gone, which the caller reports.</summary>
    public Task<CompiledCourse?> FindVersionAsync(Enrolment enrolment, CancellationToken cancel = default) =>
        FindVersionAsync(enrolment.CourseId, enrolment.CourseVersion, cancel);

    /// <summary>A course at a given version: memory first, then the database. Null when no such version was ever published.</summary>
    public async Task<CompiledCourse?> FindVersionAsync(string courseId, string version, CancellationToken cancel = default)
    {
        if (_versions.TryGetValue((courseId, version), out var course))
        {
            return course;
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var json = await db.CourseVersions.AsNoTracking()
            .Where(v => v.CourseId == courseId && v.Version == version)
            .Select(v => v.Json)
            .FirstOrDefaultAsync(cancel);
        return json is null ? null : _versions.GetOrAdd((courseId, version), CourseJson.Deserialize(json));
    }

    /// <summary>
    /// Makes the latest stored version of each course live, then compiles the folder over it. Run at startup, so a
    /// course that is broken on disk when the app starts still serves its last good version.
    /// </summary>
    public async Task LoadAsync(CancellationToken cancel = default)
    {
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            // Every version stays stored, but only each course's latest is read (the others load when a learner needs one).
            var published = await db.CourseVersions.Select(v => new { v.CourseId, v.Version, v.PublishedAt }).ToListAsync(cancel);
            var latest = published.GroupBy(v => v.CourseId).ToDictionary(g => g.Key, g => g.MaxBy(v => v.PublishedAt)!.Version);
            var versions = latest.Values.ToList();
            var live = ImmutableDictionary<string, CompiledCourse>.Empty;
            await foreach (var v in db.CourseVersions.AsNoTracking().Where(v => versions.Contains(v.Version)).AsAsyncEnumerable().WithCancellation(cancel))
            {
                if (latest[v.CourseId] == v.Version)
                {
                    live = live.SetItem(v.CourseId, _versions.GetOrAdd((v.CourseId, v.Version), CourseJson.Deserialize(v.Json)));
                }
            }

            _state = _state with { Live = live };
        }

        await ReloadAsync(cancel);
    }

    /// <summary>Compiles the course folder and publishes every course that compiles without errors.</summary>
    public async Task ReloadAsync(CancellationToken cancel = default)
    {
        await _reloading.WaitAsync(cancel);
        try
        {
            var results = Directory.Exists(Folder)
                ? new CourseCompiler(clock: time).CompileAll(Folder)
                : [];
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var live = _state.Live;
            var folders = _state.Folders;
            var problems = ImmutableArray.CreateBuilder<CourseProblem>();
            var now = time.GetUtcNow().UtcDateTime;

            foreach (var result in results)
            {
                if (result.Diagnostics.Length > 0)
                {
                    problems.Add(new CourseProblem(
                        Path.GetFileName(result.Folder), result.HasErrors,
                        [.. result.Diagnostics.Select(d => d with { File = Path.GetRelativePath(Folder, d.File) })]));
                }

                if (result.HasErrors || result.Course is not { } course)
                {
                    log.LogWarning("Course folder {Folder} has errors; its last good version stays live.", Path.GetFileName(result.Folder));
                    continue;
                }

                if (!live.TryGetValue(course.Id, out var current) || current.Version != course.Version)
                {
                    await PublishAsync(db, course, now, cancel);
                    log.LogInformation("Published course {Course} version {Version}.", course.Id, course.Version);
                }

                _versions.TryAdd((course.Id, course.Version), course);
                // A folder whose course.yml now names another id: the old id is retired.
                foreach (var renamed in folders.Where(f => f.Value == result.Folder && f.Key != course.Id).Select(f => f.Key).ToList())
                {
                    live = live.Remove(renamed);
                    folders = folders.Remove(renamed);
                }

                live = live.SetItem(course.Id, course);
                folders = folders.SetItem(course.Id, result.Folder);
            }

            // A deleted course folder retires its course: no longer offered, though learners who started it finish
            // it (their version is in the database). A folder that is only broken keeps its last good version.
            foreach (var id in live.Keys.Where(id => !Directory.Exists(folders.GetValueOrDefault(id) ?? Path.Combine(Folder, id))).ToList())
            {
                log.LogInformation("Course {Course} has no folder any more; it is no longer offered.", id);
                live = live.Remove(id);
                folders = folders.Remove(id);
            }

            _state = new CatalogState(live, folders, problems.ToImmutable(), now);
        }
        finally
        {
            _reloading.Release();
        }
    }

    private static async Task PublishAsync(AppDbContext db, CompiledCourse course, DateTime now, CancellationToken cancel)
    {
        var stored = await db.CourseVersions.FindAsync([course.Id, course.Version], cancel);
        if (stored is null)
        {
            db.CourseVersions.Add(new StoredCourseVersion
            {
                CourseId = course.Id,
                Version = course.Version,
                Title = course.Title,
                Json = CourseJson.Serialize(course),
                PublishedAt = now,
            });
        }
        else
        {
            // A course edited back to an earlier version becomes live again: newest publication wins at startup.
            stored.PublishedAt = now;
        }

        try
        {
            await db.SaveChangesAsync(cancel);
        }
        catch (DbUpdateException e) when (Database.IsUniqueViolation(e))
        {
            // Another instance on the same database compiled the same folder and published this version first
            // (both watchers saw the edit): the row is there, which is all this wanted.
            db.ChangeTracker.Clear();
        }
    }

    private sealed record CatalogState(
        ImmutableDictionary<string, CompiledCourse> Live,
        ImmutableDictionary<string, string> Folders,
        ImmutableArray<CourseProblem> Problems,
        DateTime? CheckedAt);
}

/// <summary>What the latest compile found in one course folder.</summary>
public sealed record CourseProblem(string Folder, bool HasErrors, ImmutableArray<Diagnostic> Diagnostics);
