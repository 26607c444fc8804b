using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Nanolearning.Web.Infrastructure.Migrations
{
    /// <summary>
    /// Data only: reflection texts were copied into the outbox (LearningEvents.Response) and stayed there after
    /// delivery. They now live only in their answers; a reflection's answered event is the one without success.
    /// </summary>
    public partial class ReflectionTextOutOfOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"UPDATE ""LearningEvents"" SET ""Response"" = NULL WHERE ""Verb"" = 'Answered' AND ""Success"" IS NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The copies are gone for good; the texts remain in their answers.
        }
    }
}
