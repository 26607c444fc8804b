using Microsoft.AspNetCore.Authorization;

namespace Nanolearning.Web.Features.Organisation;

/// <summary>
/// May plan the unit: see its årshjul and follow-up, and add, change, move and delete its entries. An admin may plan
/// every unit, a chef the units they lead and those below them. The resource is the <see cref="UnitNode"/>.
/// </summary>
public sealed class ManagesUnit : IAuthorizationRequirement;

/// <summary>
/// May open the unit's planned entries (an APT's material): a unit the user manages, or a unit above one, whose
/// entries the managed unit inherits (a chef holds the kommun's APT for their own staff). The resource is the
/// <see cref="UnitNode"/> the entry belongs to.
/// </summary>
public sealed class SeesUnitPlan : IAuthorizationRequirement;

// The handlers are scoped, like the UnitAccess they use, which loads the organisation tree once per request.
// AuthorizationHandlerContext carries no cancellation token; in a request the page has loaded the tree already.

public sealed class ManagesUnitHandler(UnitAccess access) : AuthorizationHandler<ManagesUnit, UnitNode>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ManagesUnit requirement, UnitNode unit)
    {
        if ((await access.ForAsync(context.User, CancellationToken.None)).Includes(unit.Id))
        {
            context.Succeed(requirement);
        }
    }
}

public sealed class SeesUnitPlanHandler(UnitAccess access) : AuthorizationHandler<SeesUnitPlan, UnitNode>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, SeesUnitPlan requirement, UnitNode unit)
    {
        if ((await access.ForAsync(context.User, CancellationToken.None)).IncludesOrInheritsFrom(unit.Id))
        {
            context.Succeed(requirement);
        }
    }
}
