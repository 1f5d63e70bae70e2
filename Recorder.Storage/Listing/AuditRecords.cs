namespace Recorder.Storage;

/// <summary>An object as an auditor sees it: listing entry, user metadata, tags.</summary>
public sealed record AuditedObject(
    ObjectSummary Summary, IReadOnlyDictionary<string, string> Metadata, IReadOnlyDictionary<string, string> Tags)
{
    public bool IsMarkedTruncated =>
        Tags.TryGetValue(ObjectDestination.TruncatedTagName, out var v) && string.Equals(v, "true", StringComparison.Ordinal);
}

/// <summary>An incomplete multipart upload with what its parts hold (null counts: it vanished while being listed).</summary>
public sealed record IncompleteUploadReport(IncompleteUpload Upload, int? PartCount, long? SizeBytes);
