using System.Collections.Concurrent;
using Recorder.Storage;

namespace Recorder.Tests.Infrastructure;

/// <summary>An <see cref="IUploadStateStore"/> that keeps every checkpoint, and lets a test wait for one.</summary>
public sealed class RecordingStateStore : IUploadStateStore
{
    private readonly ConcurrentQueue<UploadCheckpoint> _saved = new();
    private readonly object _gate = new();
    private readonly List<(Func<UploadCheckpoint, bool> Match, TaskCompletionSource<UploadCheckpoint> Done)> _waiters = [];

    public IReadOnlyList<UploadCheckpoint> Saved => [.. _saved];

    public UploadCheckpoint? Last => _saved.LastOrDefault();

    public Task SaveAsync(UploadCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        _saved.Enqueue(checkpoint);
        lock (_gate)
        {
            foreach (var w in _waiters.Where(w => w.Match(checkpoint)).ToList())
            {
                w.Done.TrySetResult(checkpoint);
                _waiters.Remove(w);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>The first checkpoint (already saved or still to come) that matches.</summary>
    public Task<UploadCheckpoint> WaitForAsync(Func<UploadCheckpoint, bool> match)
    {
        lock (_gate)
        {
            if (_saved.FirstOrDefault(match) is { } found) return Task.FromResult(found);
            var done = new TaskCompletionSource<UploadCheckpoint>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(TimeSpan.FromMinutes(2));
        }
    }
}
