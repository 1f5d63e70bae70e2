using System.Runtime.ExceptionServices;

namespace Recorder.Storage;

/// <summary>
/// The sink's memory: fixed-size blocks from which parts are assembled,
/// reused across parts, allocated only while their total stays within the
/// budget. The invariant the memory bound rests on: <see cref="AllocatedBytes"/>
/// ≤ budget at every instant. Parts are built from blocks rather than one
/// buffer each so that the part being filled reuses the blocks of a part S3
/// has just acknowledged: a slow stream touches about one part of memory, not
/// one per part in the pipeline. One writer rents (a Stream has one writer);
/// uploaders return blocks from any thread.
/// </summary>
internal sealed class PartBlockPool(long budgetBytes, int blockSize)
{
    /// <summary>1 MiB: part sizes are whole MiB, so a part is a whole number of blocks.</summary>
    public const int DefaultBlockSize = 1024 * 1024;

    private readonly object _gate = new();
    private readonly Stack<byte[]> _free = new();
    private TaskCompletionSource? _waiter;
    private ExceptionDispatchInfo? _failure;
    private long _allocated;
    private long _peakAllocated;

    public int BlockSize => blockSize;
    public long AllocatedBytes { get { lock (_gate) return _allocated; } }
    public long PeakAllocatedBytes { get { lock (_gate) return _peakAllocated; } }

    /// <summary>A block of <see cref="BlockSize"/> bytes; waits while the budget is spent.</summary>
    public async ValueTask<byte[]> RentAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                _failure?.Throw();
                if (_free.TryPop(out var reusable)) return reusable;
                if (_allocated + blockSize <= budgetBytes)
                {
                    _allocated += blockSize;
                    _peakAllocated = Math.Max(_peakAllocated, _allocated);
                    return GC.AllocateUninitializedArray<byte>(blockSize);
                }
                _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Return(IReadOnlyList<byte[]> blocks)
    {
        if (blocks.Count == 0) return;
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            foreach (var block in blocks) _free.Push(block);
            waiter = _waiter;
            _waiter = null;
        }
        waiter?.TrySetResult();
    }

    /// <summary>Wakes a waiting writer with the upload's failure; later rents throw it too.</summary>
    public void Fail(Exception exception)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _failure ??= ExceptionDispatchInfo.Capture(exception);
            waiter = _waiter;
            _waiter = null;
        }
        waiter?.TrySetResult();
    }

    /// <summary>Drops the free blocks (the rented ones are dropped by whoever holds them).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _allocated -= (long)_free.Count * blockSize;
            _free.Clear();
        }
    }
}
