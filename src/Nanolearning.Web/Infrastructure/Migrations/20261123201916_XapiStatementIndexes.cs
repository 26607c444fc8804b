using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Nanolearning.Web.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class XapiStatementIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_XapiStatementActivities_XapiStatements_StatementSequence",
                table: "XapiStatementActivities");

            migrationBuilder.DropForeignKey(
                name: "FK_XapiStatementAgents_XapiStatements_StatementSequence",
                table: "XapiStatementAgents");

            migrationBuilder.DropIndex(
                name: "IX_XapiStatements_VoidsId",
                table: "XapiStatements");

            migrationBuilder.DropIndex(
                name: "IX_XapiStatementAgents_StatementSequence",
                table: "XapiStatementAgents");

            migrationBuilder.DropIndex(
                name: "IX_XapiStatementActivities_StatementSequence",
                table: "XapiStatementActivities");

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatements_VoidsId",
                table: "XapiStatements",
                column: "VoidsId",
                filter: "\"VoidsId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_XapiStatements_VoidsId",
                table: "XapiStatements");

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatements_VoidsId",
                table: "XapiStatements",
                column: "VoidsId");

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatementAgents_StatementSequence",
                table: "XapiStatementAgents",
                column: "StatementSequence");

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatementActivities_StatementSequence",
                table: "XapiStatementActivities",
                column: "StatementSequence");

            migrationBuilder.AddForeignKey(
                name: "FK_XapiStatementActivities_XapiStatements_StatementSequence",
                table: "XapiStatementActivities",
                column: "StatementSequence",
                principalTable: "XapiStatements",
                principalColumn: "Sequence",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_XapiStatementAgents_XapiStatements_StatementSequence",
                table: "XapiStatementAgents",
                column: "StatementSequence",
                principalTable: "XapiStatements",
                principalColumn: "Sequence",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
