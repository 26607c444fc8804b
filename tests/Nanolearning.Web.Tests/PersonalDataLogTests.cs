using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.HrImport;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Features.Xapi;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>The reminder app (its clock inside sending hours) with every log message at Information and above kept, from startup on.</summary>
public sealed class InformationLogFixture : ReminderFixture
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Logged { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // A rule for this provider alone outranks the app's category levels, so framework messages at Information
        // (EF Core, ASP.NET Core, Identity) are heard too: an operator may turn them on.
        builder.ConfigureLogging(logging => logging
            .AddProvider(new Sink(Logged))
            .AddFilter<Sink>(null, LogLevel.Information));
    }

    private sealed class Sink(ConcurrentQueue<(LogLevel, string, string)> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(sink, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class Logger(ConcurrentQueue<(LogLevel, string, string)> sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                sink.Enqueue((logLevel, category, formatter(state, exception) + exception));
            }
        }
    }
}

/// <summary>
/// The logs name nobody: the main flows (startup in demo mode, sign-in, an HR import, the reminder scan and sending,
/// completing a course, xAPI delivery) log ids and counts, never a person's e-mail address or name.
/// </summary>
public sealed class PersonalDataLogTests(InformationLogFixture app) : IClassFixture<InformationLogFixture>
{
    [Fact]
    public async Task The_main_flows_log_no_email_address_or_name_at_information_and_above()
    {
        foreach (var persona in new[] { "medarbetare", "chef", "admin" })
        {
            await app.NewVisitor().LogInAs(persona);
        }

        var wrong = app.NewVisitor();
        using (var refused = await wrong.Submit(await wrong.Open("/logga-in"), "form[action*='handler=Password']", ("email", DemoSeeder.Personas[1].Email), ("password", "inte rätt lösenord alls")))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var file = await StaffFile.Current(app);
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<HrImport>()
                .ImportAsync(file.With(StaffFile.NewEmployee("77001", "Loggvald", "Spårsson")).Csv(), default);
        }

        var email = await app.NewLearner();
        var learner = app.NewVisitor();
        await learner.LogIn(email);
        var course = app.Catalog.FindLive(DemoSeeder.IntroductionCourse)!;
        var page = await learner.StartCourse(course.Id);
        foreach (var lesson in course.Lessons.Where(l => !l.IsFinalQuiz))
        {
            foreach (var question in lesson.Questions)
            {
                page = await learner.SubmitAndFollow(page, $"#fraga-{question.Id}", Answers.Right(question));
            }

            page = await learner.SubmitAndFollow(page, "form[action*='handler=Next']");
        }

        page = await learner.SubmitAndFollow(page, "#slutprov", Answers.Quiz(course.FinalQuiz!, right: _ => true));
        await learner.SubmitAndFollow(page, "form[action*='handler=Next']");
        Assert.True(await app.Query(db => db.Enrolments.AnyAsync(e => e.Learner!.Email == email && e.CompletedAt != null)));

        Assert.True(await app.Scan() > 0);
        var dispatched = await app.Dispatch();
        Assert.NotEmpty(dispatched.SendingJobs);
        Assert.True(await app.Query(db => db.ReminderMails.AnyAsync(m => m.State == ReminderMailState.Sent)));
        using (var scope = app.Services.CreateScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<StatementDelivery>().DeliverAsync() > 0);
        }

        var people = await app.Query(db => db.Learners.Select(l => new { l.Email, l.FirstName, l.LastName }).ToListAsync());
        var secrets = people.SelectMany(p => new[] { p.Email, p.FirstName + " " + p.LastName }).ToList();
        Assert.Contains("Loggvald Spårsson", secrets);
        Assert.NotEmpty(app.Logged);
        var leaks = app.Logged
            .SelectMany(m => secrets.Where(s => m.Message.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{m.Level} {m.Category}: {s} in \"{m.Message}\""))
            .ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(10)));
    }

    [Theory]
    [InlineData("5.1.1 <anna.andersson@kommun.se>: Recipient address rejected", "5.1.1 <[e-post]>: Recipient address rejected")]
    [InlineData("Mailbox unavailable: Per.Olsson+test@sub.kommun.se (full)", "Mailbox unavailable: [e-post] (full)")]
    [InlineData("no answer within 30 s", "no answer within 30 s")]
    public void Text_from_outside_reaches_the_logs_without_email_addresses(string text, string logged) =>
        Assert.Equal(logged, LogText.WithoutEmail(text));
}
