using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace Nanolearning.Courses.Facts;

/// <summary>Writes a known fact as its slot; an unknown one (an error, so never published) as the text written.</summary>
internal sealed class FactRenderer : HtmlObjectRenderer<FactInline>
{
    protected override void Write(HtmlRenderer renderer, FactInline fact)
    {
        if (KommunFacts.IsKnown(fact.Name) && renderer.EnableHtmlForInline)
        {
            renderer.Write(KommunFacts.Slot(fact.Name));
        }
        else
        {
            renderer.WriteEscape(KommunFacts.IsKnown(fact.Name) ? KommunFacts.Placeholder(fact.Name) : fact.Written);
        }
    }
}
