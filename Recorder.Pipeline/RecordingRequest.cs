using Recorder.Crypto;
using Recorder.Pipeline.Encoder;
using Recorder.Pipeline.Media;

namespace Recorder.Pipeline;

/// <summary>Everything one recording needs: what to record, for whom, where to.</summary>
public sealed record RecordingRequest
{
    public required string MeetingUri { get; init; }
    public required IReadOnlyList<IRecipient> Recipients { get; init; }
    public required string Bucket { get; init; }
    public string Prefix { get; init; } = "";
    public required string HostId { get; init; }
    /// <summary>null: a new id (<see cref="Output.RecordingLocation.NewRecordingId"/>).</summary>
    public string? RecordingId { get; init; }
    /// <summary>The name to join the meeting under; null: the URI's, or <see cref="Meetings.DisplayNames.Default"/>.</summary>
    public string? DisplayName { get; init; }
    public TimeSpan? MaxDuration { get; init; }
    public LayoutKind Layout { get; init; } = LayoutKind.Gallery;
    public FfmpegEncoderOptions Encoder { get; init; } = new();
    public TimeSpan MaxSegmentDuration { get; init; } = DefaultMaxSegmentDuration;

    /// <summary>A segment's media time when nothing else is asked: one age file and file key per hour.</summary>
    public static readonly TimeSpan DefaultMaxSegmentDuration = TimeSpan.FromHours(1);

    /// <summary>null: real time for live meetings, virtual time for on-demand sources.</summary>
    public bool? RealTime { get; init; }
    /// <summary>A take-over: continue this recording (same id) after what its previous worker left, in a new segment.</summary>
    public bool Continue { get; init; }
    /// <summary>With <see cref="Continue"/>: record nothing, only complete what the previous worker left and close the manifest.</summary>
    public bool FinishOnly { get; init; }
    /// <summary>The lease epoch the supervising service holds (written into the manifest and onto every object).</summary>
    public long? LeaseEpoch { get; init; }
    /// <summary>Signs every version of the manifest (null: the manifest is stored unsigned, and verify/audit say so).</summary>
    public Signing.ManifestSigner? Signer { get; init; }
    /// <summary>
    /// Object Lock for the host's objects (<c>governance:DAYS</c> or <c>compliance:DAYS</c>): every segment, and the
    /// finished manifest and its signature, are stored locked for that many days from when each is written.
    /// </summary>
    public (Amazon.S3.ObjectLockMode Mode, int Days)? Retention { get; init; }
}
