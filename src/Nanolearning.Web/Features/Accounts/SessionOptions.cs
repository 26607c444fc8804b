namespace Nanolearning.Web.Features.Accounts;

/// <summary>How long a sign-in lasts (section "Sessions").</summary>
public sealed class SessionOptions
{
    public const string Section = "Sessions";

    /// <summary>
    /// A session unused this long ends (the cookie's sliding expiry). The cookie is renewed only once half of it has
    /// passed, so in practice a session ends between half this time and this time after the last request.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after sign-in however busy it is; the person signs in again.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// How long the server trusts its last look at a session in the database (the account's security stamp, whether
    /// the learner is still active). Sign-out and the HR import take effect at once on this app instance; anything
    /// else (another instance, the operator's commands, a change made in the database by hand) within this time.
    /// Zero looks every request.
    /// </summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Mistakes()
    {
        if (CheckInterval < TimeSpan.Zero || CheckInterval > TimeSpan.FromMinutes(5))
        {
            yield return "Sessions:CheckInterval must be between 00:00:00 and 00:05:00.";
        }

        if (IdleTimeout < TimeSpan.FromMinutes(1) || IdleTimeout > TimeSpan.FromDays(1))
        {
            yield return "Sessions:IdleTimeout must be between 00:01:00 and 1.00:00:00.";
        }

        if (AbsoluteLifetime < IdleTimeout || AbsoluteLifetime > TimeSpan.FromDays(30))
        {
            yield return "Sessions:AbsoluteLifetime must be at least Sessions:IdleTimeout and at most 30.00:00:00.";
        }
    }
}
