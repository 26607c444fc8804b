namespace Nanolearning.Courses;

/// <summary>The audiences a course may name in course.yml; the app gives each learner some of them.</summary>
public static class Audience
{
    public const string NewEmployee = "nyanstalld";
    public const string Employee = "medarbetare";
    public const string CaseOfficer = "handlaggare";
    public const string Manager = "chef";
    public const string Politician = "politiker";
}
