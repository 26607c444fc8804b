using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.AnnualWheel;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.Organisation;

namespace Nanolearning.Web.Tests;

/// <summary>The demo kommun's units and chefs as the årshjul tests use them, and entries made straight in the database.</summary>
public static class WheelSetup
{
    /// <summary>Kristina Berg's unit in the demo.</summary>
    public const string KristinasUnit = "Hemtjänst Norr";

    /// <summary>A unit with a chef of its own, beside Kristina's.</summary>
    public const string OtherUnit = "Hemtjänst Söder";

    /// <summary>The förvaltning above both, which has no chef in the demo.</summary>
    public const string Administration = "Vård- och omsorgsförvaltningen";

    public static Task<int> UnitId(this AppFixture app, string name) =>
        app.Query(db => db.Units.Where(u => u.Name == name).Select(u => u.Id).SingleAsync());

    public static Task<string> ManagerEmail(this AppFixture app, string unit) =>
        app.Query(db => db.Units.Where(u => u.Name == unit).Select(u => u.Manager!.Email).SingleAsync());

    /// <summary>Logs in as the chef who leads a unit (every demo person has the demo password).</summary>
    public static async Task<Visitor> ChefOf(this AppFixture app, string unit)
    {
        var visitor = app.NewVisitor();
        await visitor.LogIn(await app.ManagerEmail(unit), DemoSeeder.Password);
        return visitor;
    }

    public static async Task<int> AddEntry(
        this AppFixture app, int unitId, string title, AnnualWheelKind kind, DateOnly start, DateOnly end,
        string? course = null, bool recurs = false, params string[] audiences)
    {
        var entry = new AnnualWheelEntry
        {
            UnitId = unitId, Kind = kind, Title = title, StartsOn = start, EndsOn = end, CourseId = course, RecursYearly = recurs,
            Audiences = [.. audiences], CreatedAt = app.UtcNow, UpdatedAt = app.UtcNow,
        };
        await app.Query(db =>
        {
            db.AnnualWheelEntries.Add(entry);
            return db.SaveChangesAsync();
        });
        return entry.Id;
    }

    public static async Task<int> AddUnit(this AppFixture app, string name, int parentId)
    {
        var unit = new Unit { Name = name, Kind = UnitKind.Unit, ParentId = parentId };
        await app.Query(db =>
        {
            db.Units.Add(unit);
            return db.SaveChangesAsync();
        });
        return unit.Id;
    }

    /// <summary>
    /// The visitor's antiforgery token, from the logout form every signed-in page has: lets a test post to a page
    /// the visitor may not open, as an attacker with their own valid session would.
    /// </summary>
    public static async Task<string> AntiforgeryToken(this Visitor visitor)
    {
        var home = await visitor.Open("/");
        return home.QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")!.Value;
    }

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
