namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// One e-mail to one person, with the same content as plain text and as HTML (the HTML is built by the caller from
/// trusted templates). <see cref="Unsubscribe"/> becomes a List-Unsubscribe header; <see cref="MessageId"/>, when
/// set, stays the same if the message is sent again, so mail programs can tell a repeat.
/// </summary>
public sealed record OutgoingMail(
    string ToAddress, string ToName, string Subject, string Text, string Html, string? Unsubscribe = null, string? MessageId = null);
