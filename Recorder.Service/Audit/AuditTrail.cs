using Amazon.S3;
using Microsoft.Extensions.Logging;
using Recorder.Pipeline.Audit.Log;
using Recorder.Pipeline.Signing;
using Recorder.Service.Configuration;
using Recorder.Storage;

namespace Recorder.Service.Audit;

/// <summary>
/// The service's side of the bucket's audit log: appends what happens to recordings (scheduled, started, each segment
/// stored, ended) as signed, hash-chained events (<see cref="AuditLogWriter"/>), from every worker at once. An append
/// that fails (S3 down past its retries) is logged and counted, never a failure of the recording or the request.
/// Events carry ids only.
/// </summary>
public sealed class AuditTrail : IDisposable
{
    private readonly AuditLogWriter _writer;
    private readonly ILogger<AuditTrail> _logger;
    private long _failed;

    public AuditTrail(IAmazonS3 s3, RecorderServiceOptions options, ServiceSetup setup, ILogger<AuditTrail> logger)
    {
        Signer = options.SigningKey is { Length: > 0 } path ? ManifestSigner.Load(path) : null;
        Store = new S3ObjectStore(s3);
        _writer = new AuditLogWriter(Store, options.Bucket, options.Prefix, Signer, setup.WorkerId);
        _logger = logger;
    }

    /// <summary>The service's signing key (manifests are signed by the recording processes with the same file), or null.</summary>
    public ManifestSigner? Signer { get; }

    public IObjectStore Store { get; }

    public long FailedAppends => Interlocked.Read(ref _failed);

    public async Task RecordAsync(AuditEvent e, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await _writer.AppendAsync(e, cancellationToken).ConfigureAwait(false);
            _logger.LogDebug("audit event {Type} of {RecordingId} at index {Index}", e.Type, e.RecordingId, result.Index);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
            _logger.LogError("could not append the audit event {Type} of recording {RecordingId}: {Message}", e.Type, e.RecordingId, ex.Message);
        }
    }

    public void Dispose() => Signer?.Dispose();
}
