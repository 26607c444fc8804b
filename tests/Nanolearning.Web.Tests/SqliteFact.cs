namespace Nanolearning.Web.Tests;

/// <summary>
/// A test of SQLite's own machinery (its file, its write queue, its migration history): skipped, and reported as
/// skipped, when the suite runs on PostgreSQL (NANOLEARNING_TEST_DB=PostgreSql).
/// </summary>
public sealed class SqliteFactAttribute : FactAttribute
{
    public SqliteFactAttribute()
    {
        if (AppFixture.OnPostgreSql)
        {
            Skip = "SQLite only: the suite runs on PostgreSQL.";
        }
    }
}
