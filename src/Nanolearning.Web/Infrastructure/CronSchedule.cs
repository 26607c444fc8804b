using Cronos;

namespace Nanolearning.Web.Infrastructure;

/// <summary>The cron settings of the recurring jobs, read as Hangfire reads them: five fields, or six with seconds.</summary>
public static class CronSchedule
{
    public static CronExpression Parse(string cron) =>
        CronExpression.Parse(cron, cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);

    public static bool IsValid(string cron)
    {
        try
        {
            Parse(cron);
            return true;
        }
        catch (CronFormatException)
        {
            return false;
        }
    }
}
