using System.Security.Cryptography;

namespace Recorder.Crypto.Stream;

/// <summary>
/// Runs numbered batches on several cores and hands their results to a writer
/// strictly in order. Batch k runs on a pool thread (read its input, seal or
/// open it) while earlier batches are being written; at most
/// <c>2 × workers</c> batches are in flight, each in its own pair of buffers,
/// so memory is bounded. The first batch that fails, in order, ends the run:
/// nothing from it or after it reaches the writer, and the run returns only
/// after every started batch has stopped touching its buffers (which are then
/// zeroed).
/// </summary>
internal static class OrderedBatches
{
    /// <param name="work">Batch index, input buffer, output buffer → bytes of output. Runs on pool threads, several at once.</param>
    /// <param name="write">Writes one batch's output; called in batch order on the caller's flow.</param>
    public static async Task RunAsync(
        long batchCount, int workers, int inputBytes, int outputBytes,
        Func<long, byte[], byte[], int> work,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write,
        CancellationToken cancellationToken)
    {
        var window = (int)Math.Min(Math.Max(1, workers) * 2L, Math.Max(1, batchCount));
        var inputs = new byte[window][];
        var outputs = new byte[window][];
        var running = new Task<int>[window];
        long started = 0;

        Task<int> Start(long batch)
        {
            var slot = (int)(batch % window);
            inputs[slot] ??= new byte[inputBytes];
            outputs[slot] ??= new byte[outputBytes];
            var (input, output) = (inputs[slot], outputs[slot]);
            return Task.Run(() => work(batch, input, output), cancellationToken);
        }

        try
        {
            for (; started < Math.Min(window, batchCount); started++) running[started] = Start(started);
            for (long batch = 0; batch < batchCount; batch++)
            {
                var slot = (int)(batch % window);
                var length = await running[slot].ConfigureAwait(false);
                await write(outputs[slot].AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                // The slot is free again: the batch `window` places on takes it.
                if (started < batchCount) running[slot] = Start(started++);
            }
        }
        finally
        {
            // On failure, wait for the batches still running before their buffers are zeroed.
            foreach (var task in running)
            {
                if (task is not null) await task.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            }
            foreach (var buffer in inputs.Concat(outputs)) CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
