using MimeKit;
using Nanolearning.Web.Infrastructure;

namespace Nanolearning.Web.Features.Mail;

/// <summary>Reads the messages the <see cref="Mailer"/> wrote to the pickup folder, for the admin page.</summary>
public sealed class MailPickup(Mailer mailer)
{
    public const string Extension = ".eml";

    /// <summary>The newest messages first, at most <paramref name="limit"/>: a demo can run for months.</summary>
    public async Task<IReadOnlyList<PickedUpMail>> NewestAsync(int limit, CancellationToken cancel)
    {
        if (!Directory.Exists(mailer.PickupFolder))
        {
            return [];
        }

        var newest = new DirectoryInfo(mailer.PickupFolder).EnumerateFiles("*" + Extension)
            .OrderByDescending(f => f.Name, StringComparer.Ordinal)
            .Take(limit);
        var mails = new List<PickedUpMail>();
        foreach (var file in newest)
        {
            mails.Add(await ReadAsync(file.FullName, cancel));
        }

        return mails;
    }

    /// <summary>One message by its file name, or null when the name is not a message in the folder.</summary>
    public async Task<PickedUpMail?> FindAsync(string name, CancellationToken cancel)
    {
        // Only a bare file name of ours: never a path that reaches outside the folder.
        if (Path.GetFileName(name) != name || !name.EndsWith(Extension, StringComparison.Ordinal))
        {
            return null;
        }

        var path = Path.Combine(mailer.PickupFolder, name);
        if (!File.Exists(path))
        {
            return null;
        }

        return await ReadAsync(path, cancel);
    }

    private static async Task<PickedUpMail> ReadAsync(string path, CancellationToken cancel)
    {
        var message = await MimeMessage.LoadAsync(path, cancel);
        // Names as people write them, without the quotes the header needs around "Göran Ångström".
        var to = string.Join(", ", message.To.Mailboxes.Select(m => string.IsNullOrEmpty(m.Name) ? m.Address : $"{m.Name} <{m.Address}>"));
        return new PickedUpMail(Path.GetFileName(path), message.Date.UtcDateTime, to, message.Subject ?? "", message.TextBody ?? "");
    }
}

/// <summary>A message in the pickup folder as the admin page shows it: the plain-text part only, never the HTML.</summary>
public sealed record PickedUpMail(string FileName, DateTime SentAt, string To, string Subject, string Text);
