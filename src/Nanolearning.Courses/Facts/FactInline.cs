using Markdig.Syntax.Inlines;

namespace Nanolearning.Courses.Facts;

/// <summary><c>{{name}}</c> in lesson text: a place for one of the kommun's facts.</summary>
internal sealed class FactInline : LeafInline
{
    public required string Name { get; init; }

    /// <summary>The reference as the author wrote it, for rendering an unknown one as text.</summary>
    public required string Written { get; init; }
}
