using System.Runtime.CompilerServices;

namespace Recorder.Storage;

/// <summary>
/// Finishes uploads whose writer died: from the checkpoint the sink left in
/// an <see cref="IUploadStateStore"/> (no ListParts needed), from an upload id
/// (ListParts), or for every upload under a prefix older than a given age
/// (ListMultipartUploads). By policy it completes the contiguous prefix of
/// parts (a truncated object whose prefix is usable, tagged
/// <see cref="ObjectDestination.TruncatedTagName"/>=true) or aborts. Copes with
/// Ceph answering for gone uploads with NoSuchKey or 500 (see <see cref="S3ObjectStore"/>).
/// Must not run on an upload whose writer is still alive.
/// </summary>
public sealed class MultipartUploadRecovery
{
    private readonly IObjectStore _store;
    private readonly RecoveryOptions _options;
    private readonly TransientRetry _retry;

    public MultipartUploadRecovery(IObjectStore store, RecoveryOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? new RecoveryOptions();
        _retry = new TransientRetry(_options.OutageWindow, _options.RetryInitialDelay, _options.RetryMaxDelay);
    }

    /// <summary>Recovers from a checkpoint: the parts it lists are the ones used.</summary>
    public Task<RecoveryResult> RecoverAsync(UploadCheckpoint checkpoint, RecoveryPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return checkpoint.Status switch
        {
            UploadCheckpointStatus.Completed => ConfirmCompletedAsync(checkpoint.Upload, checkpoint.Parts, cancellationToken),
            UploadCheckpointStatus.Aborted => AbortAsync(checkpoint.Upload, [], cancellationToken),
            _ => RecoverPartsAsync(checkpoint.Upload, checkpoint.Parts, checkpoint.Destination.Tags, policy, cancellationToken),
        };
    }

    /// <summary>Recovers an upload known by id alone: its parts come from ListParts.</summary>
    public async Task<RecoveryResult> RecoverAsync(MultipartUploadId upload, RecoveryPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        List<UploadedPart> parts;
        try
        {
            parts = await _retry.ExecuteAsync($"{upload}: ListParts",
                async ct => await _store.ListPartsAsync(upload, _options.ListPageSize, ct).ToListAsync(ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (MultipartUploadNotFoundException)
        {
            return new RecoveryResult(upload, RecoveryOutcome.AlreadyGone, 0, 0, null, []);
        }
        return await RecoverPartsAsync(upload, parts, new Dictionary<string, string>(), policy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every incomplete upload under <paramref name="prefix"/> initiated at least <paramref name="minimumAge"/> ago.</summary>
    public async IAsyncEnumerable<RecoveryResult> RecoverAllAsync(
        string bucket, string prefix, TimeSpan minimumAge, RecoveryPolicy policy,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cutoff = DateTimeOffset.UtcNow - minimumAge;
        var uploads = await _retry.ExecuteAsync($"s3://{bucket}/{prefix}: ListMultipartUploads",
            async ct => await _store.ListMultipartUploadsAsync(bucket, prefix, _options.ListPageSize, ct).ToListAsync(ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        foreach (var u in uploads.Where(u => u.Initiated <= cutoff))
            yield return await RecoverAsync(u.Upload, policy, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RecoveryResult> RecoverPartsAsync(
        MultipartUploadId upload, IReadOnlyList<UploadedPart> parts, IReadOnlyDictionary<string, string> tags,
        RecoveryPolicy policy, CancellationToken cancellationToken)
    {
        var tail = new TailPieceAppender(_store, _retry, _options.ListPageSize);
        // What the writer stored beside the upload (its tail pieces) becomes the last parts; the pieces go only once
        // the upload is settled, so a recovery that fails can be run again.
        if (policy == RecoveryPolicy.CompleteTruncated) parts = await tail.AppendAsync(upload, parts, cancellationToken).ConfigureAwait(false);
        var result = await RecoverWithPartsAsync(upload, parts, tags, policy, cancellationToken).ConfigureAwait(false);
        await tail.RemoveAsync(upload, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task<RecoveryResult> RecoverWithPartsAsync(
        MultipartUploadId upload, IReadOnlyList<UploadedPart> parts, IReadOnlyDictionary<string, string> tags,
        RecoveryPolicy policy, CancellationToken cancellationToken)
    {
        var prefix = UsablePrefix(parts);
        if (policy == RecoveryPolicy.Abort || prefix.Count == 0)
            return await AbortAsync(upload, parts.Select(p => p.PartNumber).Order().ToList(), cancellationToken).ConfigureAwait(false);

        // Ceph re-completes a completed upload with 200: recognise a finished upload by its ETag first.
        var confirmed = await ConfirmCompletedAsync(upload, prefix, cancellationToken).ConfigureAwait(false);
        if (confirmed.Outcome == RecoveryOutcome.AlreadyCompleted && prefix.All(p => p.ContentMd5 is not null)) return confirmed;

        var completion = new TruncatedCompletion(_store, _retry, _options.ListPageSize);
        try
        {
            var (etag, used, discarded) = await completion.CompleteAsync(upload, prefix, parts, tags, cancellationToken).ConfigureAwait(false);
            return new RecoveryResult(upload, RecoveryOutcome.CompletedTruncated, used.Sum(p => p.SizeBytes), used.Count, etag, discarded);
        }
        catch (MultipartUploadNotFoundException)
        {
            return await ConfirmCompletedAsync(upload, prefix, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Parts 1..k without a gap, every one but the last at least S3's minimum part size.</summary>
    internal static List<UploadedPart> UsablePrefix(IReadOnlyList<UploadedPart> parts)
    {
        var prefix = new List<UploadedPart>();
        foreach (var part in parts.OrderBy(p => p.PartNumber))
        {
            if (part.PartNumber != prefix.Count + 1) break;
            prefix.Add(part);
            if (part.SizeBytes < PartSizePlan.MinPartSizeBytes) break;
        }
        return prefix;
    }

    private async Task<RecoveryResult> AbortAsync(MultipartUploadId upload, IReadOnlyList<int> discarded, CancellationToken cancellationToken)
    {
        try
        {
            await _retry.ExecuteAsync($"{upload}: AbortMultipartUpload",
                ct => _store.AbortMultipartUploadAsync(upload, ct), cancellationToken).ConfigureAwait(false);
            return new RecoveryResult(upload, RecoveryOutcome.Aborted, 0, 0, null, discarded);
        }
        catch (MultipartUploadNotFoundException)
        {
            return new RecoveryResult(upload, RecoveryOutcome.AlreadyGone, 0, 0, null, discarded);
        }
    }

    /// <summary>The upload is gone: was it completed with these parts? The ETag (or, without MD5s, the size) tells.</summary>
    private async Task<RecoveryResult> ConfirmCompletedAsync(
        MultipartUploadId upload, IReadOnlyList<UploadedPart> parts, CancellationToken cancellationToken)
    {
        var head = await _retry.ExecuteAsync($"{upload}: HeadObject",
            ct => _store.HeadObjectAsync(upload.Bucket, upload.Key, ct), cancellationToken).ConfigureAwait(false);
        var length = parts.Sum(p => p.SizeBytes);
        var matches = head is not null && (parts.All(p => p.ContentMd5 is not null)
            ? head.ETag == ContentMd5.MultipartETag(parts.Select(p => p.ContentMd5!).ToList())
            : head.SizeBytes == length);
        return matches
            ? new RecoveryResult(upload, RecoveryOutcome.AlreadyCompleted, head!.SizeBytes, parts.Count, head.ETag, [])
            : new RecoveryResult(upload, RecoveryOutcome.AlreadyGone, 0, 0, null, []);
    }
}
