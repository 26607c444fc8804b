namespace Nanolearning.Web.Features.HrImport;

/// <summary>
/// An uploaded HR file between its preview and the admin's go-ahead. Kept in the database, not in memory, so the
/// confirming request may reach another instance.
/// </summary>
public sealed class PendingImport
{
    public Guid Id { get; set; }

    public required string UploadedBy { get; set; }

    public required string FileName { get; set; }

    public required string Content { get; set; }

    public DateTime UploadedAt { get; set; }
}
