namespace Nanolearning.Web.Tests;

/// <summary>
/// A test of what only matters when several instances share a PostgreSQL database (its advisory locks, two apps on
/// one database): skipped, and reported as skipped, when the suite runs on SQLite (the default).
/// </summary>
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute()
    {
        if (!AppFixture.OnPostgreSql)
        {
            Skip = "PostgreSQL only: run the suite with NANOLEARNING_TEST_DB=PostgreSql (test.sh does).";
        }
    }
}
