using Markdig;
using Markdig.Renderers;

namespace Nanolearning.Courses.Facts;

/// <summary>The kommun's facts in lesson text: <c>{{kommun.namn}}</c>.</summary>
internal sealed class FactExtension : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        if (!pipeline.InlineParsers.Contains<FactParser>())
        {
            pipeline.InlineParsers.Add(new FactParser());
        }
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is HtmlRenderer html && !html.ObjectRenderers.Contains<FactRenderer>())
        {
            html.ObjectRenderers.Insert(0, new FactRenderer());
        }
    }
}

/// <summary>Registers <see cref="FactExtension"/>.</summary>
internal static class FactPipeline
{
    public static MarkdownPipelineBuilder UseKommunFacts(this MarkdownPipelineBuilder pipeline)
    {
        pipeline.Extensions.AddIfNotAlready<FactExtension>();
        return pipeline;
    }
}
