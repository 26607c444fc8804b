using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Microsoft.Win32.SafeHandles;

namespace Nanolearning.Courses;

/// <summary>Reads an author's text file defensively: size limit, binary data and invalid UTF-8 become diagnostics.</summary>
internal static class SourceText
{
    public static string? Read(string path, string displayPath, CompilerOptions options, DiagnosticBag diagnostics)
    {
        // One open for both the size check and the contents: opening a file costs about as much as parsing it.
        using var handle = File.OpenHandle(path);
        var length = RandomAccess.GetLength(handle);
        if (length > options.MaxFileBytes)
        {
            diagnostics.Error(DiagnosticCode.FileTooLarge, displayPath, 1, 1,
                $"Filen är {length / 1024} kB. En fil får vara högst {options.MaxFileBytes / 1024} kB; dela upp den i flera lektioner.");
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            return Decode(buffer.AsSpan(0, ReadAll(handle, buffer.AsSpan(0, (int)length))), displayPath, diagnostics);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int ReadAll(SafeFileHandle handle, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer[total..], total);
            if (read == 0)
            {
                break; // the file shrank since its length was read
            }

            total += read;
        }

        return total;
    }

    private static string? Decode(ReadOnlySpan<byte> bytes, string displayPath, DiagnosticBag diagnostics)
    {
        var nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
        {
            var (line, column) = Position(bytes, nul);
            diagnostics.Error(DiagnosticCode.FileIsBinary, displayPath, line, column,
                "Filen innehåller binära data och kan inte läsas som text. Är det rätt fil?");
            return null;
        }

        var chars = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            var status = Utf8.ToUtf16(bytes, chars, out var bytesRead, out var charsWritten, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                var (line, column) = Position(bytes, bytesRead);
                diagnostics.Error(DiagnosticCode.FileNotUtf8, displayPath, line, column,
                    "Filen är inte sparad som UTF-8 (tecknen å, ä och ö kan bli fel). Spara om filen med teckenkodningen UTF-8.");
                return null;
            }

            var start = charsWritten > 0 && chars[0] == '\uFEFF' ? 1 : 0;
            return new string(chars, start, charsWritten - start);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Line and column (in characters) of a byte offset in UTF-8-ish bytes.</summary>
    private static (int Line, int Column) Position(ReadOnlySpan<byte> bytes, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        var column = Encoding.UTF8.GetCharCount(bytes[lineStart..offset]) + 1;
        return (line, column);
    }
}
