using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;

namespace Recorder.Storage;

// Tail pieces: the bytes of the part being filled, stored every TailCheckpointInterval as small objects beside the
// upload, so that a writer that dies loses only what came after the last piece. A piece never holds back a write: it
// is a copy handed to a writer task of its own, and when that task is behind (slow or failing S3) the piece is made
// later, from the same offset. When a part is sealed its last bytes go into a final piece marked "-end", so the pieces
// of a part in flight cover it whole (recovery uses a part's pieces as a whole part only when they reach that mark
// without a hole); once S3 has the part, its pieces are deleted.
public sealed partial class MultipartUploadSink
{
    private const int MaxTailPiecesQueued = 8;
    // Bounded like everything else: pieces waiting hold at most one part's size of copies (_tailQueuedBytes); when full, a
    // piece is made later from the same offset and a deletion is left to completion (which removes every piece it wrote).
    private readonly Channel<TailWork> _tailWork = Channel.CreateBounded<TailWork>(new BoundedChannelOptions(4 * MaxTailPiecesQueued)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private long _tailQueuedBytes;
    private readonly Lock _tailGate = new();
    private Task? _tailWriter;
    private int _tailPart, _tailQueued;
    private int _tailOffset;
    private long _tailLastTimestamp;
    private (int Part, int Offset)? _tailResend;

    private sealed record TailWork(int Part, int Offset, byte[]? Bytes, bool EndsPart = false);

    private void CheckpointTail(bool force)
    {
        if (_options.TailCheckpointInterval is not { } interval || _current is not { } part) return;
        if (part.Number != _tailPart)
        {
            _tailPart = part.Number;
            _tailOffset = 0;
        }
        lock (_tailGate)
        {
            if (_tailResend is { } resend && resend.Part == part.Number && resend.Offset < _tailOffset) _tailOffset = resend.Offset;
            _tailResend = null;
        }
        var from = _tailOffset;
        // The piece that ends a sealed part is made even when small or when pieces are waiting: it says the part is whole.
        if (!force)
        {
            if (part.Length == from || Stopwatch.GetElapsedTime(_tailLastTimestamp) < interval) return;
            if (Volatile.Read(ref _tailQueued) >= MaxTailPiecesQueued) return; // behind: the next piece starts here
        }
        // Never more than a part's size of copies waiting (S3 slow or away): then this part's pieces stop short, and
        // recovery uses them only as the last part.
        if (Volatile.Read(ref _tailQueuedBytes) + (part.Length - from) > part.SizeBytes) return;
        var bytes = part.Content().Slice(from).ToArray();
        _tailWriter ??= Task.Run(TailWriterLoopAsync, CancellationToken.None);
        Interlocked.Increment(ref _tailQueued);
        Interlocked.Add(ref _tailQueuedBytes, bytes.Length);
        if (!_tailWork.Writer.TryWrite(new TailWork(part.Number, from, bytes, force)))
        {
            Interlocked.Decrement(ref _tailQueued);
            Interlocked.Add(ref _tailQueuedBytes, -bytes.Length);
            return;
        }
        _tailOffset = part.Length;
        _tailLastTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>S3 has part <paramref name="number"/>: its pieces are no longer needed.</summary>
    private void PartStored(int number)
    {
        if (_options.TailCheckpointInterval is null) return;
        _tailWork.Writer.TryWrite(new TailWork(number, 0, null));
    }

    private async Task TailWriterLoopAsync()
    {
        var written = new Dictionary<int, List<string>>();
        await foreach (var work in _tailWork.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (work.Bytes is null)
            {
                if (written.Remove(work.Part, out var keys)) await DeleteQuietlyAsync(keys).ConfigureAwait(false);
                continue;
            }
            var key = TailPieces.Key(_destination.Key, work.Part, work.Offset, work.EndsPart);
            try
            {
                await _store.PutObjectAsync(new ObjectDestination(_destination.Bucket, key) { ContentType = "application/octet-stream" }, work.Bytes,
                    CancellationToken.None).ConfigureAwait(false);
                if (!written.TryGetValue(work.Part, out var list)) written[work.Part] = list = [];
                list.Add(key);
            }
            catch (Exception e) when (e is StorageException or IOException or HttpRequestException or TaskCanceledException)
            {
                // Not stored: the next piece of this part starts where this one did.
                lock (_tailGate)
                {
                    if (_tailResend is not { } earlier || earlier.Part != work.Part || earlier.Offset > work.Offset) _tailResend = (work.Part, work.Offset);
                }
                Interlocked.Increment(ref _tailFailures);
            }
            finally
            {
                Interlocked.Decrement(ref _tailQueued);
                Interlocked.Add(ref _tailQueuedBytes, -work.Bytes.Length);
            }
        }
        // Completed or aborted: every piece goes (disposal without either keeps them for recovery).
        if (_removeTailOnStop) await DeleteQuietlyAsync(written.Values.SelectMany(k => k).ToList()).ConfigureAwait(false);
    }

    private int _tailFailures;
    private bool _removeTailOnStop;

    /// <summary>Tail pieces that could not be stored (each was made again from its offset).</summary>
    public int TailCheckpointFailures => Volatile.Read(ref _tailFailures);

    private async Task DeleteQuietlyAsync(IReadOnlyList<string> keys)
    {
        foreach (var key in keys)
        {
            try
            {
                await _store.DeleteObjectAsync(_destination.Bucket, key, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is StorageException or IOException or HttpRequestException or TaskCanceledException)
            {
                // Left behind: recovery ignores pieces of stored parts, and an audit names it.
            }
        }
    }

    /// <summary>The upload was completed or aborted: its pieces are deleted once the writer task has stored the queued ones.</summary>
    private Task RemoveTailPiecesAsync()
    {
        _removeTailOnStop = true;
        return StopTailWriterAsync();
    }

    private async Task StopTailWriterAsync()
    {
        _tailWork.Writer.TryComplete();
        if (_tailWriter is { } writer) await writer.ConfigureAwait(false);
    }
}
