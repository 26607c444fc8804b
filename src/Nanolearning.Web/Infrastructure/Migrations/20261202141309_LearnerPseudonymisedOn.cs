using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Nanolearning.Web.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class LearnerPseudonymisedOn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "PseudonymisedOn",
                table: "Learners",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PseudonymisedOn",
                table: "Learners");
        }
    }
}
