using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Nanolearning.Web.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class DeliveryProblems : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "LastErrorCode",
                table: "ReminderMails",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "GivenUpAt",
                table: "LearningEvents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DeliveryProblems",
                columns: table => new
                {
                    Channel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Since = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Failures = table.Column<int>(type: "INTEGER", nullable: false),
                    Refusing = table.Column<bool>(type: "INTEGER", nullable: false),
                    PausedUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Code = table.Column<int>(type: "INTEGER", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeliveryProblems", x => x.Channel);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeliveryProblems");

            migrationBuilder.DropColumn(
                name: "LastErrorCode",
                table: "ReminderMails");

            migrationBuilder.DropColumn(
                name: "GivenUpAt",
                table: "LearningEvents");
        }
    }
}
