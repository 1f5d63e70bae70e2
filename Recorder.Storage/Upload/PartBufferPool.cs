using System.Runtime.ExceptionServices;

namespace Recorder.Storage;

/// <summary>
/// The sink's part buffers, reused across parts, allocated only while their
/// total stays within the budget. The invariant the memory bound rests on:
/// <see cref="AllocatedBytes"/> ≤ budget at every instant. One writer rents
/// (a Stream has one writer); uploaders return buffers from any thread.
/// </summary>
internal sealed class PartBufferPool(long budgetBytes)
{
    private readonly object _gate = new();
    private readonly Stack<byte[]> _free = new();
    private TaskCompletionSource? _waiter;
    private ExceptionDispatchInfo? _failure;
    private long _allocated;
    private long _peakAllocated;

    public long AllocatedBytes { get { lock (_gate) return _allocated; } }
    public long PeakAllocatedBytes { get { lock (_gate) return _peakAllocated; } }

    /// <summary>A buffer of exactly <paramref name="size"/> bytes; waits while the budget is spent.</summary>
    public async ValueTask<byte[]> RentAsync(int size, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                _failure?.Throw();
                if (_free.TryPeek(out var reusable) && reusable.Length == size) return _free.Pop();
                // Part size grew: buffers of the old size are dropped to make room.
                while (_free.TryPop(out var old)) _allocated -= old.Length;
                if (_allocated + size <= budgetBytes)
                {
                    _allocated += size;
                    _peakAllocated = Math.Max(_peakAllocated, _allocated);
                    return GC.AllocateUninitializedArray<byte>(size);
                }
                _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Return(byte[] buffer)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _free.Push(buffer);
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

    /// <summary>Drops the free buffers (the rented ones are dropped by whoever holds them).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            while (_free.TryPop(out var b)) _allocated -= b.Length;
        }
    }
}
