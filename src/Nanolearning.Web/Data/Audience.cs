namespace Nanolearning.Web.Data;

/// <summary>The course audiences, spelled as in course.yml.</summary>
public static class Audience
{
    public const string NewEmployee = "nyanstalld";
    public const string Employee = "medarbetare";
    public const string CaseOfficer = "handlaggare";
    public const string Manager = "chef";
    public const string Politician = "politiker";
}
