using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Recorder.Storage;

/// <summary>
/// Streams bytes of unknown length into one S3 object by multipart upload,
/// within a memory budget: <see cref="Stream"/> copies writes into parts built
/// from pooled blocks; full parts go through a bounded channel to
/// <see cref="MultipartUploadOptions.MaxPartsInFlight"/> uploaders that send
/// each with its Content-MD5 and retry transient failures for up to the outage
/// window. When the budget is spent, writes wait (back-pressure). Nothing is
/// written to disk. The memory bound is explained on <see cref="MultipartUploadOptions"/>.
/// <para>
/// One writer at a time. Disposing without <see cref="CompleteAsync"/> or
/// <see cref="AbortAsync"/> stops the uploaders and leaves the multipart upload
/// on S3 for <see cref="MultipartUploadRecovery"/> (its last checkpoint names it).
/// </para>
/// </summary>
public sealed partial class MultipartUploadSink : IAsyncDisposable
{
    private enum State { Open, Completing, Completed, Aborted, Disposed }

    private readonly IObjectStore _store;
    private readonly ObjectDestination _destination;
    private readonly MultipartUploadOptions _options;
    private readonly PartSizePlan _plan;
    private readonly IUploadStateStore? _stateStore;
    private readonly TransientRetry _retry;
    private readonly PartBlockPool _pool;
    private readonly Channel<PartBlocks> _parts;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private readonly object _gate = new();
    private readonly SortedDictionary<int, UploadedPart> _uploaded = [];
    private Task[] _uploaders = [];
    private ExceptionDispatchInfo? _failure;
    private State _state;
    private PartBlocks? _current;
    private int _nextPartNumber = 1;
    private long _accepted, _uploadedBytes, _buffered, _peakBuffered;
    private int _inFlight, _retries;

    private MultipartUploadSink(
        IObjectStore store, ObjectDestination destination, MultipartUploadOptions options, IUploadStateStore? stateStore)
    {
        _store = store;
        _destination = destination;
        _options = options;
        _plan = options.PartSizes;
        _stateStore = stateStore;
        _retry = new TransientRetry(options.OutageWindow, options.RetryInitialDelay, options.RetryMaxDelay,
            _ => Interlocked.Increment(ref _retries));
        _pool = new PartBlockPool(options.MemoryBudgetBytes, PartBlockPool.DefaultBlockSize);
        var parts = (int)Math.Min(int.MaxValue, options.MemoryBudgetBytes / _plan.InitialPartSizeBytes);
        _parts = Channel.CreateBounded<PartBlocks>(new BoundedChannelOptions(Math.Max(1, parts - options.MaxPartsInFlight - 1))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });
        Stream = new SinkWriteStream(this);
    }

    /// <summary>Initiates the multipart upload (with retries) and saves the first checkpoint.</summary>
    /// <exception cref="StorageDestinationException">The bucket, credentials or KMS key were refused.</exception>
    public static async Task<MultipartUploadSink> StartAsync(
        IObjectStore store, ObjectDestination destination, MultipartUploadOptions options,
        IUploadStateStore? stateStore = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        destination.Validate();
        var sink = new MultipartUploadSink(store, destination, options, stateStore);
        sink.Upload = await sink._retry.ExecuteAsync($"{destination}: CreateMultipartUpload",
            ct => store.InitiateMultipartUploadAsync(destination, ct), cancellationToken).ConfigureAwait(false);
        try
        {
            await sink.SaveCheckpointAsync(UploadCheckpointStatus.Uploading, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await sink.AbortAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        sink._uploaders = Enumerable.Range(0, options.MaxPartsInFlight).Select(_ => Task.Run(sink.UploadLoopAsync)).ToArray();
        return sink;
    }

    /// <summary>The upload S3 created (for logs and recovery).</summary>
    public MultipartUploadId Upload { get; private set; } = null!;

    /// <summary>Write-only; writes wait while the memory budget is spent. Disposing it does not complete the upload.</summary>
    public Stream Stream { get; }

    /// <summary>The part sizes in use.</summary>
    public PartSizePlan PartSizes => _plan;

    public UploadProgress Progress
    {
        get
        {
            lock (_gate)
            {
                return new UploadProgress(_accepted, _uploadedBytes, _uploaded.Count, Volatile.Read(ref _inFlight),
                    Volatile.Read(ref _retries), _buffered, _peakBuffered, _pool.AllocatedBytes, _pool.PeakAllocatedBytes);
            }
        }
    }

    internal async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfNotWritable();
        if (_accepted + data.Length > _options.MaxRecordingLengthBytes)
        {
            throw new StorageException(
                $"{_destination}: writing {data.Length} more bytes after {_accepted} would exceed MaxRecordingLengthBytes " +
                $"({_options.MaxRecordingLengthBytes}); start a new object") { Bucket = _destination.Bucket, Key = _destination.Key };
        }
        while (!data.IsEmpty)
        {
            _current ??= new PartBlocks(_nextPartNumber, (int)_plan.SizeOfPart(_nextPartNumber));
            if (_current.Room == 0) _current.AddBlock(await _pool.RentAsync(cancellationToken).ConfigureAwait(false));
            var n = _current.Append(data.Span);
            data = data[n..];
            lock (_gate)
            {
                _accepted += n;
                _buffered += n;
                _peakBuffered = Math.Max(_peakBuffered, _buffered);
            }
            if (_current.IsFull)
            {
                CheckpointTail(force: true);
                await SealCurrentAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        CheckpointTail(force: false);
    }

    private async ValueTask SealCurrentAsync(CancellationToken cancellationToken)
    {
        var part = _current ?? new PartBlocks(_nextPartNumber, 0);
        _current = null;
        _nextPartNumber++;
        try
        {
            await _parts.Writer.WriteAsync(part, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            ThrowIfFailed();
            throw;
        }
    }

    private void ThrowIfNotWritable()
    {
        ThrowIfFailed();
        if (_state != State.Open)
            throw new InvalidOperationException($"{_destination}: the upload is {_state.ToString().ToLowerInvariant()}; no more writes");
    }

    private void ThrowIfFailed() => _failure?.Throw();

    /// <summary>The first fatal error wins: writers and waiters see it, uploaders stop.</summary>
    private void Fail(Exception exception)
    {
        lock (_gate)
        {
            if (_failure is not null) return;
            _failure = ExceptionDispatchInfo.Capture(exception);
        }
        _stop.Cancel();
        _pool.Fail(exception);
        _parts.Writer.TryComplete(exception);
    }
}
