using System.Text;
using Recorder.Crypto.Signing;
using Recorder.Crypto.Transparency;
using Recorder.Storage;

namespace Recorder.Pipeline.Audit.Log;

public sealed partial class AuditLogVerifier
{
    /// <summary>
    /// Every stored checkpoint (the history under <c>checkpoints/</c> and the newest at <c>checkpoint</c>): a signed
    /// note by a trusted key (or, without --trust, a key that signed the log's events), for this log's origin, whose
    /// root is the Merkle root of the stored entries up to its size. Checkpoints that all commit to the stored log
    /// extend each other; one that does not is named.
    /// </summary>
    private async Task<(long Count, AuditLogSummary Summary)> CheckCheckpointsAsync(List<byte[]> leaves, IReadOnlyList<SshEd25519PublicKey> logKeys,
        List<AuditFinding> findings, CancellationToken cancellationToken)
    {
        var origin = AuditLog.Origin(bucket, bucketPrefix);
        var keys = trust?.Signers.Select(s => s.Key).DistinctBy(k => k.Fingerprint).ToList() ?? logKeys.ToList();
        var verifiers = keys.Select(k => new NoteVerifier(origin, k.Key.Span)).ToList();
        var checkpoints = new List<(string Key, Checkpoint Checkpoint)>();
        var objects = new List<string>();
        await foreach (var o in store.ListObjectsAsync(bucket, AuditLog.CheckpointHistoryPrefix(bucketPrefix), 1000, cancellationToken).ConfigureAwait(false))
            objects.Add(o.Key);
        objects.Add(AuditLog.CheckpointKey(bucketPrefix));
        foreach (var key in objects)
        {
            var subject = $"{ObjectLocation.Scheme}{bucket}/{key}";
            var head = await store.HeadObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            if (head is null) continue; // no newest checkpoint yet
            var text = Encoding.UTF8.GetString(await store.ReadAllAsync(bucket, key, Math.Min(head.SizeBytes, 64 * 1024), head.ETag, cancellationToken).ConfigureAwait(false));
            try
            {
                var note = SignedNote.Open(text, verifiers);
                var checkpoint = Checkpoint.Parse(note.Text);
                if (checkpoint.Origin != origin) throw new FormatException($"its origin is '{checkpoint.Origin}', not this log's '{origin}'");
                checkpoints.Add((subject, checkpoint));
            }
            catch (Exception e) when (e is SignedNoteException or FormatException)
            {
                findings.Add(FindingCodes.Finding(FindingCodes.CheckpointInvalid, subject, e.Message, $"aws s3 cp {subject} -"));
            }
        }

        var builder = new MerkleTreeBuilder();
        foreach (var (subject, checkpoint) in checkpoints.OrderBy(c => c.Checkpoint.Size))
        {
            if (checkpoint.Size > leaves.Count)
            {
                findings.Add(FindingCodes.Finding(FindingCodes.CheckpointInconsistent, subject,
                    $"it commits to {checkpoint.Size} entries, but the log holds {leaves.Count}: entries were removed after it was signed",
                    $"aws s3 ls {ObjectLocation.Scheme}{bucket}/{AuditLog.Prefix(bucketPrefix)}entries/ | wc -l"));
                continue;
            }
            while (builder.Size < checkpoint.Size) builder.Append(leaves[(int)builder.Size]);
            if (!checkpoint.RootHash.SequenceEqual(builder.Root()))
            {
                findings.Add(FindingCodes.Finding(FindingCodes.CheckpointInconsistent, subject,
                    $"its root for {checkpoint.Size} entries ({Convert.ToBase64String(checkpoint.RootHash)}) is not the root of the stored entries ({Convert.ToBase64String(builder.Root())}): "
                    + "it does not extend the other checkpoints, or an entry was changed since",
                    $"aws s3 cp {subject} -"));
            }
        }
        var newest = checkpoints.Count == 0 ? null : checkpoints.MaxBy(c => c.Checkpoint.Size).Checkpoint;
        if (leaves.Count > (newest?.Size ?? 0))
        {
            findings.Add(FindingCodes.Finding(FindingCodes.LogNotCheckpointed, $"{ObjectLocation.Scheme}{bucket}/{AuditLog.CheckpointKey(bucketPrefix)}",
                $"{leaves.Count - (newest?.Size ?? 0)} of {leaves.Count} entries come after the newest checkpoint (size {newest?.Size ?? 0}): they are chained and signed, but no checkpoint commits to them yet",
                $"aws s3 cp {ObjectLocation.Scheme}{bucket}/{AuditLog.CheckpointKey(bucketPrefix)} -"));
        }
        var verifierKey = verifiers.Count == 1 ? verifiers[0].VerifierKey : null;
        return (checkpoints.Count, new AuditLogSummary(leaves.Count, newest?.Size, newest is null ? null : Convert.ToBase64String(newest.RootHash), verifierKey, origin));
    }
}
