using System.Buffers;
using Recorder.Storage;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// Fails UploadPart with what <see cref="FailureFor"/> returns for a call
/// (its 1-based index among UploadPart calls); null lets the call through.
/// </summary>
public sealed class FlakyObjectStore(IObjectStore inner, Func<int, Exception?> failureFor) : DelegatingObjectStore(inner)
{
    private int _calls;

    public Func<int, Exception?> FailureFor { get; } = failureFor;

    public int UploadPartCalls => Volatile.Read(ref _calls);

    public override Task<string> UploadPartAsync(
        MultipartUploadId upload, int partNumber, ReadOnlySequence<byte> content, string contentMd5, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        return FailureFor(call) is { } failure
            ? Task.FromException<string>(failure)
            : Inner.UploadPartAsync(upload, partNumber, content, contentMd5, cancellationToken);
    }

    public static StorageTransientException ServerError(MultipartUploadId? upload = null) =>
        new($"{upload}: UploadPart failed: InternalError (500): injected") { ErrorCode = "InternalError", StatusCode = 500 };
}
