using System.Globalization;

namespace Nanolearning.Courses;

/// <summary>Numbers in messages to authors are written the Swedish way (2,5 minuter).</summary>
internal static class Swedish
{
    public static CultureInfo Culture { get; } = CultureInfo.GetCultureInfo("sv-SE");
}
