namespace Recorder.Crypto.Recipients;

/// <summary>The encryption context that binds a KMS-wrapped file key to one segment.</summary>
public static class KmsEncryptionContext
{
    public const string RecordingIdKey = "recorder:recording-id";
    public const string SegmentKey = "recorder:segment";
    public const string HostIdKey = "recorder:host-id";

    public static IReadOnlyDictionary<string, string> ForSegment(string recordingId, int segment, string hostId)
    {
        ArgumentException.ThrowIfNullOrEmpty(recordingId);
        ArgumentException.ThrowIfNullOrEmpty(hostId);
        ArgumentOutOfRangeException.ThrowIfNegative(segment);
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [RecordingIdKey] = recordingId,
            [SegmentKey] = segment.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [HostIdKey] = hostId,
        };
    }
}
