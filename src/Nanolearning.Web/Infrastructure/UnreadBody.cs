namespace Nanolearning.Web.Infrastructure;

/// <summary>
/// The rest of a body refused as too large. A client still sending when the server closes the connection on unread
/// bytes gets a reset, and may never read the 413 and its message; reading the rest first keeps the answer.
/// </summary>
public static class UnreadBody
{
    /// <summary>Reads what is left of the body and throws it away. The caller has raised the request limit to allow it.</summary>
    public static async Task DiscardAsync(HttpRequest request, CancellationToken cancel)
    {
        try
        {
            await request.Body.CopyToAsync(Stream.Null, cancel);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Over the raised limit, or the client gave up: the connection closes, and the answer may not arrive.
        }
    }
}
