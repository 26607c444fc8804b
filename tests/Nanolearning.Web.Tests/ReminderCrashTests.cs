using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Reminders;

namespace Nanolearning.Web.Tests;

/// <summary>
/// The app as its own process (<c>dotnet Nanolearning.Web.dll</c>) sending reminders through a real SMTP server, killed
/// in the middle of a send and started again over the same SQLite file. A child process runs on the wall clock (the
/// app has no clock setting), so its lease (<c>Reminders:Lease</c>) and dispatch schedule are set to seconds; the test
/// itself reads no date, only waits for the child's work with timeouts.
/// </summary>
public sealed class ReminderCrashTests : IAsyncLifetime
{
    private readonly SmtpServer smtp = new();

    /// <summary>The app in this process, only to write the learners, reminders and mails the child will send.</summary>
    private readonly Preparation prep = new();

    /// <summary>What the child processes wrote, for the message of a failing test.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentQueue<string> output = new();

    private string ChildDatabase => Path.Combine(prep.Root, "child.db");

    public Task InitializeAsync() => smtp.InitializeAsync();

    public async Task DisposeAsync()
    {
        await smtp.DisposeAsync();
        prep.Dispose();
    }

    [SqliteFact]
    public async Task Killed_mid_send_and_started_again_the_app_delivers_every_mail_and_repeats_only_the_one_the_server_had_stored()
    {
        List<string> people = [];
        for (var i = 0; i < 8; i++)
        {
            people.Add(await prep.NewLearner());
            await prep.Assign(people[^1], "anhorigperspektiv-introduktion", prep.Today, prep.Today.AddDays(30));
        }

        await prep.Scan();
        await prep.In<ReminderDispatch, int>(dispatch => dispatch.BundleAsync(prep.Today, prep.UtcNow));
        // Due long ago on any clock, the child's wall clock included; then a copy of the database for the child.
        await prep.Query(db => db.ReminderMails.ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc))));
        var mails = await prep.Query(db => db.ReminderMails.Select(m => new { m.Id, m.Learner!.Email }).ToListAsync());
        Assert.True(mails.Count >= people.Count);
        await prep.Query(db => db.Database.ExecuteSqlAsync($"VACUUM INTO {ChildDatabase}"));

        // The server stores the first message and then does not answer: the app is killed while it waits.
        smtp.Behave("store-hang 120");
        using (var first = StartApp())
        {
            await WaitFor(async () => await Count("State = 'Sending'") == 1 && (await smtp.MessageIdsByRecipient()).Count == 1, first, "a mail being sent");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        Assert.Equal(1, await Count("State = 'Sending'"));
        Assert.Equal(mails.Count - 1, await Count("State = 'Pending'"));
        var stored = Assert.Single((await smtp.MessageIdsByRecipient()).Keys);
        var inFlight = mails.Single(m => m.Email == stored);

        smtp.Behave("accept");
        using (var second = StartApp())
        {
            await WaitFor(async () => await Count("State = 'Sent'") == mails.Count, second, "every mail sent");
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }

        // Counted on the server: every mail once under its own Message-ID, and the one whose outcome the kill left
        // unknown twice, under the same Message-ID (the documented at-least-once window).
        var received = await smtp.MessageIdsByRecipient();
        foreach (var mail in mails)
        {
            var messageId = $"paminnelse-{mail.Id}@localhost";
            Assert.Equal(mail == inFlight ? [messageId, messageId] : [messageId], received[mail.Email]);
        }

        Assert.Equal(mails.Count + 1, received.Values.Sum(ids => ids.Count));
    }

    private Process StartApp()
    {
        var web = Path.Combine(AppContext.BaseDirectory, "Nanolearning.Web.dll");
        var start = new ProcessStartInfo("dotnet", [web])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ConnectionStrings:Nanolearning"] = $"Data Source={ChildDatabase}",
            ["Nanolearning:CoursesPath"] = prep.CoursesFolder,
            ["Nanolearning:Demo"] = "false",
            ["Mail:Host"] = "127.0.0.1",
            ["Mail:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Mail:Tls"] = "None",
            ["Mail:FromAddress"] = "nanolearning@exempel.se",
            // Longer than the server's silence: the app is still waiting for its answer when it is killed.
            ["Mail:SendTimeout"] = "00:03:00",
            ["Reminders:ScanSchedule"] = "",
            ["Reminders:DispatchSchedule"] = "*/2 * * * * *",
            ["Reminders:Lease"] = "00:00:05",
            ["Reminders:SendFrom"] = "00:00",
            ["Reminders:SendUntil"] = "23:59:59",
            ["Reminders:SendOnWeekends"] = "true",
            ["Reminders:SendOnHolidays"] = "true",
            ["Retention:Schedule"] = "",
        })
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        process.ErrorDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The child's mails matching <paramref name="where"/>, read straight from its SQLite file.</summary>
    private async Task<long> Count(string where)
    {
        await using var connection = new SqliteConnection($"Data Source={ChildDatabase};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""SELECT COUNT(*) FROM "ReminderMails" WHERE {where}""";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits up to three minutes of real time (the machine may be busy) for the child process to get somewhere.</summary>
    private static async Task WaitFor(Func<Task<bool>> condition, Process app, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.False(app.HasExited, $"The app exited with {(app.HasExited ? app.ExitCode : 0)} before {what}:\n{string.Join('\n', output.TakeLast(40))}");
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(3), $"No {what} within three minutes:\n{string.Join('\n', output.TakeLast(40))}");
            await Task.Delay(250);
        }
    }

    /// <summary>A small demo kommun, so few demo mails besides the test's own.</summary>
    private sealed class Preparation : ReminderFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Nanolearning:DemoEmployees"] = "12" };
    }
}
