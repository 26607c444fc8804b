using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Nanolearning.Courses;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Courses;

/// <summary>
/// Recompiles the courses when a file under the course folder, or the sources registry they cite, changes, so an edit
/// goes live without a restart.
/// </summary>
public sealed class CourseWatcher(CourseCatalog catalog, IOptions<NanolearningOptions> options, ILogger<CourseWatcher> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Directory.Exists(catalog.Folder))
        {
            log.LogWarning("Course folder {Folder} does not exist; not watching it.", catalog.Folder);
            return;
        }

        var changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var watcher = Watch(new FileSystemWatcher(catalog.Folder) { IncludeSubdirectories = true }, changes.Writer);
        // A courses folder holds sources.yml and is watched already; a single course folder has it in the folder above.
        var sources = CourseCompiler.SourcesFileFor(catalog.Folder);
        using var sourcesWatcher = Path.GetDirectoryName(sources) is { } sourcesFolder && sourcesFolder != catalog.Folder && Directory.Exists(sourcesFolder)
            ? Watch(new FileSystemWatcher(sourcesFolder, Path.GetFileName(sources)), changes.Writer)
            : null;

        try
        {
            while (await changes.Reader.WaitToReadAsync(stoppingToken))
            {
                // Let the editor finish writing, then compile once for the whole burst of events.
                await Task.Delay(options.Value.CourseReloadDelay, stoppingToken);
                while (changes.Reader.TryRead(out _))
                {
                }

                try
                {
                    await catalog.ReloadAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogError(ex, "Reloading the courses failed; the live versions are unchanged.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static FileSystemWatcher Watch(FileSystemWatcher watcher, ChannelWriter<bool> changes)
    {
        void Changed(object sender, EventArgs e) => changes.TryWrite(true);
        watcher.NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size;
        watcher.Changed += Changed;
        watcher.Created += Changed;
        watcher.Deleted += Changed;
        watcher.Renamed += Changed;
        watcher.Error += Changed;
        watcher.EnableRaisingEvents = true;
        return watcher;
    }
}
