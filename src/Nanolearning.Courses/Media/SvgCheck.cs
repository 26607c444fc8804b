using System.Xml;

namespace Nanolearning.Courses.Media;

/// <summary>
/// Refuses SVG images that could run script or fetch anything outside themselves. Inside an &lt;img&gt; a browser
/// never runs an SVG's script, but a learner can open the image on its own, and then it is a document of its own. The
/// app serves SVG with a sandboxing policy as well; this check tells the author at compile time, at the line, rather
/// than leave a broken image that only the policy stops. Allow-listing SVG's hundreds of elements would reject
/// ordinary drawings from Inkscape or Illustrator (their editor metadata), so the check names what is dangerous.
/// </summary>
internal static class SvgCheck
{
    private const string SvgNamespace = "http://www.w3.org/2000/svg";

    // Elements that run script, embed a document, or listen for events, in whatever namespace they are written.
    private static readonly HashSet<string> ForbiddenElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "foreignObject", "iframe", "embed", "object", "handler", "listener",
    };

    // HTML inside SVG renders only in foreignObject, but an HTML <script> runs anywhere in an XML document; XML
    // Events attaches handlers. Neither belongs in a picture.
    private static readonly HashSet<string> ForbiddenNamespaces = new(StringComparer.Ordinal)
    {
        "http://www.w3.org/1999/xhtml", "http://www.w3.org/2001/xml-events",
    };

    private static readonly HashSet<string> AnimationElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "set", "animate", "animateMotion", "animateTransform", "animateColor",
    };

    // Raster images embedded in the file itself are the only references that leave the file.
    private static readonly string[] EmbeddedImages = ["data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp"];

    private static readonly XmlReaderSettings Settings = new()
    {
        // No DTD: it would bring entity expansion (a billion laughs) and external entities. Files that use entities
        // are reported as unreadable.
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
    };

    public static void Check(string path, string displayPath, DiagnosticBag diagnostics)
    {
        using var stream = File.OpenRead(path);
        using var reader = XmlReader.Create(stream, Settings);
        var at = (IXmlLineInfo)reader;
        var sawRoot = false;
        var inStyle = 0;
        try
        {
            // After skipping a forbidden element's content the reader already stands on the next node.
            var read = true;
            while (read ? reader.Read() : !reader.EOF)
            {
                read = true;
                switch (reader.NodeType)
                {
                    case XmlNodeType.ProcessingInstruction when reader.Name.Equals("xml-stylesheet", StringComparison.OrdinalIgnoreCase):
                        Error(at.LineNumber, at.LinePosition - 2,
                            "SVG-filen hämtar en stilmall utanför filen (<?xml-stylesheet?>). Ta bort raden; skriv stilen i filen.");
                        break;
                    case XmlNodeType.Element:
                        if (!sawRoot)
                        {
                            sawRoot = true;
                            if (reader.LocalName != "svg" || reader.NamespaceURI != SvgNamespace)
                            {
                                Error(at.LineNumber, at.LinePosition - 1,
                                    $"Filen är inte en SVG-bild: den börjar med <{reader.Name}> i stället för <svg xmlns=\"{SvgNamespace}\">.");
                                return;
                            }
                        }

                        if (!CheckElement(reader, at, Error))
                        {
                            reader.Skip(); // one error for the element, none for what it holds
                            read = false;
                        }
                        else if (reader.LocalName == "style" && !reader.IsEmptyElement)
                        {
                            inStyle++;
                        }

                        break;
                    case XmlNodeType.EndElement when reader.LocalName == "style":
                        inStyle = Math.Max(0, inStyle - 1);
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA when inStyle > 0:
                        CheckCss(reader.Value, at.LineNumber, at.LinePosition, Error);
                        break;
                }
            }
        }
        catch (XmlException invalid)
        {
            diagnostics.Error(DiagnosticCode.UnsafeSvg, displayPath, Math.Max(1, invalid.LineNumber), Math.Max(1, invalid.LinePosition),
                "SVG-filen är inte giltig XML och kan inte kontrolleras. Spara den på nytt som vanlig SVG från ritprogrammet.");
            return;
        }

        if (!sawRoot)
        {
            Error(1, 1, "SVG-filen är tom.");
        }

        void Error(int line, int column, string message) =>
            diagnostics.Error(DiagnosticCode.UnsafeSvg, displayPath, Math.Max(1, line), Math.Max(1, column), message);
    }

    /// <summary>Checks the element the reader stands on and its attributes; false when the element itself is forbidden.</summary>
    private static bool CheckElement(XmlReader reader, IXmlLineInfo at, Action<int, int, string> error)
    {
        // The reader stands on the element's name, just after its '<'.
        var (line, column) = (at.LineNumber, at.LinePosition - 1);
        if (ForbiddenElements.Contains(reader.LocalName))
        {
            error(line, column, reader.LocalName.ToLowerInvariant() switch
            {
                "script" => $"SVG-filen innehåller <{reader.Name}>. Skript får inte finnas i kursens bilder; ta bort det.",
                "foreignobject" => $"SVG-filen innehåller <{reader.Name}>, som kan bära HTML och skript. Ta bort det.",
                _ => $"SVG-filen innehåller <{reader.Name}>, som kan köra skript eller bädda in en annan sida. Ta bort det.",
            });
            return false;
        }

        if (ForbiddenNamespaces.Contains(reader.NamespaceURI))
        {
            error(line, column, $"SVG-filen innehåller HTML-elementet <{reader.Name}>. En bild i kursen får bara innehålla SVG.");
            return false;
        }

        var isAnimation = AnimationElements.Contains(reader.LocalName);
        while (reader.MoveToNextAttribute())
        {
            if (reader.Prefix == "xmlns" || reader.Name == "xmlns")
            {
                continue;
            }

            var (attributeLine, attributeColumn) = (at.LineNumber, at.LinePosition);
            var name = reader.LocalName;
            var value = reader.Value;
            if (name.StartsWith("on", StringComparison.OrdinalIgnoreCase))
            {
                error(attributeLine, attributeColumn, $"SVG-filen har attributet '{reader.Name}', som kör skript. Ta bort det.");
            }
            else if (name.Equals("href", StringComparison.OrdinalIgnoreCase) && !IsInternal(value))
            {
                error(attributeLine, attributeColumn, ExternalReference(value));
            }
            else if (isAnimation && name == "attributeName"
                && (value.Trim().EndsWith("href", StringComparison.OrdinalIgnoreCase) || value.Trim().StartsWith("on", StringComparison.OrdinalIgnoreCase)))
            {
                error(attributeLine, attributeColumn,
                    $"SVG-filen ändrar attributet '{value.Trim()}' med en animering, vilket kan göra om det till skript. Ta bort animeringen.");
            }
            else
            {
                CheckCss(value, attributeLine, attributeColumn, error);
            }
        }

        reader.MoveToElement();
        return true;
    }

    /// <summary>Style sheets, style attributes and presentation attributes (<c>fill="url(#gradient)"</c>) may point only within the file.</summary>
    private static void CheckCss(string css, int line, int column, Action<int, int, string> error)
    {
        if (css.Contains("@import", StringComparison.OrdinalIgnoreCase))
        {
            error(line, column, "SVG-filen hämtar en stilmall utanför filen (@import). Skriv stilen i filen.");
            return;
        }

        for (var start = css.IndexOf("url(", StringComparison.OrdinalIgnoreCase); start >= 0;
             start = css.IndexOf("url(", start + 4, StringComparison.OrdinalIgnoreCase))
        {
            var target = css[(start + 4)..].TrimStart().TrimStart('"', '\'').TrimStart();
            if (!IsInternal(target))
            {
                var end = target.IndexOfAny([')', '"', '\'']);
                error(line, column, ExternalReference(end >= 0 ? target[..end] : target));
                return;
            }
        }
    }

    private static bool IsInternal(string reference)
    {
        var trimmed = reference.Trim();
        return trimmed.StartsWith('#') || EmbeddedImages.Any(p => trimmed.StartsWith(p, StringComparison.OrdinalIgnoreCase));
    }

    private static string ExternalReference(string reference)
    {
        var shown = reference.Trim();
        shown = shown.Length > 40 ? shown[..40] + "…" : shown;
        return $"SVG-filen hänvisar till '{shown}' utanför filen. En bild i kursen får bara hänvisa inom sig själv (#namn) " +
            "eller till bilder inbäddade i filen (data:image/png).";
    }
}
