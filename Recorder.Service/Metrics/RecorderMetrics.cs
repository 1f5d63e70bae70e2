using System.Collections.Concurrent;
using Prometheus;

namespace Recorder.Service.Metrics;

/// <summary>
/// The service's Prometheus metrics (prometheus-net), in a registry of its
/// own (so two services in one process, as in tests, do not share counters),
/// exported at /metrics. Running recordings report their figures every few
/// seconds; counters take the increase since the last report.
/// </summary>
public sealed class RecorderMetrics
{
    private readonly Gauge _active;
    private readonly Gauge _queued;
    private readonly Gauge _scheduled;
    private readonly Gauge _partsInFlight;
    private readonly Counter _framesDropped;
    private readonly Counter _retries;
    private readonly Counter _bytesUploaded;
    private readonly Counter _jobFailures;
    private readonly Counter _ended;
    private readonly Counter _webhooks;
    private readonly Counter _takeovers;
    private readonly Counter _leftRuns;
    private readonly ConcurrentDictionary<string, Reported> _running = new(StringComparer.Ordinal);

    public RecorderMetrics()
    {
        // The default registry's samplers (event counters, meters, process figures) would cost CPU every
        // second for metrics nobody scrapes: this service exports only its own registry.
        Prometheus.Metrics.SuppressDefaultMetrics();
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _active = factory.CreateGauge("recorder_recordings_active", "Recordings whose recording process runs on this worker.");
        _queued = factory.CreateGauge("recorder_recordings_queued", "Recordings due to start that wait for room on a worker (the recordings queue's length).");
        _scheduled = factory.CreateGauge("recorder_recordings_scheduled", "Recordings scheduled for later or waiting to start.");
        _partsInFlight = factory.CreateGauge("recorder_upload_parts_in_flight", "S3 parts being uploaded by this worker's recordings.");
        _framesDropped = factory.CreateCounter("recorder_video_frames_dropped_total", "Video frames the recordings' live edge had to drop.");
        _retries = factory.CreateCounter("recorder_upload_retries_total", "S3 requests of recordings that were retried.");
        _bytesUploaded = factory.CreateCounter("recorder_uploaded_bytes_total", "Ciphertext bytes of recordings acknowledged by S3.");
        _jobFailures = factory.CreateCounter("recorder_job_failures_total", "Jobs that failed.", new CounterConfiguration { LabelNames = ["job"] });
        _ended = factory.CreateCounter("recorder_recordings_ended_total", "Recordings that ended, by outcome.", new CounterConfiguration { LabelNames = ["state"] });
        _takeovers = factory.CreateCounter("recorder_takeovers_total", "Recordings this worker took over from a worker that died or handed them over.");
        _leftRuns = factory.CreateCounter("recorder_runs_left_total",
            "Runs that ended here while the recording went on elsewhere, by reason (handed over on shutdown, lease lost).",
            new CounterConfiguration { LabelNames = ["reason"] });
        _webhooks = factory.CreateCounter("recorder_webhook_attempts_total", "Webhook delivery attempts, by result.", new CounterConfiguration { LabelNames = ["result"] });
    }

    public CollectorRegistry Registry { get; }

    public void RecordingStarted(string recordingId)
    {
        _running[recordingId] = new Reported(0, 0, 0, 0);
        _active.Set(_running.Count);
    }

    /// <summary>A progress report of a running recording (totals of that recording so far).</summary>
    public void Progress(string recordingId, long framesDropped, long bytesUploaded, long retries, int partsInFlight)
    {
        var now = new Reported(framesDropped, bytesUploaded, retries, partsInFlight);
        var before = _running.TryGetValue(recordingId, out var b) ? b : new Reported(0, 0, 0, 0);
        _running[recordingId] = now;
        if (now.FramesDropped > before.FramesDropped) _framesDropped.Inc(now.FramesDropped - before.FramesDropped);
        if (now.BytesUploaded > before.BytesUploaded) _bytesUploaded.Inc(now.BytesUploaded - before.BytesUploaded);
        if (now.Retries > before.Retries) _retries.Inc(now.Retries - before.Retries);
        _partsInFlight.Set(_running.Values.Sum(r => r.PartsInFlight));
    }

    public void RecordingEnded(string recordingId, string state)
    {
        _running.TryRemove(recordingId, out _);
        _active.Set(_running.Count);
        _partsInFlight.Set(_running.Values.Sum(r => r.PartsInFlight));
        _ended.WithLabels(state).Inc();
        if (state == "failed") _jobFailures.WithLabels("recording").Inc();
    }

    public void RecordingTakenOver(string recordingId) => _takeovers.Inc();

    /// <summary>This worker's run of a recording ended, the recording did not: it goes on on another worker.</summary>
    public void RecordingLeft(string recordingId, string reason)
    {
        _running.TryRemove(recordingId, out _);
        _active.Set(_running.Count);
        _partsInFlight.Set(_running.Values.Sum(r => r.PartsInFlight));
        _leftRuns.WithLabels(reason).Inc();
    }

    public void WebhookDelivered(bool success)
    {
        _webhooks.WithLabels(success ? "delivered" : "failed").Inc();
        if (!success) _jobFailures.WithLabels("webhook").Inc();
    }

    /// <summary>Set before each scrape from the job storage and the store.</summary>
    public void SetQueues(long queued, long scheduled)
    {
        _queued.Set(queued);
        _scheduled.Set(scheduled);
    }

    private sealed record Reported(long FramesDropped, long BytesUploaded, long Retries, int PartsInFlight);
}
