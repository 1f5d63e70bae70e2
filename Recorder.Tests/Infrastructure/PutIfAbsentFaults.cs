using Recorder.Storage;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// Holds the first <paramref name="racers"/> PutIfAbsent calls until all of them have arrived, then lets them go
/// at once: a race at one index on demand. Later calls pass straight through.
/// </summary>
public sealed class RacingPutStore(IObjectStore inner, int racers) : DelegatingObjectStore(inner)
{
    private readonly TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public override async Task<PutIfAbsentResult> PutIfAbsentAsync(
        ObjectDestination destination, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _arrived);
        if (n == racers) _allArrived.SetResult();
        if (n <= racers) await _allArrived.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return await Inner.PutIfAbsentAsync(destination, content, cancellationToken);
    }
}

/// <summary>
/// The first PutIfAbsent call reaches the store, and then its answer is "lost": the caller sees a transient
/// failure (a reset after the server stored the object) and retries. With <see cref="AlwaysConflict"/>, every
/// call answers 409 ConditionalRequestConflict without storing anything.
/// </summary>
public sealed class LostAnswerPutStore(IObjectStore inner) : DelegatingObjectStore(inner)
{
    private int _calls;

    public bool AlwaysConflict { get; init; }

    public int Calls => Volatile.Read(ref _calls);

    public override async Task<PutIfAbsentResult> PutIfAbsentAsync(
        ObjectDestination destination, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        if (AlwaysConflict) return PutIfAbsentResult.Conflict;
        var result = await Inner.PutIfAbsentAsync(destination, content, cancellationToken);
        if (call == 1)
            throw new StorageTransientException($"{destination}: PutObject failed: the connection was reset (injected, after storing)");
        return result;
    }
}
