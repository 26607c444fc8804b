namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// A message that did not reach the mail server: it was down, too slow, or refused the message. The caller keeps the
/// message and tries again later; <see cref="Permanent"/> says when trying again with the same message is pointless.
/// </summary>
public sealed class MailDeliveryFailed(string message, bool permanent, Exception inner) : Exception(message, inner)
{
    /// <summary>The server answered with a 5xx code (unknown recipient, message refused); a 4xx or no answer is transient.</summary>
    public bool Permanent { get; } = permanent;
}
