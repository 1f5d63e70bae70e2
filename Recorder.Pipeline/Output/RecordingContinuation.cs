using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Recorder.Crypto;
using Recorder.Storage;

namespace Recorder.Pipeline.Output;

/// <summary>
/// A take-over of a recording whose worker died (or lost its lease): what that
/// worker left in the bucket, and how it is made whole. <see cref="FindAsync"/>
/// only lists (fast, before the new segment starts): the last manifest
/// version, the segment objects and the unfinished uploads, hence the number
/// the new segment takes. <see cref="RecoverAsync"/> then completes each
/// unfinished upload from its uploaded parts as a truncated segment
/// (<see cref="MultipartUploadRecovery"/>) and describes it for the manifest:
/// size and SHA-256 of the stored ciphertext, the authenticated plaintext
/// prefix, and — from the open-segment checkpoint of the last manifest — its
/// start, media time and fragment index up to the cut.
///
/// Runs only once the dead worker's lease has expired: its recorder stops
/// writing before then (the lease deadline it enforces itself), so nothing
/// else writes these objects while this runs.
/// </summary>
public sealed class RecordingContinuation
{
    public const string TruncatedEndReason = "its worker stopped before finishing it; completed from the uploaded parts by the take-over";

    private readonly IObjectStore _store;
    private readonly RecordingLocation _location;
    private readonly IReadOnlyList<Orphan> _orphans;

    private RecordingContinuation(IObjectStore store, RecordingLocation location, RecordingManifest? manifest, int nextSegment, IReadOnlyList<Orphan> orphans)
    {
        _store = store;
        _location = location;
        Manifest = manifest;
        NextSegment = nextSegment;
        _orphans = orphans;
    }

    /// <summary>The last manifest version stored (null if the dead worker stored none).</summary>
    public RecordingManifest? Manifest { get; }

    /// <summary>The number the take-over's first segment takes: one past every segment that exists or was begun.</summary>
    public int NextSegment { get; }

    /// <summary>Segment numbers left unfinished or unlisted, to be completed and described by <see cref="RecoverAsync"/>.</summary>
    public IReadOnlyList<int> OrphanNumbers => _orphans.Select(o => o.Number).ToArray();

    private sealed record Orphan(int Number, string Key, MultipartUploadId? Upload);

    public static async Task<RecordingContinuation> FindAsync(IObjectStore store, RecordingLocation location, CancellationToken cancellationToken)
    {
        var manifest = await ReadManifestAsync(store, location, cancellationToken).ConfigureAwait(false);
        var listed = new HashSet<int>(manifest?.Segments.Select(s => s.Number) ?? []);
        var begun = new SortedSet<int>(listed);
        foreach (var open in manifest?.OpenSegments ?? []) begun.Add(open.Number);

        var orphans = new List<Orphan>();
        await foreach (var upload in store.ListMultipartUploadsAsync(location.Bucket, location.Folder, 1000, cancellationToken).ConfigureAwait(false))
        {
            if (location.SegmentNumber(upload.Upload.Key) is not { } number) continue;
            begun.Add(number);
            orphans.Add(new Orphan(number, upload.Upload.Key, upload.Upload));
        }
        await foreach (var stored in store.ListObjectsAsync(location.Bucket, location.Folder, 1000, cancellationToken).ConfigureAwait(false))
        {
            if (location.SegmentNumber(stored.Key) is not { } number) continue;
            begun.Add(number);
            // Completed by its worker, which died before the manifest listed it.
            if (!listed.Contains(number) && orphans.All(o => o.Number != number)) orphans.Add(new Orphan(number, stored.Key, null));
        }
        var next = begun.Count == 0 ? 1 : begun.Max + 1;
        return new RecordingContinuation(store, location, manifest, next, orphans.OrderBy(o => o.Number).ThenBy(o => o.Upload?.UploadId).ToArray());
    }

    /// <summary>
    /// Completes every unfinished upload as a truncated segment and describes every segment the manifest did not list;
    /// an upload none of whose parts arrived leaves nothing (and is aborted).
    /// </summary>
    public async Task<IReadOnlyList<ManifestSegment>> RecoverAsync(IReadOnlyList<string> recipients, ILogger log, CancellationToken cancellationToken)
    {
        var recovery = new MultipartUploadRecovery(_store);
        var segments = new List<ManifestSegment>();
        foreach (var orphan in _orphans)
        {
            var truncated = false;
            if (orphan.Upload is { } upload)
            {
                var result = await recovery.RecoverAsync(upload, RecoveryPolicy.CompleteTruncated, cancellationToken).ConfigureAwait(false);
                log.LogInformation("segment {Segment}: the unfinished upload was {Outcome} ({Bytes} bytes in {Parts} parts)",
                    orphan.Number, result.Outcome, result.LengthBytes, result.PartCount);
                if (result.Outcome is RecoveryOutcome.Aborted or RecoveryOutcome.AlreadyGone) continue;
                truncated = result.Outcome == RecoveryOutcome.CompletedTruncated;
            }
            else
            {
                var tags = await _store.GetObjectTagsAsync(_location.Bucket, orphan.Key, cancellationToken).ConfigureAwait(false);
                truncated = tags.TryGetValue(ObjectDestination.TruncatedTagName, out var value) && value == "true";
            }
            if (segments.Any(s => s.Number == orphan.Number)) continue;
            segments.Add(await DescribeAsync(orphan, truncated, recipients, cancellationToken).ConfigureAwait(false));
        }
        return segments;
    }

    private async Task<ManifestSegment> DescribeAsync(Orphan orphan, bool truncated, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        await using var stream = await S3SeekableReadStream.OpenAsync(_store, _location.Bucket, orphan.Key, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var info = await AgeInspector.InspectAsync(stream, stream.Length, cancellationToken).ConfigureAwait(false);
        stream.Position = 0;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1024 * 1024];
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) sha.AppendData(buffer, 0, n);

        // A truncated file ends without a final chunk: only its whole chunks authenticate.
        var plaintext = truncated || info.PlaintextLengthBytes is null
            ? Math.Max(0, (stream.Length - info.HeaderLengthBytes - Recorder.Crypto.Stream.AgePayloadLayout.NonceSize) / Recorder.Crypto.Stream.AgePayloadLayout.EncryptedChunkSize) * Recorder.Crypto.Stream.AgePayloadLayout.ChunkSize
            : info.PlaintextLengthBytes.Value;
        var open = Manifest?.OpenSegments?.FirstOrDefault(o => o.Number == orphan.Number);
        var previous = Manifest?.Segments.Where(s => s.Number < orphan.Number).MaxBy(s => s.Number);
        var fragments = open?.Fragments ?? [];
        var whole = fragments.Where((f, i) => i + 1 < fragments.Count && fragments[i + 1][1] <= plaintext).ToArray();
        var (duration, estimated) = PlayableSeconds(fragments, plaintext);
        return new ManifestSegment
        {
            Number = orphan.Number,
            Location = _location.Uri(orphan.Key),
            Bytes = stream.Length,
            Sha256 = Convert.ToHexStringLower(sha.GetHashAndReset()),
            PlaintextBytes = plaintext,
            MediaStartSeconds = open?.MediaStartSeconds ?? (previous is null ? 0 : previous.MediaStartSeconds + previous.DurationSeconds),
            DurationSeconds = duration,
            StartedAt = open?.StartedAt ?? stream.Object.LastModified,
            EndedAt = open?.CheckpointAt ?? stream.Object.LastModified,
            EndReason = truncated ? TruncatedEndReason : "completed by its worker, which stopped before listing it",
            DurationEstimated = estimated ? true : null,
            Truncated = truncated,
            Recipients = info.RecipientFingerprints.Count > 0 ? info.RecipientFingerprints : recipients,
            InitSegmentBytes = open?.InitSegmentBytes,
            Fragments = whole,
        };
    }

    /// <summary>
    /// The media seconds the plaintext prefix plays: fragments wholly inside it play, the one the cut falls in does not,
    /// so the media ends where that one starts. The checkpoint's index ends a few seconds before the cut: past its last
    /// fragment the end is estimated from the bytes per second so far, in whole fragments (true when estimated).
    /// </summary>
    internal static (double Seconds, bool Estimated) PlayableSeconds(IReadOnlyList<double[]> fragments, long plaintext)
    {
        var known = fragments.Where(f => f[1] <= plaintext).ToList();
        if (known.Count == 0) return (0, fragments.Count == 0);
        var last = known[^1];
        if (known.Count < fragments.Count || known.Count < 2 || last[0] <= 0) return (Math.Round(last[0], 3), known.Count == fragments.Count);
        // The rate between the first and the last known fragment (the init segment before the first is not media).
        var first = known[0];
        var bytesPerSecond = last[0] > first[0] ? (last[1] - first[1]) / (last[0] - first[0]) : last[1] / last[0];
        var spacing = last[0] - known[^2][0];
        var beyond = (plaintext - last[1]) / bytesPerSecond;
        return (Math.Round(last[0] + Math.Floor(beyond / spacing) * spacing, 3), true);
    }

    private static async Task<RecordingManifest?> ReadManifestAsync(IObjectStore store, RecordingLocation location, CancellationToken cancellationToken)
    {
        var head = await store.HeadObjectAsync(location.Bucket, location.ManifestKey, cancellationToken).ConfigureAwait(false);
        if (head is null) return null;
        var bytes = await store.ReadAllAsync(location.Bucket, location.ManifestKey, head.SizeBytes, head.ETag, cancellationToken).ConfigureAwait(false);
        if (bytes.Length < head.SizeBytes)
            throw new StorageException($"{location.Uri(location.ManifestKey)}: the manifest ended after {bytes.Length} of {head.SizeBytes} bytes");
        return RecordingManifest.Parse(bytes);
    }
}
