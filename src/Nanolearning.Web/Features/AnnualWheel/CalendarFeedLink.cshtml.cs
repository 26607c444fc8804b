using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>
/// A chef's or admin's calendar subscription: makes the secret link to their units' årshjul feeds and shows it once.
/// Only the token's hash is kept, so the links cannot be shown again; a new link replaces the old one.
/// </summary>
// The response after "Skapa" holds the secret: no cache may keep it.
[ResponseCache(Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class CalendarFeedLinkModel(UnitAccess access, UserManager<AppUser> users, LinkGenerator links, IOptions<NanolearningOptions> options) : PageModel
{
    private AppUser? _user;

    public IReadOnlyList<UnitNode> Units { get; private set; } = [];

    public bool HasLink { get; private set; }

    /// <summary>The new links, one per top unit, only in the response that made them.</summary>
    public IReadOnlyList<FeedLink> NewLinks { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancel)
    {
        if (await LoadAsync(cancel) is { } refusal)
        {
            return refusal;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancel)
    {
        if (await LoadAsync(cancel) is { } refusal)
        {
            return refusal;
        }

        var user = _user ?? throw new InvalidOperationException("A signed-in user without an account.");
        var token = CalendarToken.New();
        user.CalendarTokenHash = CalendarToken.Hash(token);
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded)
        {
            throw new InvalidOperationException("Could not save the calendar token: " + string.Join(", ", saved.Errors.Select(e => e.Code)));
        }

        HasLink = true;
        NewLinks = [.. Units.Select(u => new FeedLink(u, FeedUrl(token, u.Id)))];
        return Page();
    }

    // On the configured address: the link is pasted into Outlook, and must not follow whatever Host header came in.
    private string FeedUrl(string token, int unitId) =>
        options.Value.Absolute(links.GetPathByName(CalendarFeed.RouteName, new { token, unitId }) ?? throw new InvalidOperationException("No route to the calendar feed."));

    private async Task<IActionResult?> LoadAsync(CancellationToken cancel)
    {
        var managed = await access.ForAsync(User, cancel);
        if (!managed.Any)
        {
            return Problem.Show(this, StatusCodes.Status403Forbidden, "Ingen enhet att prenumerera på",
                "Kalenderprenumerationen visar årshjulet för enheter du leder. Ditt konto leder ingen enhet.");
        }

        Units = [.. managed.Tops];
        _user = await users.GetUserAsync(User);
        HasLink = _user?.CalendarTokenHash is not null;
        return null;
    }
}

/// <summary>A unit's feed address for pasting into Outlook, and the webcal:// one that opens a calendar app.</summary>
public sealed record FeedLink(UnitNode Unit, string Address)
{
    public string Webcal => "webcal" + Address[Address.IndexOf(':', StringComparison.Ordinal)..];
}
