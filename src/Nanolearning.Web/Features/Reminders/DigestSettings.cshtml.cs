using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Reminders;

/// <summary>A chef's own weekly digest: on or off, and the weekday it comes. Only the signed-in person's own setting.</summary>
public sealed class DigestSettingsModel(AppDbContext db) : PageModel
{
    public static readonly DayOfWeek[] Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    [BindProperty]
    public bool On { get; set; }

    [BindProperty]
    public string? Day { get; set; }

    public bool LeadsUnits { get; private set; }

    public bool Saved { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancel)
    {
        if (await FindAsync(cancel) is not { } learner)
        {
            return Problem.NotALearner(this);
        }

        (On, Day) = (!learner.DigestOff, learner.DigestDay.ToString());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancel)
    {
        if (await FindAsync(cancel) is not { } learner)
        {
            return Problem.NotALearner(this);
        }

        // A value that is not a checkbox's (true/false) must not fall back to false and turn the digest off.
        if (!ModelState.IsValid)
        {
            Error = "Formuläret gick inte att läsa. Välj igen och spara.";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        if (!Weekdays.Any(d => d.ToString() == Day))
        {
            Error = "Välj en veckodag i listan.";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        learner.DigestOff = !On;
        learner.DigestDay = Enum.Parse<DayOfWeek>(Day!);
        await db.SaveChangesAsync(cancel);
        Saved = true;
        return Page();
    }

    private async Task<Learner?> FindAsync(CancellationToken cancel)
    {
        var learnerId = User.LearnerId();
        var learner = learnerId is null ? null : await db.Learners.FirstOrDefaultAsync(l => l.Id == learnerId, cancel);
        LeadsUnits = learner is not null && await db.Units.AnyAsync(u => u.ManagerId == learner.Id, cancel)
            && await ManagerRole.Holders(db).ContainsAsync(learner.Id, cancel);
        return learner;
    }

    public static string Swedish(DayOfWeek day) => Nanolearning.Courses.Swedish.Culture.DateTimeFormat.GetDayName(day);
}
