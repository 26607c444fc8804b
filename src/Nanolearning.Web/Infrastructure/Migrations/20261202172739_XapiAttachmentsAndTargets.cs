using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Nanolearning.Web.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class XapiAttachmentsAndTargets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "TargetId",
                table: "XapiStatements",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "XapiAttachments",
                columns: table => new
                {
                    Sha2 = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_XapiAttachments", x => x.Sha2);
                });

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatements_TargetId",
                table: "XapiStatements",
                column: "TargetId",
                filter: "\"TargetId\" IS NOT NULL");

            // Statements stored before: their StatementRef targets, as EF writes Guids (upper-case text).
            migrationBuilder.Sql("""
                UPDATE "XapiStatements" SET "TargetId" = upper(json_extract("Json", '$.object.id'))
                WHERE json_extract("Json", '$.object.objectType') = 'StatementRef';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "XapiAttachments");

            migrationBuilder.DropIndex(
                name: "IX_XapiStatements_TargetId",
                table: "XapiStatements");

            migrationBuilder.DropColumn(
                name: "TargetId",
                table: "XapiStatements");
        }
    }
}
