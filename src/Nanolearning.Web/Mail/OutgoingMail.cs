namespace Nanolearning.Web.Mail;

/// <summary>One e-mail to one person, with the same content as plain text and as HTML (the HTML is built by the caller from trusted templates).</summary>
public sealed record OutgoingMail(string ToAddress, string ToName, string Subject, string Text, string Html);
