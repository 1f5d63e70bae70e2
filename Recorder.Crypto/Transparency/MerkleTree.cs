using System.Numerics;
using System.Security.Cryptography;

namespace Recorder.Crypto.Transparency;

/// <summary>
/// The RFC 6962 (section 2.1) Merkle tree over SHA-256: leaf and node hashes, the
/// tree head of any size, and inclusion and consistency proofs made from every
/// leaf hash. Proof hashes are listed from the leaf upwards, as RFC 6962 and the
/// transparency-dev tools list them. Verification is in <c>MerkleTree.Verify.cs</c>.
/// </summary>
public static partial class MerkleTree
{
    /// <summary>The size of every hash in the tree (SHA-256).</summary>
    public const int HashSize = 32;

    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    /// <summary>The root of the empty tree: SHA-256 of the empty string.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>The hash of a log entry: SHA-256(0x00 || entry).</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> entry)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([LeafPrefix]);
        sha.AppendData(entry);
        return sha.GetHashAndReset();
    }

    /// <summary>The hash of an inner node: SHA-256(0x01 || left || right).</summary>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != HashSize) throw new ArgumentException("a Merkle tree hash is 32 bytes", nameof(left));
        if (right.Length != HashSize) throw new ArgumentException("a Merkle tree hash is 32 bytes", nameof(right));
        Span<byte> input = stackalloc byte[1 + 2 * HashSize];
        input[0] = NodePrefix;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + HashSize)..]);
        return SHA256.HashData(input);
    }

    /// <summary>The tree head (MTH) of the tree whose leaves have these hashes, for any number of leaves.</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        CheckHashes(leafHashes, nameof(leafHashes));
        return leafHashes.Count == 0 ? EmptyRoot() : SubtreeRoot(leafHashes, 0, leafHashes.Count);
    }

    /// <summary>
    /// The audit path (RFC 6962 PATH) of leaf <paramref name="index"/> in the tree of
    /// every hash in <paramref name="leafHashes"/>: the sibling hashes from the leaf up.
    /// </summary>
    public static IReadOnlyList<byte[]> InclusionProof(IReadOnlyList<byte[]> leafHashes, long index)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        CheckHashes(leafHashes, nameof(leafHashes));
        if (index < 0 || index >= leafHashes.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"no leaf {index} in a tree of {leafHashes.Count} leaves");

        var proof = new List<byte[]>();
        AddPath(leafHashes, (int)index, 0, leafHashes.Count, proof);
        return proof;
    }

    /// <summary>
    /// The consistency proof (RFC 6962 PROOF) that the tree of the first <paramref name="newSize"/>
    /// leaves extends the tree of the first <paramref name="oldSize"/> ones. Empty when
    /// <paramref name="oldSize"/> is 0 or equals <paramref name="newSize"/>.
    /// </summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leafHashes, long oldSize, long newSize)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        CheckHashes(leafHashes, nameof(leafHashes));
        if (newSize < 0 || newSize > leafHashes.Count)
            throw new ArgumentOutOfRangeException(nameof(newSize), newSize, $"the tree has {leafHashes.Count} leaves");
        if (oldSize < 0 || oldSize > newSize)
            throw new ArgumentOutOfRangeException(nameof(oldSize), oldSize, $"the old size must be between 0 and the new size ({newSize})");

        var proof = new List<byte[]>();
        if (oldSize > 0 && oldSize < newSize) AddSubproof(leafHashes, (int)oldSize, 0, (int)newSize, true, proof);
        return proof;
    }

    /// <summary>MTH(D[start : start + count]) for count ≥ 1; never the caller's own array.</summary>
    internal static byte[] SubtreeRoot(IReadOnlyList<byte[]> hashes, int start, int count)
    {
        if (count == 1) return (byte[])hashes[start].Clone();
        var k = LargestPowerOfTwoBelow(count);
        return NodeHash(SubtreeRoot(hashes, start, k), SubtreeRoot(hashes, start + k, count - k));
    }

    /// <summary>The largest power of two strictly smaller than <paramref name="n"/> (n ≥ 2).</summary>
    internal static int LargestPowerOfTwoBelow(int n) => 1 << (31 - BitOperations.LeadingZeroCount((uint)(n - 1)));

    // PATH(m, D[start : start + count]): the path to the left or right subtree, then the other subtree's root.
    private static void AddPath(IReadOnlyList<byte[]> hashes, int m, int start, int count, List<byte[]> proof)
    {
        if (count == 1) return;
        var k = LargestPowerOfTwoBelow(count);
        if (m < k)
        {
            AddPath(hashes, m, start, k, proof);
            proof.Add(SubtreeRoot(hashes, start + k, count - k));
        }
        else
        {
            AddPath(hashes, m - k, start + k, count - k, proof);
            proof.Add(SubtreeRoot(hashes, start, k));
        }
    }

    // SUBPROOF(m, D[start : start + count], b): b says whether the old tree is a whole subtree seen so far.
    private static void AddSubproof(IReadOnlyList<byte[]> hashes, int m, int start, int count, bool whole, List<byte[]> proof)
    {
        if (m == count)
        {
            if (!whole) proof.Add(SubtreeRoot(hashes, start, count));
            return;
        }
        var k = LargestPowerOfTwoBelow(count);
        if (m <= k)
        {
            AddSubproof(hashes, m, start, k, whole, proof);
            proof.Add(SubtreeRoot(hashes, start + k, count - k));
        }
        else
        {
            AddSubproof(hashes, m - k, start + k, count - k, false, proof);
            proof.Add(SubtreeRoot(hashes, start, k));
        }
    }

    private static void CheckHashes(IReadOnlyList<byte[]> hashes, string parameter)
    {
        for (var i = 0; i < hashes.Count; i++)
        {
            if (hashes[i] is not { Length: HashSize })
                throw new ArgumentException($"leaf hash {i} is not a 32-byte SHA-256 hash", parameter);
        }
    }
}
