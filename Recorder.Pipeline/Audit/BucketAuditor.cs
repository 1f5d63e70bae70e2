using Recorder.Pipeline.Audit.Log;
using Recorder.Pipeline.Signing;
using Recorder.Storage;

namespace Recorder.Pipeline.Audit;

/// <summary>
/// <c>recorder audit</c>: every object under a prefix and every incomplete upload, in one streaming pass (keys come in
/// order, so a recording's objects arrive together: only the current folder's segment names are held), plus the audit
/// log and the bucket's settings. Each recording is verified as <see cref="RecordingVerifier"/> does (signature,
/// hashes, recipients) and checked against its events in the log; every other object must be something the recorder
/// writes, and is otherwise named with what it looks like.
/// </summary>
public sealed partial class BucketAuditor(IObjectStore store, AuditOptions options)
{
    private readonly List<AuditFinding> _findings = [];
    private long _objects, _bytes, _recordings, _segments, _uploads;

    /// <summary>Objects listed so far, for a live progress display (read from any thread).</summary>
    public long ObjectsChecked => Interlocked.Read(ref _objects);

    /// <summary>Their bytes.</summary>
    public long BytesChecked => Interlocked.Read(ref _bytes);

    public async Task<AuditReport> AuditAsync(string bucket, BucketSettings? settings, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var started = options.Clock.GetUtcNow();
        var log = await new AuditLogVerifier(store, bucket, options.Prefix, options.Trust).CheckAsync(progress, cancellationToken).ConfigureAwait(false);
        _findings.AddRange(log.Findings);

        var verifier = new RecordingVerifier(store, new VerifyOptions { Trust = options.Trust });
        var auditPrefix = AuditLog.Prefix(options.Prefix);
        var keysPrefix = SigningKeyDirectory.FolderKey(options.Prefix);
        var folder = new FolderObjects();
        await foreach (var o in store.ListObjectsAsync(bucket, options.Prefix, 1000, cancellationToken).ConfigureAwait(false))
        {
            _objects++;
            _bytes += o.SizeBytes;
            if (_objects % 500 == 0) progress?.Report($"{_objects} objects, {_bytes / (1024 * 1024)} MiB checked");
            if (o.Key.StartsWith(auditPrefix, StringComparison.Ordinal)) continue; // the log, checked above
            if (o.Key.StartsWith(keysPrefix, StringComparison.Ordinal))
            {
                await CheckPublishedKeyAsync(o, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (o.Key.Contains(".tail/", StringComparison.Ordinal))
            {
                CheckTailPiece(o);
                continue;
            }
            var name = o.Key[(o.Key.LastIndexOf('/') + 1)..];
            var folderKey = o.Key[..(o.Key.Length - name.Length)];
            if (folderKey != folder.Key)
            {
                await FinishFolderAsync(bucket, folder, verifier, log, progress, cancellationToken).ConfigureAwait(false);
                folder = new FolderObjects { Key = folderKey };
            }
            if (name == RecordingVerifier.ManifestName) folder.HasManifest = true;
            else if (name == RecordingVerifier.ManifestName + ManifestSigner.SignatureSuffix) folder.HasSignature = true;
            else if (name.EndsWith(".mp4.age", StringComparison.Ordinal)) folder.Segments.Add(o);
            else await CheckStrayObjectAsync(o, cancellationToken).ConfigureAwait(false);
        }
        await FinishFolderAsync(bucket, folder, verifier, log, progress, cancellationToken).ConfigureAwait(false);
        await CheckUploadsAsync(bucket, cancellationToken).ConfigureAwait(false);

        var report = new AuditReport
        {
            Bucket = bucket,
            Prefix = options.Prefix,
            StartedAt = started,
            FinishedAt = options.Clock.GetUtcNow(),
            AuditorBuild = WorkerBuild.Description,
            Counts = new AuditCounts(_objects, _bytes, _recordings, _segments, _uploads, log.Entries, log.Checkpoints),
            Settings = settings is null ? [] : BucketSettingsEvaluator.Evaluate(bucket, settings),
            Findings = [.. _findings],
            Log = log.Summary,
        };
        progress?.Report($"done: {_objects} objects ({_bytes} bytes), {_recordings} recordings, {_segments} segments, {_uploads} incomplete uploads, "
            + $"{log.Entries} log entries; {_findings.Count} findings");
        return report;
    }

    /// <summary>The recording objects of one folder seen so far (a manifest, its signature, the segments).</summary>
    private sealed class FolderObjects
    {
        public string Key { get; init; } = "";
        public bool HasManifest { get; set; }
        public bool HasSignature { get; set; }
        public List<ObjectSummary> Segments { get; } = [];
    }
}
