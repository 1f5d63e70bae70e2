using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Recorder.Storage;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// Holds every UploadPart until the test opens its gate, for deterministic
/// back-pressure tests: <see cref="NextPartAsync"/> yields the part number of
/// each call as it arrives; <see cref="Release"/> lets it through (or
/// <see cref="Fail"/> fails it).
/// </summary>
public sealed class GatedObjectStore(IObjectStore inner) : DelegatingObjectStore(inner)
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _gates = new();
    private readonly Channel<int> _arrivals = Channel.CreateUnbounded<int>();

    public override async Task<string> UploadPartAsync(
        MultipartUploadId upload, int partNumber, ReadOnlySequence<byte> content, string contentMd5, CancellationToken cancellationToken)
    {
        var gate = Gate(partNumber);
        _arrivals.Writer.TryWrite(partNumber);
        await gate.Task.WaitAsync(cancellationToken);
        return await Inner.UploadPartAsync(upload, partNumber, content, contentMd5, cancellationToken);
    }

    /// <summary>The part number of the next UploadPart call to reach the store.</summary>
    public async Task<int> NextPartAsync() => await _arrivals.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    public void Release(int partNumber) => Gate(partNumber).TrySetResult();

    public void Fail(int partNumber, Exception exception) => Gate(partNumber).TrySetException(exception);

    private TaskCompletionSource Gate(int partNumber) =>
        _gates.GetOrAdd(partNumber, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
