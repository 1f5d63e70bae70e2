using System.Threading.Channels;
using Amazon.S3;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Recorder.Pipeline.Audit.Log;
using Recorder.Pipeline.Signing;
using Recorder.Service.Configuration;
using Recorder.Storage;

namespace Recorder.Service.Audit;

/// <summary>
/// The service's side of the bucket's audit log: appends what happens to recordings (scheduled, started, each segment
/// stored, ended, retention, legal holds) as signed, hash-chained events (<see cref="AuditLogWriter"/>), from every
/// worker at once. Callers only queue an event (a bounded queue: 10,000 events, then they wait), so neither a request
/// nor a recording's event loop waits for S3; one writer appends them in order and retries an append until S3 takes
/// it, so an outage delays events and loses none. At shutdown the queue is drained for as long as the host allows;
/// what is still queued then is logged as lost. Events carry ids only.
/// </summary>
public sealed class AuditTrail : BackgroundService
{
    private const int QueueCapacity = 10_000;
    private readonly AuditLogWriter _writer;
    private readonly ILogger<AuditTrail> _logger;
    private readonly Channel<AuditEvent> _queue = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });
    private readonly CancellationTokenSource _giveUp = new();
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

    /// <summary>Appends that failed and were retried (S3 down or refusing).</summary>
    public long FailedAppends => Interlocked.Read(ref _failed);

    /// <summary>Queues <paramref name="e"/>; after shutdown began (the queue is closed), appends it directly.</summary>
    public async Task RecordAsync(AuditEvent e, CancellationToken cancellationToken = default)
    {
        try
        {
            await _queue.Writer.WriteAsync(e, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            await AppendAsync(e, _giveUp.Token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Appends <paramref name="e"/> now, not through the queue: for the operator's compliance actions, whose answer
    /// says the event is stored. Throws when S3 did not take it (the caller answers 503 and the action may be repeated).
    /// </summary>
    public async Task RecordNowAsync(AuditEvent e, CancellationToken cancellationToken)
    {
        try
        {
            await _writer.AppendAsync(e, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
            throw new AuditLogUnavailableException($"the audit event {e.Type} could not be stored: {ex.Message}", ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not stoppingToken: the queue is drained after the stop too, until StopAsync's deadline gives up.
        await foreach (var e in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            await AppendAsync(e, _giveUp.Token).ConfigureAwait(false);
    }

    private async Task AppendAsync(AuditEvent e, CancellationToken giveUp)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                var result = await _writer.AppendAsync(e, giveUp).ConfigureAwait(false);
                _logger.LogDebug("audit event {Type} of {RecordingId} at index {Index}", e.Type, e.RecordingId ?? e.HostId, result.Index);
                return;
            }
            catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
            {
                _logger.LogError("the audit event {Type} of {Subject} was not stored: the service stopped before S3 took it", e.Type, e.RecordingId ?? e.HostId);
                return;
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _failed);
                _logger.LogError("could not append the audit event {Type} of {Subject} (retrying in {Delay} s): {Message}",
                    e.Type, e.RecordingId ?? e.HostId, delay.TotalSeconds, ex.Message);
                try
                {
                    await Task.Delay(delay, giveUp).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _logger.LogError("the audit event {Type} of {Subject} was not stored: the service stopped before S3 took it", e.Type, e.RecordingId ?? e.HostId);
                    return;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await using (cancellationToken.Register(() => _giveUp.Cancel()).ConfigureAwait(false))
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        Signer?.Dispose();
        _giveUp.Dispose();
        base.Dispose();
    }
}

/// <summary>An audit event the caller needed stored now could not be.</summary>
public sealed class AuditLogUnavailableException(string message, Exception inner) : Exception(message, inner);
