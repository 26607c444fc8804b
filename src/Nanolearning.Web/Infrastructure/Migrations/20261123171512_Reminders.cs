using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Nanolearning.Web.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Reminders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing entries and chefs get the same defaults as new ones (ReminderPlan.Default, digest on Mondays).
            migrationBuilder.AddColumn<string>(
                name: "DigestDay",
                table: "Learners",
                type: "TEXT",
                maxLength: 10,
                nullable: false,
                defaultValue: "Monday");

            migrationBuilder.AddColumn<bool>(
                name: "DigestOff",
                table: "Learners",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "RemindDaysBeforeDue",
                table: "AnnualWheelEntries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 7);

            migrationBuilder.AddColumn<bool>(
                name: "RemindOnDueDate",
                table: "AnnualWheelEntries",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "RemindOnOpening",
                table: "AnnualWheelEntries",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<int>(
                name: "RemindWeeksOverdue",
                table: "AnnualWheelEntries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 3);

            migrationBuilder.CreateTable(
                name: "ReminderMails",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LearnerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ClaimedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReminderMails", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReminderMails_Learners_LearnerId",
                        column: x => x.LearnerId,
                        principalTable: "Learners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Reminders",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LearnerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    AssignmentId = table.Column<int>(type: "INTEGER", nullable: true),
                    CourseId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    MailId = table.Column<long>(type: "INTEGER", nullable: true),
                    DismissedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Reminders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Reminders_Assignments_AssignmentId",
                        column: x => x.AssignmentId,
                        principalTable: "Assignments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Reminders_Learners_LearnerId",
                        column: x => x.LearnerId,
                        principalTable: "Learners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Reminders_ReminderMails_MailId",
                        column: x => x.MailId,
                        principalTable: "ReminderMails",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ReminderMails_LearnerId_Day",
                table: "ReminderMails",
                columns: new[] { "LearnerId", "Day" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReminderMails_State_NextAttemptAt",
                table: "ReminderMails",
                columns: new[] { "State", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Reminders_AssignmentId",
                table: "Reminders",
                column: "AssignmentId");

            migrationBuilder.CreateIndex(
                name: "IX_Reminders_LearnerId_Reason_Date",
                table: "Reminders",
                columns: new[] { "LearnerId", "Reason", "Date" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Reminders_MailId",
                table: "Reminders",
                column: "MailId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Reminders");

            migrationBuilder.DropTable(
                name: "ReminderMails");

            migrationBuilder.DropColumn(
                name: "DigestDay",
                table: "Learners");

            migrationBuilder.DropColumn(
                name: "DigestOff",
                table: "Learners");

            migrationBuilder.DropColumn(
                name: "RemindDaysBeforeDue",
                table: "AnnualWheelEntries");

            migrationBuilder.DropColumn(
                name: "RemindOnDueDate",
                table: "AnnualWheelEntries");

            migrationBuilder.DropColumn(
                name: "RemindOnOpening",
                table: "AnnualWheelEntries");

            migrationBuilder.DropColumn(
                name: "RemindWeeksOverdue",
                table: "AnnualWheelEntries");
        }
    }
}
