using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Nanolearning.Web.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class XapiDocuments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "XapiDocuments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ActivityId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Registration = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    DocumentId = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Etag = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Updated = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_XapiDocuments", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_XapiDocuments_Kind_AgentKey_ActivityId_Registration_DocumentId",
                table: "XapiDocuments",
                columns: new[] { "Kind", "AgentKey", "ActivityId", "Registration", "DocumentId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "XapiDocuments");
        }
    }
}
