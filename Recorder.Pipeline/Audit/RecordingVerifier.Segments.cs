using System.Globalization;
using Recorder.Crypto;
using Recorder.Storage;

namespace Recorder.Pipeline.Audit;

public sealed partial class RecordingVerifier
{
    private async Task<SegmentFacts> CheckSegmentAsync(ObjectLocation manifestLocation, RecordingManifest manifest, ManifestSegment segment,
        List<AuditFinding> findings, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var missing = new SegmentFacts(segment.Number, segment.Location, null, false, [], segment.Truncated, null, null, null) { Sha256 = segment.Sha256 };
        if (!ObjectLocation.TryParse(segment.Location, out var location) || location.Bucket != manifestLocation.Bucket
            || location.Folder != manifestLocation.Folder)
        {
            findings.Add(FindingCodes.Finding(FindingCodes.SegmentOutsideRecording, manifestLocation.ToString(),
                $"segment {segment.Number} is listed at {segment.Location}, outside the recording's folder {ObjectLocation.Scheme}{manifestLocation.Bucket}/{manifestLocation.Folder}"));
            return missing;
        }
        var subject = location.ToString();
        var head = await store.HeadObjectAsync(location.Bucket, location.Key, cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            findings.Add(FindingCodes.Finding(FindingCodes.SegmentMissing, subject, $"the manifest lists segment {segment.Number} ({segment.Bytes} bytes), but it is not stored",
                $"aws s3api head-object --bucket {location.Bucket} --key {location.Key}"));
            return missing;
        }

        // The header, from a ranged read of the first bytes: what the object is and for whom.
        var first = await store.ReadAllAsync(location.Bucket, location.Key, Math.Min(head.SizeBytes, 64 * 1024), head.ETag, cancellationToken).ConfigureAwait(false);
        AgeFileInfo? header = null;
        if (ContentSniffer.IsAge(first))
        {
            try
            {
                header = await AgeInspector.InspectAsync(new MemoryStream(first), head.SizeBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AgeException or FormatException or InvalidDataException or EndOfStreamException)
            {
                findings.Add(FindingCodes.Finding(FindingCodes.SegmentNotAge, subject, $"starts like an age file but its header is malformed: {e.Message}",
                    $"recorder inspect {subject}"));
            }
        }
        else
        {
            findings.Add(FindingCodes.Finding(FindingCodes.SegmentNotAge, subject,
                $"is not an age file: it looks like {ContentSniffer.Describe(first.AsSpan(0, Math.Min(first.Length, ContentSniffer.SniffBytes)))}",
                $"aws s3api get-object --bucket {location.Bucket} --key {location.Key} --range bytes=0-63 /dev/stdout | xxd"));
        }
        var recipients = header?.RecipientFingerprints ?? [];
        if (header is not null) CheckRecipients(subject, manifest, segment, recipients, findings);

        // The whole object, once: hashed, and with identities decrypted and probed on the way.
        await using var stored = await S3SeekableReadStream.OpenAsync(store, location.Bucket, location.Key, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var hashing = new HashingReadStream(stored);
        bool? decrypted = null;
        MediaFacts? media = null;
        if (options.Identities.Count > 0 && header is not null)
            (decrypted, media) = await DecryptAndProbeAsync(subject, segment, hashing, findings, cancellationToken).ConfigureAwait(false);
        var sha = await hashing.FinishAsync(cancellationToken).ConfigureAwait(false);
        var hashMatches = sha == segment.Sha256 && hashing.BytesRead == segment.Bytes;
        if (!hashMatches)
        {
            findings.Add(FindingCodes.Finding(FindingCodes.SegmentHashMismatch, subject,
                $"stored: {hashing.BytesRead} bytes, SHA-256 {sha}; the manifest says {segment.Bytes} bytes, SHA-256 {segment.Sha256}",
                $"aws s3 cp {subject} - | sha256sum"));
        }
        if (segment.Truncated)
        {
            findings.Add(FindingCodes.Finding(FindingCodes.SegmentTruncated, subject, string.Create(CultureInfo.InvariantCulture,
                $"segment {segment.Number} holds only what was uploaded before its worker died: {segment.PlaintextBytes} bytes of media, about {segment.DurationSeconds:0.0} s{(segment.DurationEstimated == true ? " (estimated)" : "")}"),
                $"recorder decrypt -i KEY -o /dev/null {subject}   # exits 4: an authenticated prefix without its final chunk"));
        }
        var decryptedText = decrypted switch
        {
            null => "",
            true => string.Create(CultureInfo.InvariantCulture, $", decrypted: {media?.VideoSeconds:0.00} s of {string.Join(" + ", media?.Streams ?? [])}"),
            false => ", decryption FAILED",
        };
        progress?.Report($"  segment {segment.Number}: {hashing.BytesRead} bytes, sha256 {(hashMatches ? "matches" : "DIFFERS")}, for {string.Join(", ", recipients)}{decryptedText}");
        return new SegmentFacts(segment.Number, subject, hashing.BytesRead, hashMatches, recipients, segment.Truncated, decrypted, media?.VideoSeconds, media?.Streams)
        {
            Sha256 = segment.Sha256,
        };
    }

    private static void CheckRecipients(string subject, RecordingManifest manifest, ManifestSegment segment, IReadOnlyList<string> recipients,
        List<AuditFinding> findings)
    {
        var inHeader = recipients.Order(StringComparer.Ordinal).ToArray();
        var listed = segment.Recipients.Order(StringComparer.Ordinal).ToArray();
        var recording = manifest.Recipients.Order(StringComparer.Ordinal).ToArray();
        if (!inHeader.SequenceEqual(listed) || !inHeader.SequenceEqual(recording))
        {
            findings.Add(FindingCodes.Finding(FindingCodes.RecipientsMismatch, subject,
                $"the header is wrapped for {string.Join(", ", inHeader)}; the manifest lists {string.Join(", ", listed)} for this segment and {string.Join(", ", recording)} for the recording",
                $"recorder inspect {subject}"));
        }
    }

    private async Task<(bool, MediaFacts?)> DecryptAndProbeAsync(string subject, ManifestSegment segment, Stream ciphertext, List<AuditFinding> findings,
        CancellationToken cancellationToken)
    {
        try
        {
            var media = await MediaProbe.ProbeAsync(
                (stdin, ct) => AgeDecryptor.DecryptAsync(ciphertext, stdin, options.Identities,
                    new AgeDecryptOptions { LeaveOpen = true, AllowTruncated = segment.Truncated }, ct),
                options.FfprobePath, cancellationToken).ConfigureAwait(false);
            CheckMedia(subject, segment, media, findings);
            return (true, media);
        }
        catch (AgeDecryptionException e)
        {
            findings.Add(FindingCodes.Finding(FindingCodes.DecryptionFailed, subject, e.Message, $"aws s3 cp {subject} - | age -d -i KEY > /dev/null"));
            return (false, null);
        }
    }

    private void CheckMedia(string subject, ManifestSegment segment, MediaFacts media, List<AuditFinding> findings)
    {
        string? problem = null;
        if (media.Error is not null) problem = $"ffprobe could not read the decrypted media: {media.Error}";
        else if (!media.Streams.Contains("video:h264") || !media.Streams.Contains("audio:aac"))
            problem = $"the decrypted media has {string.Join(", ", media.Streams)}; expected video:h264 and audio:aac";
        else if (!segment.Truncated && Math.Abs(media.VideoSeconds - segment.DurationSeconds) > options.DurationToleranceSeconds)
            problem = string.Create(CultureInfo.InvariantCulture,
                $"the decrypted media lasts {media.VideoSeconds:0.000} s; the manifest says {segment.DurationSeconds:0.000} s (tolerance {options.DurationToleranceSeconds} s)");
        if (problem is not null)
        {
            findings.Add(FindingCodes.Finding(FindingCodes.MediaMismatch, subject, problem,
                $"recorder decrypt -i KEY {subject} | ffprobe -v error -show_entries stream=codec_name -i pipe:0"));
        }
    }
}
