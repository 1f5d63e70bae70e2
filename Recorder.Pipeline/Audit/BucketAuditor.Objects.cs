using System.Text;
using Recorder.Crypto.Signing;
using Recorder.Pipeline.Audit.Log;
using Recorder.Storage;

namespace Recorder.Pipeline.Audit;

public sealed partial class BucketAuditor
{
    private async Task FinishFolderAsync(string bucket, FolderObjects folder, RecordingVerifier verifier, AuditLogCheck log,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        if (folder.HasManifest)
        {
            _recordings++;
            var result = await verifier.VerifyAsync(new ObjectLocation(bucket, folder.Key + RecordingVerifier.ManifestName), progress, cancellationToken)
                .ConfigureAwait(false);
            _findings.AddRange(result.Findings);
            foreach (var segment in result.Segments)
            {
                listed.Add(segment.Location);
                CheckRecipients(result.HostId, segment);
            }
            if (result.RecordingId is not null && log.EventsByRecording.TryGetValue(result.RecordingId, out var events))
                _findings.AddRange(LogCrossCheck.Check(result, events));
        }
        foreach (var o in folder.Segments)
        {
            _segments++;
            var uri = $"{ObjectLocation.Scheme}{bucket}/{o.Key}";
            if (listed.Contains(uri)) continue;
            var first = await FirstBytesAsync(o, cancellationToken).ConfigureAwait(false);
            _findings.Add(ContentSniffer.IsAge(first)
                ? FindingCodes.Finding(FindingCodes.AgeWithoutManifest, uri,
                    folder.HasManifest ? "an age file the recording's manifest does not list" : "an age file with no manifest beside it: nothing says whose recording it is or proves it complete",
                    $"recorder inspect {uri}")
                : NotEncrypted(uri, first));
        }
    }

    private void CheckRecipients(string? hostId, SegmentFacts segment)
    {
        if (segment.Recipients.Count > options.MaxRecipients)
        {
            _findings.Add(FindingCodes.Finding(FindingCodes.TooManyRecipients, segment.Location,
                $"wrapped for {segment.Recipients.Count} recipients; a host may have at most {options.MaxRecipients}", $"recorder inspect {segment.Location}"));
        }
        if (options.HostRecipients is null || hostId is null || segment.Recipients.Count == 0) return;
        if (!options.HostRecipients.TryGetValue(hostId, out var registered))
        {
            _findings.Add(FindingCodes.Finding(FindingCodes.RecipientsNotRegistered, segment.Location, $"host {hostId} is not in the registry given (--hosts)",
                $"recorder inspect {segment.Location}"));
            return;
        }
        var extra = segment.Recipients.Except(registered, StringComparer.Ordinal).ToArray();
        if (extra.Length > 0)
        {
            _findings.Add(FindingCodes.Finding(FindingCodes.RecipientsNotRegistered, segment.Location,
                $"wrapped for {string.Join(", ", extra)}, which host {hostId} has not registered (registered: {string.Join(", ", registered)})",
                $"recorder inspect {segment.Location}"));
        }
    }

    private async Task CheckPublishedKeyAsync(ObjectSummary o, CancellationToken cancellationToken)
    {
        var uri = $"{ObjectLocation.Scheme}{o.Bucket}/{o.Key}";
        var first = await FirstBytesAsync(o, cancellationToken).ConfigureAwait(false);
        try
        {
            _ = SshEd25519PublicKey.Parse(Encoding.ASCII.GetString(first).Trim());
        }
        catch (FormatException)
        {
            _findings.Add(NotEncrypted(uri, first));
        }
    }

    private void CheckTailPiece(ObjectSummary o)
    {
        if (options.Clock.GetUtcNow() - o.LastModified < options.StaleAfter) return;
        var uri = $"{ObjectLocation.Scheme}{o.Bucket}/{o.Key}";
        _findings.Add(FindingCodes.Finding(FindingCodes.TailPiecesLeft, uri,
            $"a tail piece ({o.SizeBytes} bytes of ciphertext) stored {o.LastModified:u} for an upload whose worker died; a take-over appends and removes it, none has",
            $"aws s3 ls {uri[..(uri.IndexOf(".tail/", StringComparison.Ordinal) + 6)]}"));
    }

    private async Task CheckStrayObjectAsync(ObjectSummary o, CancellationToken cancellationToken)
    {
        var uri = $"{ObjectLocation.Scheme}{o.Bucket}/{o.Key}";
        var first = await FirstBytesAsync(o, cancellationToken).ConfigureAwait(false);
        _findings.Add(ContentSniffer.IsAge(first)
            ? FindingCodes.Finding(FindingCodes.AgeWithoutManifest, uri, "an age file outside any recording (not named segment-NNNN.mp4.age, no manifest)", $"recorder inspect {uri}")
            : NotEncrypted(uri, first));
    }

    private static AuditFinding NotEncrypted(string uri, byte[] first) =>
        FindingCodes.Finding(FindingCodes.ObjectNotEncrypted, uri, $"not encrypted: it looks like {ContentSniffer.Describe(first)}",
            $"aws s3api get-object --bucket {uri[5..uri.IndexOf('/', 5)]} --key {uri[(uri.IndexOf('/', 5) + 1)..]} --range bytes=0-63 /dev/stdout | xxd | head");

    private async Task<byte[]> FirstBytesAsync(ObjectSummary o, CancellationToken cancellationToken) =>
        await store.ReadAllAsync(o.Bucket, o.Key, Math.Min(o.SizeBytes, ContentSniffer.SniffBytes), o.ETag, cancellationToken).ConfigureAwait(false);

    private async Task CheckUploadsAsync(string bucket, CancellationToken cancellationToken)
    {
        var listing = new BucketAuditListing(store);
        await foreach (var report in listing.ListIncompleteUploadsAsync(bucket, options.Prefix, cancellationToken).ConfigureAwait(false))
        {
            _uploads++;
            var age = options.Clock.GetUtcNow() - report.Upload.Initiated;
            if (age < options.StaleAfter) continue;
            var upload = report.Upload.Upload;
            _findings.Add(FindingCodes.Finding(FindingCodes.UploadStale, $"{ObjectLocation.Scheme}{bucket}/{upload.Key}",
                $"an incomplete multipart upload started {report.Upload.Initiated:u} ({age.TotalHours:0} h ago), {report.PartCount ?? 0} parts, {report.SizeBytes ?? 0} bytes: its worker died and no take-over completed it",
                $"aws s3api list-parts --bucket {bucket} --key {upload.Key} --upload-id {upload.UploadId}"));
        }
    }
}
