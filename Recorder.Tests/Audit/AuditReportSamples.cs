using Recorder.Pipeline.Audit;

namespace Recorder.Tests.Audit;

/// <summary>Audit reports for the HTML report's tests: a clean bucket, a hostile one (keys chosen to break the page), and a large one.</summary>
public static class AuditReportSamples
{
    public const string ScriptKey = "rec/<script>alert(1)</script>/segment-0001.mp4.age";
    public const string ImgKey = "rec/\"><img src=x onerror=alert(1)>/segment-0002.mp4.age";
    /// <summary>A right-to-left override: on screen "…/4pm.ega-0003" would read as another name.</summary>
    public const string BidiKey = "rec/\u202Eega.mp4-0003";
    public const string UnknownCode = "object-<b>unexpected</b>";

    private static readonly DateTimeOffset Started = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    public static AuditReport Clean() => Report(
        [
            new BucketSettingCheck("versioning", SettingStatus.Pass, "Enabled", "aws s3api get-bucket-versioning --bucket meetings"),
            new BucketSettingCheck("object lock", SettingStatus.Pass, "COMPLIANCE, 2555 days", "aws s3api get-object-lock-configuration --bucket meetings"),
        ],
        []);

    /// <summary>Every severity, an unknown code, each setting outcome, and attacker-chosen keys in subjects, messages and commands.</summary>
    public static AuditReport Hostile() => Report(
        [
            new BucketSettingCheck("versioning", SettingStatus.Pass, "Enabled", "aws s3api get-bucket-versioning --bucket meetings"),
            new BucketSettingCheck("object lock", SettingStatus.Fail, "no object lock configuration <none>", "aws s3api get-object-lock-configuration --bucket meetings"),
            new BucketSettingCheck("default encryption", SettingStatus.CannotVerify, "the server answers 200 & says nothing", "aws s3api get-bucket-encryption --bucket meetings"),
        ],
        [
            FindingCodes.Finding(FindingCodes.SegmentNotAge, Uri(ScriptKey), $"{Uri(ScriptKey)} is an unencrypted MP4 (ftyp box)", $"aws s3 cp '{Uri(ScriptKey)}' - | head -c 64 | xxd"),
            FindingCodes.Finding(FindingCodes.SignerOnlyInBucket, "s3://meetings/rec/manifest.json", "signed by SHA256:abc, a key found only in the bucket", "ssh-keygen -Y verify -f allowed_signers -I recorder -n recorder-manifest -s manifest.json.sig < manifest.json"),
            FindingCodes.Finding(FindingCodes.ManifestMissing, Uri(ImgKey), $"the segment {Uri(ImgKey)} has no manifest beside it", $"aws s3 ls \"{Uri(ImgKey)}\""),
            FindingCodes.Finding(FindingCodes.SegmentTruncated, Uri(BidiKey), "ends after 3 of 5 chunks", $"aws s3api head-object --bucket meetings --key '{BidiKey}'"),
            new AuditFinding(UnknownCode, FindingSeverity.Warning, Uri("stray/<object>"), "an object the audit did not expect: '<object>'"),
            FindingCodes.Finding(FindingCodes.SegmentNotAge, Uri("rec/plain.mp4.age"), "unencrypted Matroska/WebM", "aws s3 cp s3://meetings/rec/plain.mp4.age - | head -c 64 | xxd"),
        ],
        new AuditLogSummary(1234, 1230, "Kq9yQmN3cDEwYnl0ZXNvZnJvb3Q=", "audit.example+4c6f6f6b+AXRlc3Q=", "audit.example/<log>"));

    /// <summary><paramref name="count"/> findings spread over four classes of three severities, interleaved as a scan would find them.</summary>
    public static AuditReport Many(int count)
    {
        string[] codes = [FindingCodes.SegmentTruncated, FindingCodes.ManifestUnsigned, FindingCodes.SignerOnlyInBucket, FindingCodes.SegmentHashMismatch];
        var findings = new List<AuditFinding>(count);
        for (var i = 0; i < count; i++)
        {
            var key = $"host-{i % 7}/meeting-{i / 100:D4}/rec-{i:D6}/segment-{i % 100:D4}.mp4.age";
            findings.Add(FindingCodes.Finding(codes[i % codes.Length], Uri(key), $"finding {i} about {key} <{i}>", $"aws s3api head-object --bucket meetings --key '{key}'"));
        }
        return Report([new BucketSettingCheck("versioning", SettingStatus.Pass, "Enabled", "aws s3api get-bucket-versioning --bucket meetings")], findings);
    }

    public static string Uri(string key) => $"s3://meetings/{key}";

    private static AuditReport Report(IReadOnlyList<BucketSettingCheck> settings, IReadOnlyList<AuditFinding> findings, AuditLogSummary? log = null) => new()
    {
        Bucket = "meetings",
        Prefix = "recordings/",
        StartedAt = Started,
        FinishedAt = Started.AddSeconds(83.5),
        AuditorBuild = "1.4.0+test",
        Counts = new AuditCounts(Objects: 12_345, Bytes: 3_221_225_472, Recordings: 40, Segments: 160, IncompleteUploads: 2, LogEntries: 1234, Checkpoints: 3),
        Settings = settings,
        Findings = findings,
        Log = log,
    };
}
