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
/// <remarks>
/// With several instances on one database, the database decides which version is live: the newest publication of
/// each course (<see cref="NewestAsync"/>). An instance publishes from its own folder only when that folder changes
/// under it, and <see cref="SyncAsync"/> (run by <see cref="CourseSync"/>) brings every instance to the newest
/// publication, so an edit on one reaches all, and an instance whose folder still holds the older version does not
/// publish it back.
/// </remarks>
public sealed class CourseCatalog(
    IOptions<NanolearningOptions> options,
    IWebHostEnvironment environment,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<CourseCatalog> log)
{
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private readonly ConcurrentDictionary<(string CourseId, string Version), CompiledCourse> _versions = new();

    // The version each course in this instance's folder compiled to last (read and written under _reloading): a
    // folder that compiles to the same version as before has not changed, whatever is live.
    private readonly Dictionary<string, string> _compiled = [];
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
            // Every version stays stored, but only each course's newest is read (the others load when a learner needs one).
            var newest = await NewestAsync(db, cancel);
            var versions = newest.Values.ToList();
            var live = ImmutableDictionary<string, CompiledCourse>.Empty;
            await foreach (var v in db.CourseVersions.AsNoTracking().Where(v => versions.Contains(v.Version)).AsAsyncEnumerable().WithCancellation(cancel))
            {
                if (newest[v.CourseId] == v.Version)
                {
                    live = live.SetItem(v.CourseId, _versions.GetOrAdd((v.CourseId, v.Version), CourseJson.Deserialize(v.Json)));
                }
            }

            _state = _state with { Live = live };
        }

        await ReloadAsync(cancel);
    }

    /// <summary>
    /// Compiles the course folder and publishes every course whose folder changed and compiles without errors. A
    /// course compiles to the same version as last time when its folder did not change: that is no news, and the live
    /// version (perhaps a newer one another instance published) stays. At start-up "last time" is the live version.
    /// </summary>
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

                var changed = !live.TryGetValue(course.Id, out var current)
                    || (_compiled.TryGetValue(course.Id, out var last) ? last != course.Version : current.Version != course.Version);
                _compiled[course.Id] = course.Version;
                _versions.TryAdd((course.Id, course.Version), course);
                if (changed)
                {
                    await PublishAsync(db, course, now, cancel);
                    log.LogInformation("Published course {Course} version {Version}.", course.Id, course.Version);
                    live = live.SetItem(course.Id, course);
                }

                // A folder whose course.yml now names another id: the old id is retired.
                foreach (var renamed in folders.Where(f => f.Value == result.Folder && f.Key != course.Id).Select(f => f.Key).ToList())
                {
                    live = live.Remove(renamed);
                    folders = folders.Remove(renamed);
                }

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

    /// <summary>
    /// Makes the newest published version of each course this instance serves live, when it is not already: another
    /// instance published it from its folder. One small query; the version's JSON is read only when it changed.
    /// </summary>
    public async Task SyncAsync(CancellationToken cancel = default)
    {
        await _reloading.WaitAsync(cancel);
        try
        {
            Dictionary<string, string> newest;
            using (var scope = scopes.CreateScope())
            {
                newest = await NewestAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), cancel);
            }

            var before = _state.Live;
            var live = before;
            // Only the courses this instance offers: one whose folder is gone here stays retired (see ReloadAsync).
            foreach (var (id, current) in before)
            {
                if (newest.TryGetValue(id, out var version) && version != current.Version
                    && await FindVersionAsync(id, version, cancel) is { } course)
                {
                    log.LogInformation("Course {Course} version {Version}, the newest published, is live.", id, version);
                    live = live.SetItem(id, course);
                }
            }

            if (live != before)
            {
                _state = _state with { Live = live };
            }
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>
    /// Each course's newest publication, which every instance serves: the latest PublishedAt, and of two published at
    /// the same moment the greater version, so all instances pick the same one.
    /// </summary>
    private static Task<Dictionary<string, string>> NewestAsync(AppDbContext db, CancellationToken cancel) =>
        db.CourseVersions
            .GroupBy(v => v.CourseId)
            .Select(g => new
            {
                CourseId = g.Key,
                Version = g.OrderByDescending(v => v.PublishedAt).ThenByDescending(v => v.Version).Select(v => v.Version).First(),
            })
            .ToDictionaryAsync(v => v.CourseId, v => v.Version, cancel);

    private static async Task PublishAsync(AppDbContext db, CompiledCourse course, DateTime now, CancellationToken cancel)
    {
        // A publication is the newest by definition, even if this server's clock is behind the one that published
        // the course last: otherwise the other instances (and this one, at its next sync) would keep the older version.
        if (await db.CourseVersions.Where(v => v.CourseId == course.Id).MaxAsync(v => (DateTime?)v.PublishedAt, cancel) is { } latest && latest >= now)
        {
            now = DateTime.SpecifyKind(latest.AddMilliseconds(1), DateTimeKind.Utc);
        }

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
            // A course edited back to an earlier version becomes live again: it is the newest publication.
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
