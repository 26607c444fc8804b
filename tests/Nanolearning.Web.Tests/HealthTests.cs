using System.Net;
using Npgsql;

namespace Nanolearning.Web.Tests;

/// <summary>/health for the load balancer: healthy while the database answers, 503 when it does not.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Health_is_200_while_the_database_answers()
    {
        using var app = new AppFixture();

        using var response = await app.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [PostgreSqlFact]
    public async Task Health_is_503_while_the_database_is_unreachable_and_200_again_when_it_is_back()
    {
        using var app = new AppFixture();
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        await Admin($"ALTER DATABASE \"{app.DatabaseName}\" ALLOW_CONNECTIONS false");
        await Admin($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{app.DatabaseName}' AND pid <> pg_backend_pid()");
        NpgsqlConnection.ClearAllPools();
        using (var down = await client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("Unhealthy", await down.Content.ReadAsStringAsync());
        }

        await Admin($"ALTER DATABASE \"{app.DatabaseName}\" ALLOW_CONNECTIONS true");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    private static async Task Admin(string sql)
    {
        await using var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(AppFixture.PostgreSqlServer) { Database = "postgres", Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
