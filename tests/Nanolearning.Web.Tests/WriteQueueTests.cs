using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

public sealed class WriteQueueTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_failed_save_lets_the_next_writer_through()
    {
        var email = await app.NewLearner();
        using (var first = app.Services.CreateScope())
        using (var second = app.Services.CreateScope())
        {
            var a = first.ServiceProvider.GetRequiredService<AppDbContext>();
            var b = second.ServiceProvider.GetRequiredService<AppDbContext>();
            var userA = await a.Users.SingleAsync(u => u.Email == email);
            var userB = await b.Users.SingleAsync(u => u.Email == email);
            // Two failed logins at once, as Identity writes them: the second loses on the concurrency stamp.
            userA.AccessFailedCount = 1;
            userA.ConcurrencyStamp = Guid.NewGuid().ToString();
            userB.AccessFailedCount = 1;
            userB.ConcurrencyStamp = Guid.NewGuid().ToString();
            await a.SaveChangesAsync();
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => b.SaveChangesAsync());
        }

        var id = await app.LearnerId(email);
        var saved = app.Query(async db =>
        {
            var learner = await db.Learners.SingleAsync(l => l.Id == id);
            learner.JobTitle = "Undersköterska";
            return await db.SaveChangesAsync();
        });
        Assert.Equal(1, await saved.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [SqliteFact]
    public async Task Every_connection_the_pool_hands_out_has_the_apps_pragmas()
    {
        // Set once per physical connection, not per open: check opens enough, at once, for the pool to make new ones.
        var settings = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => app.Query(async db =>
        {
            await db.Database.OpenConnectionAsync();
            try
            {
                var connection = db.Database.GetDbConnection();
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA synchronous";
                var synchronous = Convert.ToInt64(await command.ExecuteScalarAsync());
                command.CommandText = "PRAGMA secure_delete";
                return (Synchronous: synchronous, SecureDelete: Convert.ToInt64(await command.ExecuteScalarAsync()));
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        })));

        // NORMAL is 1; secure_delete on is 1.
        Assert.All(settings, s => Assert.Equal((1L, 1L), s));
    }

    [SqliteFact]
    public async Task The_planner_writes_through_the_write_queue()
    {
        var email = await app.NewLearner();
        var learnerId = await app.LearnerId(email);
        // A newcomer with an employee number: the planner's next run gives them the onboarding course.
        await app.Query(db => db.Learners.Where(l => l.Id == learnerId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.EmployeeNumber, "K" + learnerId).SetProperty(l => l.StartDate, app.Today)));
        var queue = SqliteWriteQueue.For(await app.Query(db => Task.FromResult(db.Database.GetDbConnection().DataSource)));

        await queue.WaitAsync();
        Task<PlanResult> plan;
        try
        {
            plan = app.In<AssignmentPlanner, PlanResult>(planner => planner.PlanAsync());
            await Task.WhenAny(plan, Task.Delay(500));
            Assert.False(plan.IsCompleted, "The planner finished while another writer held the queue.");
            Assert.Equal(0, await app.Query(db => db.Assignments.CountAsync(a => a.LearnerId == learnerId)));
        }
        finally
        {
            queue.Release();
        }

        Assert.True((await plan.WaitAsync(TimeSpan.FromSeconds(30))).Added >= 1);
        Assert.Equal(1, await app.Query(db => db.Assignments.CountAsync(a => a.LearnerId == learnerId)));
    }
}
