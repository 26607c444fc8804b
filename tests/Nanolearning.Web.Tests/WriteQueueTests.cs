using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
}
