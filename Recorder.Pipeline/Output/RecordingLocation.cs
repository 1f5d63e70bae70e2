using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Recorder.Pipeline.Output;

/// <summary>
/// Where a recording's objects go (DESIGN.md, "Objects in the bucket"):
/// <c>{prefix}{hostId}/{meetingId}/{recordingId}/segment-0001.mp4.age</c> and
/// <c>…/manifest.json</c>. Ids are restricted to characters safe in keys.
/// </summary>
public sealed partial record RecordingLocation
{
    public RecordingLocation(string bucket, string prefix, string hostId, string meetingId, string recordingId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        if (prefix.Length > 0 && !prefix.EndsWith('/')) prefix += "/";
        Bucket = bucket;
        Prefix = prefix;
        HostId = CheckId(hostId, nameof(hostId));
        MeetingId = CheckId(meetingId, nameof(meetingId));
        RecordingId = CheckId(recordingId, nameof(recordingId));
    }

    public string Bucket { get; }
    public string Prefix { get; }
    public string HostId { get; }
    public string MeetingId { get; }
    public string RecordingId { get; }

    public string Folder => $"{Prefix}{HostId}/{MeetingId}/{RecordingId}/";
    public string SegmentKey(int number) => $"{Folder}segment-{number:0000}.mp4.age";
    public string ManifestKey => $"{Folder}manifest.json";

    /// <summary>The segment number a key of this recording names, or null for any other key.</summary>
    public int? SegmentNumber(string key) =>
        key.StartsWith(Folder, StringComparison.Ordinal) && SegmentName().Match(key[Folder.Length..]) is { Success: true } m
            ? int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    [GeneratedRegex("^segment-([0-9]{4,9})\\.mp4\\.age$")]
    private static partial Regex SegmentName();
    public string Uri(string key) => $"s3://{Bucket}/{key}";

    /// <summary>A new recording id: sortable by start time, unique by 32 random bits.</summary>
    public static string NewRecordingId() =>
        $"rec-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>What an id may be: it becomes part of object keys.</summary>
    public const string IdRule = "letters, digits, '.', '_' and '-' (1-64)";

    /// <summary>True when <paramref name="id"/> follows <see cref="IdRule"/> (e.g. a recording id chosen by the caller).</summary>
    public static bool IsValidId(string id) => SafeId().IsMatch(id);

    private static string CheckId(string id, string name) =>
        IsValidId(id) ? id : throw new ArgumentException($"{name} '{id}' may only contain {IdRule}", name);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SafeId();
}
