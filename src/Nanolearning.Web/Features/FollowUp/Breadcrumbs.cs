using Nanolearning.Web.Features.Organisation;

namespace Nanolearning.Web.Features.FollowUp;

/// <summary>
/// What <c>_Breadcrumbs.cshtml</c> draws: the follow-up start, the user's units above <paramref name="Unit"/>, the
/// unit, and the page below it (<paramref name="Here"/>, e.g. "Personer"), if the page is not the unit's own.
/// </summary>
public sealed record Breadcrumbs(IReadOnlyList<UnitNode> Above, UnitNode Unit, string? Here);
