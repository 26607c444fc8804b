using System.Collections.Immutable;
using System.Security.Cryptography;

namespace Nanolearning.Courses.Media;

/// <summary>
/// The course folder's files as the app may serve them: no symbolic links anywhere in the course folder, and in
/// <c>media/</c> only the kinds <see cref="MediaTypes"/> allows, with SVG checked for script. Hidden entries (names
/// starting with a dot, such as .DS_Store or an editor's lock file) are neither compiled nor served, so they are
/// skipped here too.
/// </summary>
internal static class MediaFolder
{
    public const string Name = "media";

    // Every entry, whatever its attributes; the walk itself skips names starting with a dot, the same on every system.
    private static readonly EnumerationOptions Entries = new() { AttributesToSkip = 0, RecurseSubdirectories = false };

    /// <summary>Reports every symbolic link under <paramref name="folder"/>: a link can point the app at any file on the server.</summary>
    public static void ReportLinks(string folder, DiagnosticBag diagnostics)
    {
        foreach (var entry in Walk(new DirectoryInfo(folder)).Where(e => e.LinkTarget is not null))
        {
            diagnostics.Error(DiagnosticCode.SymbolicLink, Path.Combine(folder, Path.GetRelativePath(folder, entry.FullName)), 1, 1,
                $"'{Relative(folder, entry.FullName)}' är en symbolisk länk. Kursmappen får bara innehålla vanliga filer och mappar; kopiera in filen i stället.");
        }
    }

    /// <summary>Whether <paramref name="path"/> is a symbolic link itself (the links to it are reported by <see cref="ReportLinks"/>).</summary>
    public static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    /// <summary>Checks and lists the files of <c>media/</c>; only files that pass are listed, and so served.</summary>
    public static ImmutableArray<MediaFile> Read(string folder, DiagnosticBag diagnostics)
    {
        var media = new DirectoryInfo(Path.Combine(folder, Name));
        if (!media.Exists || media.LinkTarget is not null)
        {
            return [];
        }

        var files = ImmutableArray.CreateBuilder<MediaFile>();
        foreach (var file in Walk(media).OfType<FileInfo>().Where(f => f.LinkTarget is null).OrderBy(f => f.FullName, StringComparer.Ordinal))
        {
            var relative = Relative(folder, file.FullName);
            var display = Path.Combine(folder, Path.GetRelativePath(folder, file.FullName));
            if (MediaTypes.ContentTypeOf(file.Name) is null)
            {
                diagnostics.Error(DiagnosticCode.MediaTypeNotAllowed, display, 1, 1,
                    $"Filen '{relative}' får inte ligga i media/. Där får bara {MediaTypes.Described} ligga.");
                continue;
            }

            if (MediaTypes.IsSvg(file.Name))
            {
                var before = diagnostics.ErrorCount;
                SvgCheck.Check(file.FullName, display, diagnostics);
                if (diagnostics.ErrorCount > before)
                {
                    continue;
                }
            }

            using var stream = file.OpenRead();
            files.Add(new MediaFile(relative, stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream))));
        }

        return files.ToImmutable();
    }

    /// <summary>Every entry below <paramref name="directory"/> except hidden ones, not descending into links.</summary>
    private static IEnumerable<FileSystemInfo> Walk(DirectoryInfo directory)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos("*", Entries).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry.Name.StartsWith('.'))
            {
                continue;
            }

            yield return entry;
            if (entry is DirectoryInfo sub && entry.LinkTarget is null)
            {
                foreach (var below in Walk(sub))
                {
                    yield return below;
                }
            }
        }
    }

    private static string Relative(string folder, string path) =>
        Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');
}
