namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// A message that did not reach the mail server: it was down, too slow, or refused the message. The caller keeps the
/// message and tries again later; <see cref="Permanent"/> says when trying again with the same message is pointless,
/// and <see cref="WholeServer"/> when the refusal is the server's for every message (a login, the sender address).
/// </summary>
public sealed class MailDeliveryFailed(string message, bool permanent, Exception inner, int? code = null, string? serverText = null, bool wholeServer = false)
    : Exception(message, inner)
{
    /// <summary>The server answered with a 5xx code (unknown recipient, message refused); a 4xx or no answer is transient.</summary>
    public bool Permanent { get; } = permanent;

    /// <summary>
    /// The refusal was not about this message: the server refused the login, the sender or the connection itself
    /// (535, a 5xx to MAIL FROM or to the greeting). Every other message would meet the same answer.
    /// </summary>
    public bool WholeServer { get; } = wholeServer;

    /// <summary>The server's SMTP reply code (550, 554 …), or null when it gave none (down, silent, TLS failed).</summary>
    public int? Code { get; } = code;

    /// <summary>What the server said after the code, as it said it (may name the recipient: for admins only, never logged).</summary>
    public string? ServerText { get; } = serverText;
}
