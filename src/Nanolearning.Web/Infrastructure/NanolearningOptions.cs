namespace Nanolearning.Web.Infrastructure;

/// <summary>The app's own settings (section "Nanolearning").</summary>
public sealed class NanolearningOptions
{
    public const string Section = "Nanolearning";

    /// <summary>
    /// The app's address as people reach it, for every link read outside the app: e-mail, calendar feeds. Never taken
    /// from a request's Host header, which the client chooses.
    /// </summary>
    public string PublicUrl { get; set; } = "http://localhost:5080";

    /// <summary>An absolute address on <see cref="PublicUrl"/> for a path from the app's routes.</summary>
    public string Absolute(string path) => PublicUrl.TrimEnd('/') + path;

    /// <summary>The course folders, relative to the app's content root unless absolute.</summary>
    public string CoursesPath { get; set; } = "courses";

    /// <summary>Seeds a demo municipality into an empty database and offers one-click persona logins. Never in production.</summary>
    public bool Demo { get; set; }

    /// <summary>
    /// Allows <see cref="Demo"/> outside the Development environment: for a public demo server only, never for a
    /// kommun's real data. Demo accounts share a published password.
    /// </summary>
    public bool DemoOutsideDevelopment { get; set; }

    /// <summary>Demo size: employees to generate (a few hundred by default; the benchmark uses 50 000).</summary>
    public int DemoEmployees { get; set; } = 300;

    /// <summary>Demo size: approximate number of progress rows (lesson completions and answers) to generate.</summary>
    public int DemoProgressRows { get; set; } = 3_000;

    /// <summary>The course every new employee is assigned when they start.</summary>
    public string OnboardingCourseId { get; set; } = "anhorigperspektiv-introduktion";

    /// <summary>Days from an employee's start date to the onboarding course's due date.</summary>
    public int OnboardingDays { get; set; } = 30;

    /// <summary>Debounce before recompiling after a course file changes: editors write a file in several steps.</summary>
    public TimeSpan CourseReloadDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How often an instance asks the database for each course's newest published version, so an edit published by
    /// another instance is live here at most this long after (CourseSync). One small query; no request waits for it.
    /// </summary>
    public TimeSpan CourseSyncInterval { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<string> Mistakes(IHostEnvironment environment)
    {
        if (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return $"Nanolearning:PublicUrl \"{PublicUrl}\" is not an http(s) address.";
        }
        else if (url.Scheme != "https" && !environment.IsDevelopmentOrTesting())
        {
            yield return $"Nanolearning:PublicUrl \"{PublicUrl}\" is not an https address: in the {environment.EnvironmentName} environment the app is reached over HTTPS only.";
        }

        if (CourseSyncInterval < TimeSpan.FromSeconds(1) || CourseSyncInterval > TimeSpan.FromMinutes(5))
        {
            yield return $"Nanolearning:CourseSyncInterval {CourseSyncInterval} must be between 00:00:01 and 00:05:00.";
        }

        if (Demo && !DemoOutsideDevelopment && !environment.IsDevelopment())
        {
            yield return $"Nanolearning:Demo is on in the {environment.EnvironmentName} environment. Demo accounts share a published password: "
                + "turn Nanolearning:Demo off, or set Nanolearning:DemoOutsideDevelopment to true on a public demo server with no real data.";
        }
    }
}
