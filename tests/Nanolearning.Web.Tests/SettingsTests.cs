using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Nanolearning.Web.Features.Reminders;

namespace Nanolearning.Web.Tests;

/// <summary>Settings that cannot work stop the app at start-up, naming each mistake.</summary>
public sealed class SettingsTests
{
    [Fact]
    public void Impossible_settings_stop_the_app_and_say_what_is_wrong()
    {
        using var app = new AppWith(new Dictionary<string, string>
        {
            ["Mail:FromAddress"] = "inte en adress",
            ["HrImport:MaxFileMegabytes"] = "0",
        });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var messages = string.Join("\n", Flatten(failure).OfType<OptionsValidationException>().SelectMany(e => e.Failures));
        Assert.Contains("Mail:FromAddress \"inte en adress\" is not an e-mail address.", messages);
        Assert.Contains("HrImport:MaxFileMegabytes must be positive.", messages);
    }

    [Fact]
    public void Impossible_reminder_settings_stop_the_app_and_say_what_is_wrong()
    {
        using var app = new AppWith(new Dictionary<string, string>
        {
            ["Reminders:SendFrom"] = "18:00",
            ["Reminders:DefaultPlan:WeeksOverdue"] = "52",
        });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var messages = string.Join("\n", Flatten(failure).OfType<OptionsValidationException>().SelectMany(e => e.Failures));
        Assert.Contains("Reminders:SendFrom must be before Reminders:SendUntil.", messages);
        Assert.Contains("Reminders:DefaultPlan: DaysBeforeDue must be 0–60 and WeeksOverdue 0–10.", messages);
    }

    [Fact]
    public void A_public_address_that_is_not_http_stops_the_app()
    {
        using var app = new AppWith(new Dictionary<string, string> { ["Nanolearning:PublicUrl"] = "nanolearning.kommun.se" });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var messages = string.Join("\n", Flatten(failure).OfType<OptionsValidationException>().SelectMany(e => e.Failures));
        Assert.Contains("Nanolearning:PublicUrl \"nanolearning.kommun.se\" is not an http(s) address.", messages);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:10:00")]
    public void A_course_sync_interval_outside_a_second_to_five_minutes_stops_the_app(string interval)
    {
        using var app = new AppWith(new Dictionary<string, string> { ["Nanolearning:CourseSyncInterval"] = interval });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var messages = string.Join("\n", Flatten(failure).OfType<OptionsValidationException>().SelectMany(e => e.Failures));
        Assert.Contains($"Nanolearning:CourseSyncInterval {interval} must be between 00:00:01 and 00:05:00.", messages);
    }

    [Fact]
    public void Impossible_retention_settings_stop_the_app_and_say_what_is_wrong()
    {
        using var app = new AppWith(new Dictionary<string, string>
        {
            ["Retention:ReflectionDays"] = "0",
            ["Retention:ProgressMonths"] = "12",
        });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var messages = string.Join("\n", Flatten(failure).OfType<OptionsValidationException>().SelectMany(e => e.Failures));
        Assert.Contains("Retention:ReflectionDays 0 must be at least 1.", messages);
        Assert.Contains("Retention:ProgressMonths 12 must be at least 13", messages);
    }

    [Fact]
    public void A_default_plan_in_settings_keeps_the_defaults_it_does_not_name()
    {
        using var app = new AppWith(new Dictionary<string, string> { ["Reminders:DefaultPlan:WeeksOverdue"] = "1" });
        var plan = app.Services.GetRequiredService<IOptions<ReminderOptions>>().Value.DefaultPlan;
        Assert.Equal(ReminderPlan.Default with { WeeksOverdue = 1 }, plan);
    }

    [Fact]
    public void Demo_mode_outside_development_stops_the_app_unless_deliberately_allowed()
    {
        using var refused = new InProduction(root => new Dictionary<string, string>(InProduction.Required(root)) { ["Nanolearning:DemoOutsideDevelopment"] = "false" });

        var failure = Assert.ThrowsAny<Exception>(() => refused.CreateClient());

        var messages = string.Join("\n", Flatten(failure).OfType<OptionsValidationException>().SelectMany(e => e.Failures));
        Assert.Contains("Nanolearning:Demo is on in the Production environment", messages);
        Assert.Contains("Nanolearning:DemoOutsideDevelopment", messages);
    }

    [Fact]
    public async Task Demo_mode_in_production_starts_when_deliberately_allowed()
    {
        using var allowed = new InProduction(root => new Dictionary<string, string>(InProduction.Required(root)) { ["Nanolearning:DemoOutsideDevelopment"] = "true" });

        var login = await allowed.NewVisitor().Open("/logga-in");

        Assert.Equal("Production", allowed.Services.GetRequiredService<IHostEnvironment>().EnvironmentName);
        Assert.NotEmpty(login.QuerySelectorAll("input[name=persona]"));
    }

    [PostgreSqlFact]
    public void A_pickup_folder_on_postgresql_stops_the_app_unless_the_settings_say_one_instance_runs()
    {
        using var app = new AppWith(new Dictionary<string, string> { ["Mail:SingleInstance"] = "false" });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var messages = string.Join("\n", Flatten(failure).OfType<OptionsValidationException>().SelectMany(e => e.Failures));
        Assert.Contains("Mail:Host is empty, so e-mail would go to a pickup folder on each server, but Database:Provider is PostgreSql", messages);
        Assert.Contains("ange en SMTP-server i Mail:Host, eller Mail:SingleInstance = true om bara en instans körs", messages);
    }

    [PostgreSqlFact]
    public async Task A_pickup_folder_on_postgresql_works_when_the_settings_say_one_instance_runs()
    {
        using var app = new AppWith(new Dictionary<string, string> { ["Mail:SingleInstance"] = "true" });

        await app.NewVisitor().Open("/logga-in");
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException many ? many.InnerExceptions.SelectMany(Flatten) : e.InnerException is { } inner ? [e, .. Flatten(inner)] : [e];
}
