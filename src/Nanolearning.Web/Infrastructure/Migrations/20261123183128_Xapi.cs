using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Nanolearning.Web.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Xapi : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LearningEvents_DeliveredAt",
                table: "LearningEvents");

            migrationBuilder.AddColumn<int>(
                name: "DeliveryAttempts",
                table: "LearningEvents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastAttemptAt",
                table: "LearningEvents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastDeliveryError",
                table: "LearningEvents",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "NextAttemptAt",
                table: "LearningEvents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "XapiStatements",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Stored = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ActorKey = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    ObjectAgentKey = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    VerbId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    ActivityId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Registration = table.Column<Guid>(type: "TEXT", nullable: true),
                    VoidsId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Voided = table.Column<bool>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_XapiStatements", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "XapiStatementActivities",
                columns: table => new
                {
                    StatementSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    ActivityId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_XapiStatementActivities", x => new { x.ActivityId, x.StatementSequence });
                    table.ForeignKey(
                        name: "FK_XapiStatementActivities_XapiStatements_StatementSequence",
                        column: x => x.StatementSequence,
                        principalTable: "XapiStatements",
                        principalColumn: "Sequence",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "XapiStatementAgents",
                columns: table => new
                {
                    StatementSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_XapiStatementAgents", x => new { x.AgentKey, x.StatementSequence });
                    table.ForeignKey(
                        name: "FK_XapiStatementAgents_XapiStatements_StatementSequence",
                        column: x => x.StatementSequence,
                        principalTable: "XapiStatements",
                        principalColumn: "Sequence",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LearningEvents_DeliveredAt_NextAttemptAt_OccurredAt",
                table: "LearningEvents",
                columns: new[] { "DeliveredAt", "NextAttemptAt", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatementActivities_StatementSequence",
                table: "XapiStatementActivities",
                column: "StatementSequence");

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatementAgents_StatementSequence",
                table: "XapiStatementAgents",
                column: "StatementSequence");

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatements_ActivityId_Sequence",
                table: "XapiStatements",
                columns: new[] { "ActivityId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatements_ActorKey_VerbId_Sequence",
                table: "XapiStatements",
                columns: new[] { "ActorKey", "VerbId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatements_Id",
                table: "XapiStatements",
                column: "Id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatements_ObjectAgentKey_VerbId_Sequence",
                table: "XapiStatements",
                columns: new[] { "ObjectAgentKey", "VerbId", "Sequence" },
                filter: "\"ObjectAgentKey\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatements_Registration_Sequence",
                table: "XapiStatements",
                columns: new[] { "Registration", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatements_Stored",
                table: "XapiStatements",
                column: "Stored");

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatements_VerbId_Sequence",
                table: "XapiStatements",
                columns: new[] { "VerbId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatements_VoidsId",
                table: "XapiStatements",
                column: "VoidsId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "XapiStatementActivities");

            migrationBuilder.DropTable(
                name: "XapiStatementAgents");

            migrationBuilder.DropTable(
                name: "XapiStatements");

            migrationBuilder.DropIndex(
                name: "IX_LearningEvents_DeliveredAt_NextAttemptAt_OccurredAt",
                table: "LearningEvents");

            migrationBuilder.DropColumn(
                name: "DeliveryAttempts",
                table: "LearningEvents");

            migrationBuilder.DropColumn(
                name: "LastAttemptAt",
                table: "LearningEvents");

            migrationBuilder.DropColumn(
                name: "LastDeliveryError",
                table: "LearningEvents");

            migrationBuilder.DropColumn(
                name: "NextAttemptAt",
                table: "LearningEvents");

            migrationBuilder.CreateIndex(
                name: "IX_LearningEvents_DeliveredAt",
                table: "LearningEvents",
                column: "DeliveredAt");
        }
    }
}
