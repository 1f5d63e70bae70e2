using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recorder.Pipeline;

/// <summary>
/// What a recording consists of, stored in plaintext next to its segments so an
/// auditor can check it without any key. It holds no participant names or
/// other meeting content: those stay inside the encrypted segments.
/// </summary>
public sealed record RecordingManifest
{
    public const string CurrentFormat = "recorder-manifest/1";

    public string Format { get; init; } = CurrentFormat;
    public required string RecordingId { get; init; }
    public required string HostId { get; init; }
    public required string MeetingId { get; init; }
    /// <summary>recording, completed or failed.</summary>
    public required string State { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? EndReason { get; init; }
    public string? Error { get; init; }
    public required IReadOnlyList<string> Recipients { get; init; }
    public required string WorkerBuild { get; init; }
    /// <summary>The fingerprint (<c>SHA256:…</c>) of the key that signed this manifest (<c>manifest.json.sig</c>); null: unsigned.</summary>
    public string? SigningKey { get; init; }
    public required ManifestVideo Video { get; init; }
    /// <summary>Every stored segment, in order (a take-over's segments follow the ones before it).</summary>
    public required IReadOnlyList<ManifestSegment> Segments { get; init; }
    public ManifestStats? Stats { get; init; }
    /// <summary>When the first frame of the recording was captured: media time 0 of every segment's <c>mediaStartSeconds</c>.</summary>
    public DateTimeOffset? FirstFrameAt { get; init; }
    /// <summary>The lease epoch (fencing counter) of the worker that wrote this version; null outside the service.</summary>
    public long? LeaseEpoch { get; init; }
    /// <summary>
    /// Segments being written when this version was stored (every few seconds): if their worker dies, the take-over
    /// completes them as truncated segments and takes their times and fragment index from here.
    /// </summary>
    public IReadOnlyList<ManifestOpenSegment>? OpenSegments { get; init; }

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, ManifestJson.Default.RecordingManifest);

    public static RecordingManifest Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, ManifestJson.Default.RecordingManifest) ?? throw new JsonException("empty manifest");
}

public sealed record ManifestVideo(int Width, int Height, int FrameRate, string Layout, string Codec, string AudioCodec, string Container);

public sealed record ManifestSegment
{
    public required int Number { get; init; }
    public required string Location { get; init; }
    public required long Bytes { get; init; }
    public required string Sha256 { get; init; }
    public required long PlaintextBytes { get; init; }
    /// <summary>Media time of the segment's first frame, seconds from the start of the recording.</summary>
    public required double MediaStartSeconds { get; init; }
    public required double DurationSeconds { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset EndedAt { get; init; }
    public required string EndReason { get; init; }
    /// <summary>
    /// The object holds only what was uploaded before its worker died: an authenticated prefix without a final chunk
    /// (<c>recorder decrypt</c> writes it and exits 4; the stock <c>age -d</c> prints it and then fails).
    /// </summary>
    public bool Truncated { get; init; }
    /// <summary>True when <see cref="DurationSeconds"/> of a truncated segment is estimated past its last known fragment (from its bytes).</summary>
    public bool? DurationEstimated { get; init; }
    /// <summary>Media seconds missing between the end of the segment before and the start of this one (null for the first).</summary>
    public double? GapBeforeSeconds { get; init; }
    public required IReadOnlyList<string> Recipients { get; init; }
    /// <summary>Bytes of ftyp + moov at the start of the plaintext: prepend them to any range of fragments.</summary>
    public long? InitSegmentBytes { get; init; }
    /// <summary>[media seconds within the segment, plaintext byte offset] of each fragment.</summary>
    public required IReadOnlyList<double[]> Fragments { get; init; }
}

/// <summary>A segment still being written: where it is, when and at which media time it started, and its fragment index so far.</summary>
public sealed record ManifestOpenSegment
{
    public required int Number { get; init; }
    public required string Location { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required double MediaStartSeconds { get; init; }
    /// <summary>Plaintext the encoder had produced when this was written.</summary>
    public required long PlaintextBytes { get; init; }
    public required DateTimeOffset CheckpointAt { get; init; }
    public long? InitSegmentBytes { get; init; }
    public required IReadOnlyList<double[]> Fragments { get; init; }
}

public sealed record ManifestStats(long VideoFrames, long VideoFramesDropped, long AudioBlocks, long AudioBlocksDropped, int EncoderRestarts);

/// <summary>The manifest's JSON (camelCase, nulls left out, indented), source-generated: no reflection, so the CLI can be compiled ahead of time.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(RecordingManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;
