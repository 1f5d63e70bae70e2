namespace Recorder.Storage;

/// <summary>
/// Completes an upload with the contiguous prefix of its parts and tags the
/// object truncated. AWS completes any subset of the uploaded parts. Ceph
/// Pacific refuses (InvalidPart) unless the request lists every uploaded
/// part, so when the known prefix is refused the parts are listed: without a
/// gap, all of them are completed; with one (parts uploaded in parallel, a
/// later one landed, an earlier one not), all are completed and the object is
/// then cut back to the prefix by a server-side UploadPartCopy of its ranges.
/// </summary>
internal sealed class TruncatedCompletion(IObjectStore store, TransientRetry retry, int listPageSize)
{
    public async Task<(string ETag, IReadOnlyList<UploadedPart> Used, IReadOnlyList<int> Discarded)> CompleteAsync(
        MultipartUploadId upload, List<UploadedPart> prefix, IReadOnlyList<UploadedPart> known,
        IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        string etag;
        var used = prefix;
        IReadOnlyList<int> discarded = Discarded(known, prefix);
        try
        {
            etag = await CompleteWithAsync(upload, prefix, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.ErrorCode == "InvalidPart")
        {
            var onServer = await retry.ExecuteAsync($"{upload}: ListParts",
                async ct => await store.ListPartsAsync(upload, listPageSize, ct).ToListAsync(ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            used = MultipartUploadRecovery.UsablePrefix(onServer);
            if (used.Count == 0) throw;
            discarded = Discarded(onServer, used);
            etag = await CompleteWithAsync(upload, onServer, cancellationToken).ConfigureAwait(false);
            if (discarded.Count > 0) etag = await CutBackAsync(upload, used, etag, cancellationToken).ConfigureAwait(false);
        }
        await MarkTruncatedAsync(upload, tags, cancellationToken).ConfigureAwait(false);
        return (etag, used, discarded);
    }

    private Task<string> CompleteWithAsync(MultipartUploadId upload, IReadOnlyList<UploadedPart> parts, CancellationToken cancellationToken) =>
        retry.ExecuteAsync($"{upload}: CompleteMultipartUpload",
            ct => store.CompleteMultipartUploadAsync(upload, parts, ct), cancellationToken);

    /// <summary>Rewrites the object as its first Σ prefix bytes, copied by the server part by part.</summary>
    private async Task<string> CutBackAsync(
        MultipartUploadId completed, IReadOnlyList<UploadedPart> prefix, string completedETag, CancellationToken cancellationToken)
    {
        var head = await retry.ExecuteAsync($"{completed}: HeadObject",
            ct => store.HeadObjectAsync(completed.Bucket, completed.Key, ct), cancellationToken).ConfigureAwait(false)
            ?? throw new StorageException($"{completed}: the completed object vanished before it could be cut back");
        var destination = new ObjectDestination(completed.Bucket, completed.Key) { Metadata = head.Metadata };
        var upload = await retry.ExecuteAsync($"{destination}: CreateMultipartUpload",
            ct => store.InitiateMultipartUploadAsync(destination, ct), cancellationToken).ConfigureAwait(false);
        var parts = new List<UploadedPart>();
        long offset = 0;
        foreach (var part in prefix)
        {
            var first = offset;
            var etag = await retry.ExecuteAsync($"{upload}: UploadPartCopy {parts.Count + 1}",
                ct => store.UploadPartCopyAsync(upload, parts.Count + 1, completed.Key, first, first + part.SizeBytes - 1, completedETag, ct),
                cancellationToken).ConfigureAwait(false);
            parts.Add(new UploadedPart(parts.Count + 1, etag, part.SizeBytes));
            offset += part.SizeBytes;
        }
        return await CompleteWithAsync(upload, parts, cancellationToken).ConfigureAwait(false);
    }

    private async Task MarkTruncatedAsync(MultipartUploadId upload, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var existing = await retry.ExecuteAsync($"{upload}: GetObjectTagging",
            ct => store.GetObjectTagsAsync(upload.Bucket, upload.Key, ct), cancellationToken).ConfigureAwait(false);
        var marked = new Dictionary<string, string>(tags, StringComparer.Ordinal);
        foreach (var (k, v) in existing) marked[k] = v;
        marked[ObjectDestination.TruncatedTagName] = "true";
        await retry.ExecuteAsync($"{upload}: PutObjectTagging",
            ct => store.PutObjectTagsAsync(upload.Bucket, upload.Key, marked, ct), cancellationToken).ConfigureAwait(false);
    }

    private static List<int> Discarded(IReadOnlyList<UploadedPart> all, IReadOnlyList<UploadedPart> used) =>
        all.Select(p => p.PartNumber).Except(used.Select(p => p.PartNumber)).Order().ToList();
}
