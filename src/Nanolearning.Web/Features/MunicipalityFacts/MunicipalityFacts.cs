using Nanolearning.Courses.Facts;

namespace Nanolearning.Web.Features.MunicipalityFacts;

/// <summary>
/// The kommun's own facts that lessons name as <c>{{kommun.namn}}</c> (the names are <see cref="KommunFacts"/>):
/// one row, entered by an admin at /admin/kommunfakta. A fact left empty shows its placeholder in the lessons.
/// </summary>
public sealed class KommunFactsRow
{
    /// <summary>The one row's id: there is one kommun per installation.</summary>
    public const int SingleId = 1;

    public int Id { get; set; } = SingleId;

    public string? Name { get; set; }

    public string? Phone { get; set; }

    public string? Email { get; set; }

    public string? WebPage { get; set; }

    /// <summary>Free text, one offer a line: groups, avlösning, meeting places.</summary>
    public string? Offers { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>The value entered for a fact name of <see cref="KommunFacts"/>, or null while it is empty.</summary>
    public string? ValueOf(string fact) => (fact switch
    {
        KommunFacts.MunicipalityName => Name,
        KommunFacts.SupportPhone => Phone,
        KommunFacts.SupportEmail => Email,
        KommunFacts.SupportWebPage => WebPage,
        KommunFacts.SupportOffers => Offers,
        _ => null,
    }) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
