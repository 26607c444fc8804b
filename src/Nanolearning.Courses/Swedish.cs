using System.Globalization;

namespace Nanolearning.Courses;

/// <summary>The Swedish culture: numbers in messages to authors (2,5 minuter), dates and ordering in the app.</summary>
public static class Swedish
{
    public static CultureInfo Culture { get; } = CultureInfo.GetCultureInfo("sv-SE");
}
