using System.Text;
using Recorder.Crypto.Transparency;
using Recorder.Pipeline.Signing;
using Recorder.Storage;

namespace Recorder.Pipeline.Audit.Log;

/// <summary>
/// Commits to the whole audit log so far: reads the entries it has not seen, and when the log grew, signs a C2SP
/// tlog-checkpoint (origin <see cref="AuditLog.Origin"/>, a signed note by the recorder's Ed25519 key) and stores it
/// once under <c>checkpoints/{size}</c> and as the newest <c>checkpoint</c>, with the C2SP tlog-tiles hash tiles and
/// entry bundles for the new entries (<c>tile/…</c>, each path written once: their content is fixed by the log), so
/// the transparency-dev tools can read the log too. Several workers may run it at once: they write the same bytes.
/// Memory: 32 bytes per entry and the entries of the last, incomplete bundle.
/// </summary>
public sealed class AuditCheckpointer(IObjectStore store, string bucket, string bucketPrefix, ManifestSigner signer)
{
    private readonly WriteOnceLog _log = new(store, bucket, AuditLog.Prefix(bucketPrefix));
    private readonly List<byte[]> _leaves = [];
    private readonly List<byte[]> _bundle = [];
    private long _committed;

    public string Origin { get; } = AuditLog.Origin(bucket, bucketPrefix);

    /// <summary>The C2SP verifier key of the checkpoints (give it to the transparency-dev tools).</summary>
    public string VerifierKey => new NoteVerifier(Origin, signer.PublicKey.Key.Span).VerifierKey;

    /// <summary>Writes a checkpoint when the log grew since the last one; returns its size, or null when nothing was new.</summary>
    public async Task<long?> CheckpointAsync(CancellationToken cancellationToken)
    {
        var since = _leaves.Count;
        await foreach (var entry in _log.ReadAsync(since, cancellationToken).ConfigureAwait(false))
        {
            _leaves.Add(MerkleTree.LeafHash(entry.Content));
            if (_bundle.Count == TileLayout.TileWidth) _bundle.Clear();
            _bundle.Add(entry.Content);
            await WriteBundleIfFullAsync(cancellationToken).ConfigureAwait(false);
        }
        var size = _leaves.Count;
        if (size == _committed) return null;

        foreach (var tile in TileLayout.Tiles(_leaves, size, _committed))
            await WriteOnceAsync(AuditLog.Prefix(bucketPrefix) + tile.Path, tile.Contents, cancellationToken).ConfigureAwait(false);
        if (_bundle.Count is > 0 and < TileLayout.TileWidth)
        {
            await WriteOnceAsync(AuditLog.Prefix(bucketPrefix) + TileLayout.EntryBundlePath((size - 1) / TileLayout.TileWidth, _bundle.Count),
                TileLayout.EncodeEntryBundle(_bundle), cancellationToken).ConfigureAwait(false);
        }

        var checkpoint = new Checkpoint(Origin, size, MerkleTree.Root(_leaves));
        using var noteSigner = new NoteSigner(Origin, signer.PublicKey.Key.Span, signer.SignRaw);
        var note = Encoding.UTF8.GetBytes(SignedNote.Sign(checkpoint.Format(), noteSigner));
        await WriteOnceAsync(AuditLog.CheckpointHistoryKey(bucketPrefix, size), note, cancellationToken).ConfigureAwait(false);
        await store.PutObjectAsync(new ObjectDestination(bucket, AuditLog.CheckpointKey(bucketPrefix)) { ContentType = "text/plain; charset=utf-8" },
            note, cancellationToken).ConfigureAwait(false);
        _committed = size;
        return size;
    }

    private async Task WriteBundleIfFullAsync(CancellationToken cancellationToken)
    {
        if (_bundle.Count != TileLayout.TileWidth) return;
        var index = (_leaves.Count - 1) / TileLayout.TileWidth;
        await WriteOnceAsync(AuditLog.Prefix(bucketPrefix) + TileLayout.EntryBundlePath(index), TileLayout.EncodeEntryBundle(_bundle), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>A path whose content the log fixes: written once; another writer's identical copy (412) is as good.</summary>
    private Task WriteOnceAsync(string key, byte[] content, CancellationToken cancellationToken) =>
        store.PutIfAbsentAsync(new ObjectDestination(bucket, key) { ContentType = "application/octet-stream" }, content, cancellationToken);
}
