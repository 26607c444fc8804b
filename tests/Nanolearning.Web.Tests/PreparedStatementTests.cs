using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Tests;

/// <summary>
/// On PostgreSQL the app's statements are prepared once per connection, not parsed and planned on every page view
/// (docs/benchmarks.md, issue 17), unless the operator's connection string says otherwise.
/// </summary>
public sealed class PreparedStatementTests
{
    [PostgreSqlFact]
    public async Task A_statement_the_app_runs_again_and_again_is_prepared_on_its_connection()
    {
        using var app = new AppFixture();
        var email = await app.NewLearner();

        var prepared = await app.Query(db => PreparedAfterRepeatingOneQuery(db, email));

        Assert.True(prepared > 0, "The app's connection has no prepared statement after the same query ran ten times.");
    }

    [PostgreSqlFact]
    public async Task An_operators_max_auto_prepare_of_zero_is_kept()
    {
        using var app = new AppFixture();
        var email = await app.NewLearner();
        var options = Database.UsePostgreSql(new DbContextOptionsBuilder<PostgreSqlDbContext>(), app.ConnectionString + ";Max Auto Prepare=0");
        await using var db = new PostgreSqlDbContext((DbContextOptions<PostgreSqlDbContext>)options.Options);

        Assert.Equal(0, await PreparedAfterRepeatingOneQuery(db, email));
    }

    private static async Task<long> PreparedAfterRepeatingOneQuery(AppDbContext db, string email)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(1, await db.Learners.CountAsync(l => l.Email == email));
            }

            using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT count(*) FROM pg_prepared_statements";
            return (long)(await command.ExecuteScalarAsync())!;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
