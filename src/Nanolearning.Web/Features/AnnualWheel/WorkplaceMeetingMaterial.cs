using Nanolearning.Courses;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>What the APT material pages show: a course's discussions, and the meeting they are for, if one.</summary>
public sealed record WorkplaceMeetingMaterial(CompiledCourse Course, string? UnitName, DateOnly? Date)
{
    /// <summary>The lesson a discussion comes from, so the chef can point the group to it.</summary>
    public Lesson? LessonOf(Discussion discussion) => Course.Lessons.FirstOrDefault(l => l.Id == discussion.LessonId);
}
