using System.Text;
using Recorder.Crypto.Signing;
using Recorder.Crypto.Transparency;
using Recorder.Pipeline.Signing;
using Recorder.Storage;

namespace Recorder.Pipeline.Audit.Log;

/// <summary>
/// Checks the bucket's audit log without any key: every entry (the oldest version of its key) is canonical, signed by
/// a trusted key (or one the bucket publishes, reported so), names its own index and the SHA-256 of the entry before
/// it (a break or fork shows here), no index is missing, no key has a version no writer accounts for (a rewrite or
/// deletion), and every checkpoint is signed and commits to the stored entries (a checkpoint that does not extend the
/// earlier ones cannot). Memory: 32 bytes per entry (leaf hashes) and the events' facts per recording.
/// </summary>
public sealed partial class AuditLogVerifier(IObjectStore store, string bucket, string bucketPrefix, TrustedSigners? trust)
{
    private readonly Dictionary<string, bool> _publishedKeys = new(StringComparer.Ordinal);

    public async Task<AuditLogCheck> CheckAsync(IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var log = new WriteOnceLog(store, bucket, AuditLog.Prefix(bucketPrefix));
        var findings = new List<AuditFinding>();
        var leaves = new List<byte[]>();
        var keys = new Dictionary<string, SshEd25519PublicKey>(StringComparer.Ordinal);
        var claimed = new HashSet<(string Key, string Version)>();
        var unexplained = new List<(string Key, ObjectVersion Version)>();
        var byRecording = new Dictionary<string, List<AuditEvent>>(StringComparer.Ordinal);
        byte[]? previous = null;
        long next = 0;
        while (true)
        {
            try
            {
                await foreach (var entry in log.ReadAsync(next, cancellationToken).ConfigureAwait(false))
                {
                    next = entry.Index + 1;
                    var subject = $"{ObjectLocation.Scheme}{bucket}/{entry.Key}";
                    // Leaves are by position; a gap (below) leaves the tree unverifiable past it, as it should.
                    leaves.Add(MerkleTree.LeafHash(entry.Content));
                    var sameBytes = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(entry.Content));
                    // A PUT retried after a lost answer leaves a copy of the same bytes (same ETag): not a rewrite.
                    foreach (var other in entry.OtherVersions.Where(v => v.IsDeleteMarker || v.ETag.Trim('"') != sameBytes))
                        unexplained.Add((entry.Key, other));
                    var decoded = AuditEventCodec.Decode(entry.Content);
                    await CheckEntryAsync(entry, decoded, previous, subject, findings, keys, cancellationToken).ConfigureAwait(false);
                    foreach (var lost in decoded.Lost) claimed.Add((lost.Key, lost.VersionId));
                    if (decoded.Event is { RecordingId: { } id } e)
                    {
                        if (!byRecording.TryGetValue(id, out var list)) byRecording[id] = list = [];
                        list.Add(e);
                    }
                    previous = entry.Content;
                    if (next % 1000 == 0) progress?.Report($"audit log: {next} entries read");
                }
                break;
            }
            catch (LogGapException gap)
            {
                findings.Add(FindingCodes.Finding(FindingCodes.LogGap, $"{ObjectLocation.Scheme}{bucket}/{gap.Key}",
                    $"entries {gap.MissingIndex} to {gap.NextIndex - 1} are missing and entry {gap.NextIndex} exists: entries were deleted",
                    $"aws s3api list-object-versions --bucket {bucket} --prefix {AuditLog.Prefix(bucketPrefix)}entries/"));
                next = gap.NextIndex;
                previous = null; // the chain cannot be followed across the gap: the entry after it is checked for its own sake
                for (var i = leaves.Count; i < gap.NextIndex; i++) leaves.Add(new byte[32]);
            }
        }
        foreach (var (key, version) in unexplained)
        {
            if (version.VersionId is { } id && claimed.Contains((key, id)) && !version.IsDeleteMarker) continue;
            findings.Add(FindingCodes.Finding(FindingCodes.LogEntryRewritten, $"{ObjectLocation.Scheme}{bucket}/{key}",
                version.IsDeleteMarker
                    ? $"someone deleted this entry (delete marker {version.VersionId}, {version.LastModified:u}); the original is still its oldest version"
                    : $"the key has a second version ({version.VersionId}, {version.SizeBytes} bytes, {version.LastModified:u}) that no entry claims as a lost race: the entry was rewritten; readers keep the oldest version",
                $"aws s3api list-object-versions --bucket {bucket} --prefix {key}"));
        }
        var (checkpoints, summary) = await CheckCheckpointsAsync(leaves, keys.Values.ToList(), findings, cancellationToken).ConfigureAwait(false);
        progress?.Report($"audit log: {leaves.Count} entries, {checkpoints} checkpoints, {findings.Count} findings");
        return new AuditLogCheck(leaves.Count, checkpoints, summary, findings,
            byRecording.ToDictionary(p => p.Key, p => (IReadOnlyList<AuditEvent>)p.Value, StringComparer.Ordinal));
    }

    private async Task CheckEntryAsync(LogEntry entry, DecodedAuditEvent decoded, byte[]? previous, string subject, List<AuditFinding> findings,
        Dictionary<string, SshEd25519PublicKey> keys, CancellationToken cancellationToken)
    {
        var show = $"aws s3 cp {subject} - ; echo";
        if (decoded.Problem is not null)
        {
            findings.Add(FindingCodes.Finding(FindingCodes.LogEntryMalformed, subject, $"not an audit event: {decoded.Problem}", show));
            return;
        }
        if (!decoded.Canonical)
            findings.Add(FindingCodes.Finding(FindingCodes.LogEntryMalformed, subject, "not in canonical JSON (members sorted, no whitespace): it was not written by a recorder", show));
        if (decoded.Index != entry.Index)
            findings.Add(FindingCodes.Finding(FindingCodes.LogChainBroken, subject, $"the entry at index {entry.Index} says it is entry {decoded.Index}: it was moved or copied", show));
        if (previous is not null && decoded.Previous != AuditEventCodec.Hash(previous))
        {
            findings.Add(FindingCodes.Finding(FindingCodes.LogChainBroken, subject,
                $"its prev ({decoded.Previous}) is not the SHA-256 of entry {entry.Index - 1} ({AuditEventCodec.Hash(previous)}): the log forks or was changed here",
                $"aws s3 cp {ObjectLocation.Scheme}{bucket}/{entry.Key[..^12]}{entry.Index - 1:D12} - | sha256sum"));
        }
        else if (entry.Index == 0 && decoded.Previous != AuditEventCodec.Genesis)
        {
            findings.Add(FindingCodes.Finding(FindingCodes.LogChainBroken, subject, "the first entry names a previous entry: the log's beginning was removed", show));
        }
        switch (decoded.SignatureStatus)
        {
            case "unsigned":
                findings.Add(FindingCodes.Finding(FindingCodes.LogEventUnsigned, subject, "the event is not signed: its writer had no signing key", show));
                return;
            case "invalid":
                findings.Add(FindingCodes.Finding(FindingCodes.LogSignatureInvalid, subject, "the event's signature does not verify: it was changed after signing", show));
                return;
        }
        var signer = decoded.Signer!;
        keys.TryAdd(signer.Fingerprint, signer);
        var why = trust is not null
            ? trust.Distrust(signer, decoded.Event!.Time)
            : await IsPublishedAsync(signer, cancellationToken).ConfigureAwait(false) ? null
            : $"the signing key {signer.Fingerprint} is neither given with --trust nor published in the bucket";
        if (why is not null) findings.Add(FindingCodes.Finding(FindingCodes.LogSignerUntrusted, subject, $"the signature is good, but {why}", show));
    }

    private async Task<bool> IsPublishedAsync(SshEd25519PublicKey key, CancellationToken cancellationToken)
    {
        if (_publishedKeys.TryGetValue(key.Fingerprint, out var known)) return known;
        var objectKey = SigningKeyDirectory.Key(bucketPrefix, key);
        var head = await store.HeadObjectAsync(bucket, objectKey, cancellationToken).ConfigureAwait(false);
        var published = false;
        if (head is not null && head.SizeBytes < 4096)
        {
            var text = Encoding.ASCII.GetString(await store.ReadAllAsync(bucket, objectKey, head.SizeBytes, head.ETag, cancellationToken).ConfigureAwait(false));
            try
            {
                published = SshEd25519PublicKey.Parse(text.Trim()).Equals(key);
            }
            catch (FormatException)
            {
                published = false;
            }
        }
        return _publishedKeys[key.Fingerprint] = published;
    }
}
