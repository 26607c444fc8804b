using System.Net;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.AnnualWheel;

namespace Nanolearning.Web.Tests;

/// <summary>Ids the authorization matrix fills into its addresses: Kristina's unit and entry, another chef's, their parent's.</summary>
public sealed record WheelIds(int Own, int Foreign, int Parent, int OwnEntry, int ForeignEntry, int ParentEntry);

public sealed class WheelAccessFixture : AppFixture
{
    private Task<WheelIds>? _ids;

    /// <summary>Made once per class; the tests of a class run one after another.</summary>
    public Task<WheelIds> Ids => _ids ??= MakeAsync();

    private async Task<WheelIds> MakeAsync()
    {
        var (own, foreign, parent) = (await this.UnitId(WheelSetup.KristinasUnit), await this.UnitId(WheelSetup.OtherUnit), await this.UnitId(WheelSetup.Administration));
        var day = new DateOnly(2027, 5, 4);
        return new WheelIds(
            own, foreign, parent,
            await this.AddEntry(own, "Kristinas anteckning", AnnualWheelKind.Note, day, day),
            await this.AddEntry(foreign, "Söders anteckning", AnnualWheelKind.Note, day, day),
            await this.AddEntry(parent, "Förvaltningens anteckning", AnnualWheelKind.Note, day, day));
    }
}

/// <summary>
/// Who may see and change which årshjul, over real HTTP: chef Kristina (Hemtjänst Norr), the chef of Hemtjänst
/// Söder, an ordinary employee and the admin, each with their own and each other's unit and entry ids.
/// </summary>
public sealed class WheelAccessTests(WheelAccessFixture app) : IClassFixture<WheelAccessFixture>
{
    private const int Missing = 999_999;

    [Theory]
    [InlineData("kristina", "GET", "/arshjul", 200)]
    [InlineData("annan-chef", "GET", "/arshjul", 200)]
    [InlineData("medarbetare", "GET", "/arshjul", 403)]
    [InlineData("admin", "GET", "/arshjul", 200)]
    [InlineData("kristina", "GET", "/arshjul/{own}", 200)]
    [InlineData("annan-chef", "GET", "/arshjul/{own}", 403)]
    [InlineData("medarbetare", "GET", "/arshjul/{own}", 403)]
    [InlineData("admin", "GET", "/arshjul/{own}", 200)]
    [InlineData("kristina", "GET", "/arshjul/{foreign}", 403)]
    [InlineData("kristina", "GET", "/arshjul/{parent}", 403)]
    [InlineData("admin", "GET", "/arshjul/{parent}", 200)]
    [InlineData("kristina", "GET", "/arshjul/{missing}", 404)]
    [InlineData("kristina", "GET", "/arshjul/{own}/manad/2027-05", 200)]
    [InlineData("annan-chef", "GET", "/arshjul/{own}/manad/2027-05", 403)]
    [InlineData("kristina", "GET", "/arshjul/{foreign}/manad/2027-05", 403)]
    [InlineData("kristina", "GET", "/arshjul/{own}/ny", 200)]
    [InlineData("annan-chef", "GET", "/arshjul/{own}/ny", 403)]
    [InlineData("medarbetare", "GET", "/arshjul/{own}/ny", 403)]
    [InlineData("kristina", "POST", "/arshjul/{own}/ny", 302)]
    [InlineData("admin", "POST", "/arshjul/{own}/ny", 302)]
    [InlineData("annan-chef", "POST", "/arshjul/{own}/ny", 403)]
    [InlineData("medarbetare", "POST", "/arshjul/{own}/ny", 403)]
    [InlineData("kristina", "POST", "/arshjul/{foreign}/ny", 403, "{foreign}")]
    [InlineData("kristina", "POST", "/arshjul/{own}/ny", 403, "{foreign}")]
    [InlineData("kristina", "POST", "/arshjul/{own}/ny", 404, "{missing}")]
    [InlineData("kristina", "GET", "/arshjul/{own}/post/{ownEntry}", 200)]
    [InlineData("annan-chef", "GET", "/arshjul/{own}/post/{ownEntry}", 403)]
    [InlineData("admin", "GET", "/arshjul/{own}/post/{ownEntry}", 200)]
    [InlineData("kristina", "GET", "/arshjul/{own}/post/{foreignEntry}", 403)]
    [InlineData("kristina", "GET", "/arshjul/{foreign}/post/{foreignEntry}", 403)]
    [InlineData("annan-chef", "GET", "/arshjul/{foreign}/post/{foreignEntry}", 200)]
    [InlineData("kristina", "GET", "/arshjul/{own}/post/{parentEntry}", 403)]
    [InlineData("kristina", "GET", "/arshjul/{own}/post/{missing}", 404)]
    [InlineData("admin", "GET", "/arshjul/{foreign}/post/{ownEntry}", 404)]
    [InlineData("kristina", "POST", "/arshjul/{own}/post/{ownEntry}", 302)]
    [InlineData("kristina", "POST", "/arshjul/{own}/post/{foreignEntry}", 403)]
    [InlineData("kristina", "POST", "/arshjul/{own}/post/{ownEntry}", 403, "{foreign}")]
    [InlineData("annan-chef", "POST", "/arshjul/{foreign}/post/{ownEntry}", 403, "{foreign}")]
    [InlineData("medarbetare", "POST", "/arshjul/{own}/post/{ownEntry}", 403)]
    [InlineData("kristina", "POST", "/arshjul/{own}/post/{parentEntry}", 403)]
    [InlineData("kristina", "POST", "/arshjul/{own}/post/{missing}", 404)]
    [InlineData("kristina", "GET", "/arshjul/{own}/post/{ownEntry}/ta-bort", 200)]
    [InlineData("annan-chef", "GET", "/arshjul/{own}/post/{ownEntry}/ta-bort", 403)]
    [InlineData("medarbetare", "GET", "/arshjul/{own}/post/{ownEntry}/ta-bort", 403)]
    [InlineData("kristina", "GET", "/arshjul/{own}/post/{foreignEntry}/ta-bort", 403)]
    [InlineData("kristina", "POST", "/arshjul/{own}/post/{foreignEntry}/ta-bort", 403)]
    [InlineData("kristina", "POST", "/arshjul/{foreign}/post/{foreignEntry}/ta-bort", 403)]
    [InlineData("medarbetare", "POST", "/arshjul/{foreign}/post/{foreignEntry}/ta-bort", 403)]
    [InlineData("kristina", "POST", "/arshjul/{own}/post/{parentEntry}/ta-bort", 403)]
    [InlineData("kristina", "POST", "/arshjul/{own}/post/{missing}/ta-bort", 404)]
    public async Task Each_role_reaches_only_its_own_units_and_entries(string actor, string method, string path, int expected, string formUnit = "{own}")
    {
        var ids = await app.Ids;
        var visitor = await LogIn(actor);
        var url = Fill(path, ids);
        if (method == "GET")
        {
            await visitor.Open(url, (HttpStatusCode)expected);
            return;
        }

        var fields = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", await visitor.AntiforgeryToken()) };
        if (!url.EndsWith("/ta-bort", StringComparison.Ordinal))
        {
            fields.AddRange([new("UnitId", Fill(formUnit, ids)), new("Kind", "Note"), new("Title", "Kristinas anteckning"), new("StartsOn", "2027-05-04")]);
        }

        var before = await Entries();
        using var response = await visitor.Post(url, fields);
        Assert.Equal((HttpStatusCode)expected, response.StatusCode);
        if (expected >= 400)
        {
            // A refused post creates, changes, moves and deletes nothing.
            Assert.Equal(before, await Entries());
        }
    }

    [Fact]
    public async Task An_admin_may_move_an_entry_between_any_units()
    {
        var ids = await app.Ids;
        var day = new DateOnly(2027, 6, 1);
        var entryId = await app.AddEntry(ids.Own, "Flyttas av admin", AnnualWheelKind.Note, day, day);
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");

        using var response = await admin.Post($"/arshjul/{ids.Own}/post/{entryId}", EditFields(await admin.AntiforgeryToken(), ids.Foreign, "Flyttas av admin"));

        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        Assert.Equal(ids.Foreign, await app.Query(db => db.AnnualWheelEntries.Where(e => e.Id == entryId).Select(e => e.UnitId).SingleAsync()));
    }

    [Fact]
    public async Task The_header_links_to_the_arshjul_for_chefs_and_admins_only()
    {
        var links = new Dictionary<string, bool>();
        foreach (var persona in new[] { "chef", "admin", "medarbetare", "politiker" })
        {
            var visitor = app.NewVisitor();
            var home = await visitor.LogInAs(persona);
            links[persona] = home.QuerySelector("nav a[href='/arshjul']") is not null;
        }

        Assert.Equal(new Dictionary<string, bool> { ["chef"] = true, ["admin"] = true, ["medarbetare"] = false, ["politiker"] = false }, links);
    }

    [Fact]
    public async Task An_employee_is_told_in_Swedish_that_the_arshjul_is_for_chefs()
    {
        var maja = await LogIn("medarbetare");
        var page = await maja.Open("/arshjul", HttpStatusCode.Forbidden);
        Assert.Equal("Du har inget årshjul att planera", page.QuerySelector("h1")!.TextContent);
    }

    private Task<List<(int, int, string, DateOnly)>> Entries() => app.Query(async db =>
        (await db.AnnualWheelEntries.OrderBy(e => e.Id).Select(e => new { e.Id, e.UnitId, e.Title, e.StartsOn }).ToListAsync())
            .Select(e => (e.Id, e.UnitId, e.Title, e.StartsOn)).ToList());

    private async Task<Visitor> LogIn(string actor)
    {
        if (actor == "annan-chef")
        {
            return await app.ChefOf(WheelSetup.OtherUnit);
        }

        var visitor = app.NewVisitor();
        await visitor.LogInAs(actor == "kristina" ? "chef" : actor);
        return visitor;
    }

    private static string Fill(string template, WheelIds ids) => template
        .Replace("{ownEntry}", ids.OwnEntry.ToString(), StringComparison.Ordinal)
        .Replace("{foreignEntry}", ids.ForeignEntry.ToString(), StringComparison.Ordinal)
        .Replace("{parentEntry}", ids.ParentEntry.ToString(), StringComparison.Ordinal)
        .Replace("{own}", ids.Own.ToString(), StringComparison.Ordinal)
        .Replace("{foreign}", ids.Foreign.ToString(), StringComparison.Ordinal)
        .Replace("{parent}", ids.Parent.ToString(), StringComparison.Ordinal)
        .Replace("{missing}", Missing.ToString(), StringComparison.Ordinal);

    private static List<KeyValuePair<string, string>> EditFields(string token, int unitId, string title) =>
    [
        new("__RequestVerificationToken", token), new("UnitId", unitId.ToString()), new("Kind", "Note"), new("Title", title), new("StartsOn", "2027-05-04"),
    ];
}
