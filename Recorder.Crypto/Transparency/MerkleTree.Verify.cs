namespace Recorder.Crypto.Transparency;

/// <summary>
/// Proof verification as RFC 9162 sections 2.1.3.2 and 2.1.4.2 state it for
/// RFC 6962 trees: from the proof and the sizes alone, so an auditor needs no
/// leaf but the one it checks. A proof that does not verify gives false (an
/// expected outcome: the log or the proof was tampered with); only missing
/// arguments throw.
/// </summary>
public static partial class MerkleTree
{
    /// <summary>
    /// Whether <paramref name="proof"/> shows that the leaf with hash <paramref name="leafHash"/>
    /// is leaf <paramref name="index"/> of the tree of <paramref name="size"/> leaves whose
    /// head is <paramref name="root"/>.
    /// </summary>
    public static bool VerifyInclusion(long index, long size, byte[] leafHash, IReadOnlyList<byte[]> proof, byte[] root)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(root);
        if (index < 0 || index >= size || !IsHash(leafHash) || !IsHash(root)) return false;

        var fn = index;
        var sn = size - 1;
        var r = leafHash;
        foreach (var p in proof)
        {
            if (sn == 0 || !IsHash(p)) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                SkipLevelsWithoutSibling(ref fn, ref sn);
            }
            else
            {
                r = NodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>
    /// Whether <paramref name="proof"/> shows that the tree of <paramref name="newSize"/> leaves
    /// with head <paramref name="newRoot"/> extends the tree of <paramref name="oldSize"/> leaves
    /// with head <paramref name="oldRoot"/> (its leaves are a prefix of the new tree's). Equal
    /// sizes need equal heads and an empty proof; an old size of 0 needs the empty tree's head
    /// and an empty proof.
    /// </summary>
    public static bool VerifyConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(oldRoot);
        ArgumentNullException.ThrowIfNull(newRoot);
        ArgumentNullException.ThrowIfNull(proof);
        if (oldSize < 0 || oldSize > newSize || !IsHash(oldRoot) || !IsHash(newRoot)) return false;
        foreach (var p in proof)
            if (!IsHash(p)) return false;

        if (oldSize == 0) return proof.Count == 0 && oldRoot.AsSpan().SequenceEqual(EmptyRoot());
        if (oldSize == newSize) return proof.Count == 0 && oldRoot.AsSpan().SequenceEqual(newRoot);
        if (proof.Count == 0) return false;

        // When the old tree is a whole subtree of the new one, the proof leaves out its head.
        var path = new List<byte[]>(proof.Count + 1);
        if ((oldSize & (oldSize - 1)) == 0) path.Add(oldRoot);
        path.AddRange(proof);

        var fn = oldSize - 1;
        var sn = newSize - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = path[0];
        var sr = path[0];
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                SkipLevelsWithoutSibling(ref fn, ref sn);
            }
            else
            {
                sr = NodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.AsSpan().SequenceEqual(oldRoot) && sr.AsSpan().SequenceEqual(newRoot);
    }

    // On the tree's right edge a node may have no sibling for some levels: it is carried up unchanged.
    private static void SkipLevelsWithoutSibling(ref long fn, ref long sn)
    {
        while ((fn & 1) == 0 && fn != 0)
        {
            fn >>= 1;
            sn >>= 1;
        }
    }

    private static bool IsHash(byte[]? hash) => hash is { Length: HashSize };
}
