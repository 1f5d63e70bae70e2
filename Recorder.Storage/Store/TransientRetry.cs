using System.Diagnostics;

namespace Recorder.Storage;

/// <summary>
/// Retries an operation while it fails with <see cref="StorageTransientException"/>:
/// exponential backoff with jitter (half fixed, half random, so parallel parts
/// spread out yet always wait), no limit on the number of attempts, until the
/// failures have lasted the outage window; then <see cref="StorageOutageException"/>.
/// The window runs from the first failure of the current streak, so a long
/// upload survives many separate outages.
/// </summary>
internal sealed class TransientRetry(TimeSpan outageWindow, TimeSpan initialDelay, TimeSpan maxDelay, Action<StorageTransientException>? onRetry = null)
{
    public async Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        Stopwatch? streak = null;
        var failures = 0;
        while (true)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (StorageTransientException e)
            {
                cancellationToken.ThrowIfCancellationRequested();
                streak ??= Stopwatch.StartNew();
                failures++;
                var elapsed = streak.Elapsed;
                if (elapsed >= outageWindow)
                {
                    throw new StorageOutageException(
                        $"{operation} kept failing for {elapsed.TotalSeconds:0} s ({failures} attempts), longer than the outage window of " +
                        $"{outageWindow.TotalSeconds:0} s; last error: {e.Message}", e)
                    {
                        Bucket = e.Bucket, Key = e.Key, ErrorCode = e.ErrorCode, StatusCode = e.StatusCode,
                        OutageDuration = elapsed, FailedAttempts = failures,
                    };
                }
                onRetry?.Invoke(e);
                var delay = Backoff(failures);
                var left = outageWindow - elapsed;
                // One last attempt right at the end of the window rather than giving up early.
                await Task.Delay(delay < left ? delay : left, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task ExecuteAsync(string operation, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        await ExecuteAsync(operation, async ct =>
        {
            await call(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    internal TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(failures - 1, 30);
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, initialDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }
}
