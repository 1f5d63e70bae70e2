namespace Recorder.Storage;

/// <summary>
/// Ranged GETs of one S3 object, for readers that know exactly which bytes they need
/// (the chunks of a time range). HEADs the object once; every GET carries If-Match with
/// that ETag, so an object replaced while being read fails (412) instead of mixing two
/// versions; transient failures are retried within the outage window. Counts the bytes
/// fetched, so a caller can report what a read cost. Safe for concurrent reads.
/// </summary>
public sealed class ObjectRangeReader
{
    private readonly IObjectStore _store;
    private readonly TransientRetry _retry;
    private long _bytesFetched;
    private int _requests;

    private ObjectRangeReader(IObjectStore store, StoredObject stored, SeekableReadOptions options)
    {
        _store = store;
        Object = stored;
        _retry = new TransientRetry(options.OutageWindow, options.RetryInitialDelay, options.RetryMaxDelay);
    }

    /// <exception cref="StorageException">No such object (ErrorCode NoSuchKey), or the destination refused.</exception>
    public static async Task<ObjectRangeReader> OpenAsync(IObjectStore store, string bucket, string key, SeekableReadOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new SeekableReadOptions();
        options.Validate();
        var retry = new TransientRetry(options.OpenOutageWindow ?? options.OutageWindow, options.RetryInitialDelay, options.RetryMaxDelay);
        var stored = await retry.ExecuteAsync($"s3://{bucket}/{key}: HeadObject",
            ct => store.HeadObjectAsync(bucket, key, ct), cancellationToken).ConfigureAwait(false)
            ?? throw new StorageException($"s3://{bucket}/{key}: no such object") { Bucket = bucket, Key = key, ErrorCode = "NoSuchKey", StatusCode = 404 };
        return new ObjectRangeReader(store, stored, options);
    }

    /// <summary>What HEAD said at open.</summary>
    public StoredObject Object { get; }

    public long Length => Object.SizeBytes;

    /// <summary>Body bytes received by successful GETs so far.</summary>
    public long BytesFetched => Interlocked.Read(ref _bytesFetched);

    /// <summary>GET requests that succeeded so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/> (the whole buffer must lie inside the object).</summary>
    public Task ReadExactlyAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (offset < 0 || offset + destination.Length > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"{offset}+{destination.Length} is outside the object ({Length} bytes)");
        return _retry.ExecuteAsync($"s3://{Object.Bucket}/{Object.Key}: GetObject {offset}+{destination.Length}", async ct =>
        {
            var read = await _store.GetRangeAsync(Object.Bucket, Object.Key, offset, destination, Object.ETag, ct).ConfigureAwait(false);
            if (read != destination.Length)
                throw new StorageTransientException($"s3://{Object.Bucket}/{Object.Key}: short read at {offset}: {read} of {destination.Length} bytes");
            Interlocked.Add(ref _bytesFetched, read);
            Interlocked.Increment(ref _requests);
            return read;
        }, cancellationToken);
    }
}
