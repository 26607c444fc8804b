using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Nanolearning.Web.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class AnnualWheel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Code",
                table: "Units",
                type: "TEXT",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "CarriedOver",
                table: "LessonCompletions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateOnly>(
                name: "LeftOn",
                table: "Learners",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "EntryId",
                table: "Assignments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "OpensOn",
                table: "Assignments",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.AddColumn<string>(
                name: "CalendarTokenHash",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AnnualWheelEntries",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UnitId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RecursYearly = table.Column<bool>(type: "INTEGER", nullable: false),
                    LastYear = table.Column<int>(type: "INTEGER", nullable: true),
                    CourseId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Audiences = table.Column<string>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnnualWheelEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AnnualWheelEntries_Units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "Units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PendingImports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UploadedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 260, nullable: false),
                    Content = table.Column<string>(type: "TEXT", nullable: false),
                    UploadedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PendingImports", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Units_Code",
                table: "Units",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_EntryId",
                table: "Assignments",
                column: "EntryId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_CalendarTokenHash",
                table: "AspNetUsers",
                column: "CalendarTokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AnnualWheelEntries_UnitId",
                table: "AnnualWheelEntries",
                column: "UnitId");

            migrationBuilder.AddForeignKey(
                name: "FK_Assignments_AnnualWheelEntries_EntryId",
                table: "Assignments",
                column: "EntryId",
                principalTable: "AnnualWheelEntries",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Assignments_AnnualWheelEntries_EntryId",
                table: "Assignments");

            migrationBuilder.DropTable(
                name: "AnnualWheelEntries");

            migrationBuilder.DropTable(
                name: "PendingImports");

            migrationBuilder.DropIndex(
                name: "IX_Units_Code",
                table: "Units");

            migrationBuilder.DropIndex(
                name: "IX_Assignments_EntryId",
                table: "Assignments");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_CalendarTokenHash",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "Code",
                table: "Units");

            migrationBuilder.DropColumn(
                name: "CarriedOver",
                table: "LessonCompletions");

            migrationBuilder.DropColumn(
                name: "LeftOn",
                table: "Learners");

            migrationBuilder.DropColumn(
                name: "EntryId",
                table: "Assignments");

            migrationBuilder.DropColumn(
                name: "OpensOn",
                table: "Assignments");

            migrationBuilder.DropColumn(
                name: "CalendarTokenHash",
                table: "AspNetUsers");
        }
    }
}
