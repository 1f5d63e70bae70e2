using System.Runtime.CompilerServices;

namespace Recorder.Storage;

/// <summary>
/// Listings for audits, paged (<c>pageSize</c> entries per request) and
/// streamed as <see cref="IAsyncEnumerable{T}"/>: every object under a prefix
/// with its metadata (HEAD) and tags, and every incomplete multipart upload
/// with its part count and bytes. Per-object calls are retried within the
/// outage window; listing pages rely on the SDK's own retries.
/// </summary>
public sealed class BucketAuditListing
{
    private readonly IObjectStore _store;
    private readonly int _pageSize;
    private readonly TransientRetry _retry;

    public BucketAuditListing(IObjectStore store, int pageSize = 1000, TimeSpan? outageWindow = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 1000);
        _pageSize = pageSize;
        _retry = new TransientRetry(outageWindow ?? TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
    }

    /// <summary>Objects in key order; one that disappears between the listing and its HEAD is skipped.</summary>
    public async IAsyncEnumerable<AuditedObject> ListObjectsAsync(
        string bucket, string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var summary in _store.ListObjectsAsync(bucket, prefix, _pageSize, cancellationToken).ConfigureAwait(false))
        {
            var head = await _retry.ExecuteAsync($"s3://{bucket}/{summary.Key}: HeadObject",
                ct => _store.HeadObjectAsync(bucket, summary.Key, ct), cancellationToken).ConfigureAwait(false);
            if (head is null) continue;
            var tags = await _retry.ExecuteAsync($"s3://{bucket}/{summary.Key}: GetObjectTagging",
                ct => _store.GetObjectTagsAsync(bucket, summary.Key, ct), cancellationToken).ConfigureAwait(false);
            yield return new AuditedObject(summary, head.Metadata, tags);
        }
    }

    public async IAsyncEnumerable<IncompleteUploadReport> ListIncompleteUploadsAsync(
        string bucket, string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var upload in _store.ListMultipartUploadsAsync(bucket, prefix, _pageSize, cancellationToken).ConfigureAwait(false))
        {
            List<UploadedPart>? parts;
            try
            {
                parts = await _retry.ExecuteAsync($"{upload.Upload}: ListParts",
                    async ct => await _store.ListPartsAsync(upload.Upload, _pageSize, ct).ToListAsync(ct).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (MultipartUploadNotFoundException)
            {
                parts = null;
            }
            yield return new IncompleteUploadReport(upload, parts?.Count, parts?.Sum(p => p.SizeBytes));
        }
    }
}
