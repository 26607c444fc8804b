using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Nanolearning.Web.Features.FollowUp;

namespace Nanolearning.Web.Tests;

/// <summary>The follow-up partials as the app's Razor engine renders them: hidden figures say so, charts carry their text.</summary>
public sealed class FollowUpPartialTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly ReportTable Table = new ReportTableBuilder("forvaltningar", "Klara per förvaltning", "Förvaltning", ["Anställda", "Andel klara"])
        .LinkedRow("Vård och omsorg", "/uppfoljning/enhet/1", people: 120, ReportCell.Count(120), ReportCell.Share(90, 120))
        .Row("Kultur", people: 3, ReportCell.Count(3), ReportCell.Share(1, 3))
        .Row("Skola", people: 40, ReportCell.Count(40), ReportCell.Share(10, 40))
        .Total(people: 163, ReportCell.Count(163), ReportCell.Share(101, 163))
        .Build(5);

    [Fact]
    public async Task The_table_has_a_caption_scoped_headings_right_aligned_figures_and_explains_hidden_ones()
    {
        var html = await RenderAsync("_ReportTable", new ReportTableView(Table, "?handler=Export&format=csv", "?handler=Export&format=xlsx"));
        var document = new HtmlParser().ParseDocument(html);

        Assert.Equal("Klara per förvaltning", document.QuerySelector("caption")!.TextContent);
        Assert.All(document.QuerySelectorAll("thead th"), th => Assert.Equal("col", th.GetAttribute("scope")));
        Assert.Equal(["Vård och omsorg", "Kultur", "Skola", "Totalt"], document.QuerySelectorAll("th[scope=row]").Select(th => th.TextContent));
        Assert.Equal("/uppfoljning/enhet/1", document.QuerySelector("th[scope=row] a")!.GetAttribute("href"));
        Assert.Equal(["120", "75\u00a0%"], document.QuerySelectorAll("tbody tr:first-child td.num").Select(td => td.TextContent));
        var hidden = document.QuerySelectorAll("td.suppressed");
        Assert.Equal(4, hidden.Length);
        var footnote = document.GetElementById(hidden[0].GetAttribute("aria-describedby")!)!;
        Assert.Equal("– = Färre än 5 personer, eller dold så att en dold siffra inte kan räknas fram.", footnote.TextContent);
        Assert.Equal(["?handler=Export&format=csv", "?handler=Export&format=xlsx"], document.QuerySelectorAll(".export a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task The_bar_chart_is_an_image_whose_text_gives_every_figure_and_shows_hidden_groups_as_gaps()
    {
        var html = await RenderAsync("_BarChart", BarChart.FromTable(Table, shareColumn: 1));
        var svg = new HtmlParser().ParseDocument(html).QuerySelector("svg")!;

        Assert.Equal("img", svg.GetAttribute("role"));
        var labels = svg.GetAttribute("aria-labelledby")!.Split(' ').Select(id => svg.Owner!.GetElementById(id)!.TextContent).ToList();
        Assert.Equal("Klara per förvaltning", labels[0]);
        Assert.Contains("Vård och omsorg: 75\u00a0%. Kultur: dold. Skola: dold.", labels[1]);
        Assert.Single(svg.QuerySelectorAll("rect.chart-bar"));
        Assert.Equal(2, svg.QuerySelectorAll(".chart-gap").Count(text => text.TextContent == "dold"));
        Assert.Empty(new HtmlParser().ParseDocument(html).QuerySelectorAll("script"));
    }

    [Fact]
    public async Task The_line_chart_breaks_at_a_hidden_month()
    {
        var months = Enumerable.Range(0, 4).Select(i => new DateOnly(2026, 9, 1).AddMonths(i)).ToList();
        var chart = new LineChart("trend", "Andel klara per månad",
        [
            new ChartPoint(ChartText.Month(months[0]), ChartText.MonthAxis(months[0]), 0.5m),
            new ChartPoint(ChartText.Month(months[1]), ChartText.MonthAxis(months[1]), 0.6m),
            new ChartPoint(ChartText.Month(months[2]), ChartText.MonthAxis(months[2]), null, Hidden: true),
            new ChartPoint(ChartText.Month(months[3]), ChartText.MonthAxis(months[3]), 0.8m),
        ], SuppressionThreshold: 5);

        var svg = new HtmlParser().ParseDocument(await RenderAsync("_LineChart", chart)).QuerySelector("svg")!;

        Assert.Single(svg.QuerySelectorAll("polyline"));
        Assert.Equal(3, svg.QuerySelectorAll("circle").Length);
        Assert.Contains("november 2026: dold", svg.QuerySelector("desc")!.TextContent);
        Assert.Equal(["sep", "okt", "nov", "dec"], svg.QuerySelectorAll("text.chart-axis").Skip(5).Select(text => text.TextContent));
    }

    private async Task<string> RenderAsync(string partial, object model)
    {
        using var scope = app.Services.CreateScope();
        var engine = scope.ServiceProvider.GetRequiredService<IRazorViewEngine>();
        var view = engine.GetView(executingFilePath: null, $"/Features/FollowUp/{partial}.cshtml", isMainPage: false).View
            ?? throw new InvalidOperationException($"No view {partial}.");
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var action = new ActionContext(http, new RouteData(), new ActionDescriptor());
        var data = new ViewDataDictionary(new EmptyModelMetadataProvider(), new ModelStateDictionary()) { Model = model };
        await using var writer = new StringWriter();
        var tempData = new TempDataDictionary(http, scope.ServiceProvider.GetRequiredService<ITempDataProvider>());
        await view.RenderAsync(new ViewContext(action, view, data, tempData, writer, new HtmlHelperOptions()));
        return writer.ToString();
    }
}
