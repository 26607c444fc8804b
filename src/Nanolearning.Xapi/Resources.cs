using System.Text.Json.Serialization;

namespace Nanolearning.Xapi;

/// <summary>A page of statements from a query; <see cref="More"/> is the relative IRL of the next page, if any.</summary>
public sealed record StatementsResult(ValueList<Statement> Statements, string? More = null)
{
    [JsonIgnore]
    public bool HasMore => !string.IsNullOrEmpty(More);
}

/// <summary>What an LRS says about itself at <c>/about</c>.</summary>
public sealed record About(ValueList<string> Version, Extensions? Extensions = null);
