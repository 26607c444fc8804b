using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Nanolearning.Web.Infrastructure;
using static Nanolearning.Web.Tests.Visitor;

namespace Nanolearning.Web.Tests;

/// <summary>With no mail server configured (the embedded default), e-mail lands in a folder that admins read in the app.</summary>
public sealed class MailPickupTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static OutgoingMail Reminder(string subject) => new(
        "goran.angstrom@exempel.se", "Göran Ångström", subject,
        "Hej Göran!\n\nKursen Anhörigperspektiv – introduktion väntar på dig.\nDen tar tio minuter.",
        "<p>Hej Göran!</p><p><strong>HTML-delen</strong> ska aldrig visas.</p><script>alert('x')</script>");

    [Fact]
    public async Task Without_a_mail_server_a_message_is_written_as_a_readable_eml_file()
    {
        var mail = Reminder("Påminnelse " + Guid.NewGuid().ToString("N")[..6]);
        await app.Services.GetRequiredService<Mailer>().SendAsync(mail);

        var written = await Task.WhenAll(Directory.GetFiles(app.MailFolder, "*.eml").Select(f => MimeMessage.LoadAsync(f)));
        var message = Assert.Single(written, m => m.Subject == mail.Subject);
        var to = Assert.Single(message.To.Mailboxes);
        Assert.Equal(("Göran Ångström", "goran.angstrom@exempel.se"), (to.Name, to.Address));
        Assert.Equal(mail.Text, message.TextBody!.ReplaceLineEndings("\n").TrimEnd());
        Assert.Equal(mail.Html, message.HtmlBody!.TrimEnd());
        Assert.Empty(Directory.GetFiles(app.MailFolder, "*.partial"));
    }

    [Fact]
    public async Task An_admin_sees_the_newest_message_first_and_reads_its_text_but_never_its_html()
    {
        var mailer = app.Services.GetRequiredService<Mailer>();
        var older = Reminder("Äldre påminnelse " + Guid.NewGuid().ToString("N")[..6]);
        var newer = Reminder("Nyare påminnelse " + Guid.NewGuid().ToString("N")[..6]);
        await mailer.SendAsync(older);
        await Task.Delay(20);
        await mailer.SendAsync(newer);

        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        var list = await admin.Open("/admin/e-post");
        var subjects = list.QuerySelectorAll("tbody tr td:first-child").Select(td => td.TextContent.Trim()).ToList();
        Assert.True(subjects.IndexOf(newer.Subject) is >= 0 and var at && at < subjects.IndexOf(older.Subject), string.Join(" | ", subjects));
        var row = list.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(newer.Subject));
        Assert.Contains("Göran Ångström <goran.angstrom@exempel.se>", row.TextContent);

        var link = row.QuerySelector("a")!.GetAttribute("href")!;
        var shown = await admin.Open(link);
        Assert.Equal(newer.Subject, shown.QuerySelector("h1")!.TextContent);
        Assert.Equal(newer.Text, shown.QuerySelector("pre")!.TextContent);
        Assert.DoesNotContain("HTML-delen", Text(shown));
        Assert.Null(shown.QuerySelector("main script"));
    }

    [Theory]
    [InlineData("/admin/e-post/finns-inte.eml")]
    [InlineData("/admin/e-post/..%2Fnanolearning.db")]
    [InlineData("/admin/e-post/mail.partial")]
    public async Task A_message_that_is_not_in_the_folder_is_not_found(string url)
    {
        var admin = app.NewVisitor();
        await admin.LogInAs("admin");
        Assert.Contains("Meddelandet finns inte", Text(await admin.Open(url, HttpStatusCode.NotFound)));
    }

    [Fact]
    public async Task Only_admins_read_the_mail()
    {
        var chef = app.NewVisitor();
        await chef.LogInAs("chef");
        using var response = await chef.Client.GetAsync("/admin/e-post");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var denied = await chef.Open(response.Headers.Location!.OriginalString, HttpStatusCode.Forbidden);
        Assert.Contains("Du har inte behörighet", Text(denied));
    }
}
