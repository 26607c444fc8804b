using Microsoft.AspNetCore.Authorization;
using Nanolearning.Courses;
using Nanolearning.Web.Features.Accounts;

namespace Nanolearning.Web.Features.Learning;

/// <summary>
/// May open the course: a learner who has started it (any version) or may take it (<see cref="Learning.MayOpenAsync"/>),
/// the rule the course page follows. Its media follow the same rule, so a course for politicians shows its pictures
/// to politicians only. The resource is the live <see cref="CompiledCourse"/>.
/// </summary>
public sealed class OpensCourse : IAuthorizationRequirement;

// Scoped, like the Learning queries it asks. AuthorizationHandlerContext carries no cancellation token.
public sealed class OpensCourseHandler(Learning learning) : AuthorizationHandler<OpensCourse, CompiledCourse>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, OpensCourse requirement, CompiledCourse course)
    {
        if (context.User.LearnerId() is { } learnerId && await learning.MayOpenAsync(learnerId, course, CancellationToken.None))
        {
            context.Succeed(requirement);
        }
    }
}
