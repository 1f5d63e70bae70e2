using System.Numerics;

namespace Recorder.Crypto.Transparency;

/// <summary>
/// Grows an RFC 6962 tree one leaf at a time while keeping only its right edge:
/// the heads of the whole (power-of-two) subtrees that the tree size splits
/// into, one per set bit of the size, largest first. A writer can append for
/// ever in O(log n) memory and still sign the exact tree head; it can persist
/// <see cref="RightEdge"/> with the size and resume from them.
/// </summary>
public sealed class MerkleTreeBuilder
{
    private readonly List<byte[]> _edge = [];

    /// <summary>An empty tree.</summary>
    public MerkleTreeBuilder()
    {
    }

    /// <summary>
    /// Resumes a tree of <paramref name="size"/> leaves from its right edge as
    /// <see cref="RightEdge"/> gave it: one 32-byte hash per set bit of the size.
    /// </summary>
    public MerkleTreeBuilder(long size, IReadOnlyList<byte[]> rightEdge)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentNullException.ThrowIfNull(rightEdge);
        var expected = BitOperations.PopCount((ulong)size);
        if (rightEdge.Count != expected)
            throw new ArgumentException($"a tree of {size} leaves has {expected} right-edge hashes, not {rightEdge.Count}", nameof(rightEdge));
        foreach (var hash in rightEdge)
        {
            if (hash is not { Length: MerkleTree.HashSize })
                throw new ArgumentException("a right-edge hash is 32 bytes", nameof(rightEdge));
            _edge.Add((byte[])hash.Clone());
        }
        Size = size;
    }

    /// <summary>The number of leaves appended.</summary>
    public long Size { get; private set; }

    /// <summary>Copies of the right-edge hashes, largest subtree first.</summary>
    public IReadOnlyList<byte[]> RightEdge => _edge.Select(h => (byte[])h.Clone()).ToArray();

    /// <summary>Appends the leaf with this hash (see <see cref="MerkleTree.LeafHash"/>).</summary>
    public void Append(byte[] leafHash)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        if (leafHash.Length != MerkleTree.HashSize) throw new ArgumentException("a leaf hash is 32 bytes", nameof(leafHash));

        _edge.Add((byte[])leafHash.Clone());
        Size = checked(Size + 1);
        // Each trailing zero bit of the new size is a pair of equal subtrees that now merge.
        for (var n = Size; (n & 1) == 0; n >>= 1)
        {
            var right = _edge[^1];
            var left = _edge[^2];
            _edge.RemoveRange(_edge.Count - 2, 2);
            _edge.Add(MerkleTree.NodeHash(left, right));
        }
    }

    /// <summary>The tree head of the leaves appended so far (SHA-256 of "" when none).</summary>
    public byte[] Root()
    {
        if (_edge.Count == 0) return MerkleTree.EmptyRoot();
        var root = (byte[])_edge[^1].Clone();
        for (var i = _edge.Count - 2; i >= 0; i--) root = MerkleTree.NodeHash(_edge[i], root);
        return root;
    }
}
