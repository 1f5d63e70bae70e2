using Recorder.Service.Configuration;
using Recorder.Service.Metrics;
using Recorder.Service.Store;
using Recorder.Service.Webhooks;

namespace Recorder.Service.Jobs;

/// <summary>What a recording's run needs from the service (one instance, shared by every run).</summary>
public sealed record RecordingServices(
    RecorderServiceOptions Options, IRecorderStore Store, RecordingLauncher Launcher, RecorderMetrics Metrics, WebhookPublisher Webhooks, TimeProvider Clock,
    ServiceSetup Setup, Recorder.Service.Audit.AuditTrail Audit);
