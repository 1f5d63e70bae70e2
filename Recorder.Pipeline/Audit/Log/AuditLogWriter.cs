using Recorder.Pipeline.Signing;
using Recorder.Storage;

namespace Recorder.Pipeline.Audit.Log;

/// <summary>
/// Appends signed, hash-chained events to the bucket's audit log (<see cref="AuditLog"/>) through a
/// <see cref="WriteOnceLog"/>: several workers may append at once; each entry is written once, and a writer that
/// loses a race for an index names its losing version in the entry it finally writes. Without a signer the events
/// are stored unsigned (and audits report them so).
/// </summary>
public sealed class AuditLogWriter(IObjectStore store, string bucket, string bucketPrefix, ManifestSigner? signer, string worker)
{
    private readonly WriteOnceLog _log = new(store, bucket, AuditLog.Prefix(bucketPrefix));

    public string Worker { get; } = worker;

    /// <summary>Appends <paramref name="e"/> (its <see cref="AuditEvent.Worker"/> set to this writer's); returns where it landed.</summary>
    public Task<LogAppendResult> AppendAsync(AuditEvent e, CancellationToken cancellationToken)
    {
        e = e with { Worker = e.Worker ?? Worker };
        return _log.AppendAsync(context => AuditEventCodec.Encode(e, context.Index,
            context.PreviousEntry is { } previous ? AuditEventCodec.Hash(previous.Span) : AuditEventCodec.Genesis, context.LostAttempts, signer), cancellationToken);
    }
}
