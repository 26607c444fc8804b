using Nanolearning.Courses;
using Nanolearning.Web.Features.MunicipalityFacts;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>
/// What the APT material pages show: a course's discussions, and the meeting they are for, if one. A discussion may
/// name the kommun's facts like a lesson, so <see cref="Facts"/> fills them in here too (or keeps the placeholders).
/// </summary>
public sealed record WorkplaceMeetingMaterial(CompiledCourse Course, string? UnitName, DateOnly? Date, FilledFacts Facts)
{
    /// <summary>The lesson a discussion comes from, so the chef can point the group to it.</summary>
    public Lesson? LessonOf(Discussion discussion) => Course.Lessons.FirstOrDefault(l => l.Id == discussion.LessonId);
}
