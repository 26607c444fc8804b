using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Nanolearning.Web.Infrastructure.Migrations
{
    /// <summary>
    /// The årshjul no longer has reminder-plan entries (they never sent anything: a campaign carries its own reminder
    /// days). Those a chef made become notes, keeping their title, dates, recurrence, unit, course and description.
    /// </summary>
    public partial class ReminderPlanEntriesToNotes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The kind is stored by name (HasConversion<string>), and these literals are the names as they were:
            // the migration must not follow later renames in the enum.
            migrationBuilder.Sql("""UPDATE "AnnualWheelEntries" SET "Kind" = 'Note' WHERE "Kind" = 'ReminderPlan';""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to restore: which notes were reminder plans is not recorded, and the kind did nothing anyway.
        }
    }
}
