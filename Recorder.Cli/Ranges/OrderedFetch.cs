namespace Recorder.Cli.Ranges;

/// <summary>
/// Fetches numbered items with up to <c>maxInFlight</c> requests at once and hands them to a
/// consumer strictly in order: item k+maxInFlight starts only when item k was consumed, so
/// memory stays bounded and a slow consumer (a player on stdout) slows the fetching.
/// The first failure, in order, ends the run; requests still running are cancelled and awaited.
/// </summary>
internal static class OrderedFetch
{
    public static async Task RunAsync<T>(int count, int maxInFlight, Func<int, CancellationToken, Task<T>> fetch, Func<T, Task> consume,
        CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var window = new Queue<Task<T>>();
        var next = 0;
        try
        {
            while (next < count && window.Count < maxInFlight) window.Enqueue(Start(next++));
            while (window.Count > 0)
            {
                var item = await window.Dequeue();
                if (next < count) window.Enqueue(Start(next++));
                await consume(item);
            }
        }
        finally
        {
            await cancel.CancelAsync();
            foreach (var task in window)
                await task.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        Task<T> Start(int index) => Task.Run(() => fetch(index, cancel.Token), cancel.Token);
    }
}
