namespace Recorder.Crypto.Transparency;

/// <summary>
/// Grows a tiled log one leaf at a time, keeping only the partial tile of each
/// level (at most 255 hashes a level, so O(log n) memory): <see cref="Append"/>
/// returns the full tiles a leaf completes, <see cref="PartialTiles"/> the partial
/// ones of the current size, and <see cref="Root"/> the tree head to put in the
/// checkpoint. A writer uploads the full tiles as they come and the partial tiles
/// at each checkpoint; after a restart it resumes from those partial tiles alone.
/// </summary>
public sealed class TileBuilder
{
    // _levels[L] holds the hashes of level L's partial tile; a full one is emitted and rolled up a level.
    private readonly List<List<byte[]>> _levels = [];

    /// <summary>An empty log.</summary>
    public TileBuilder()
    {
    }

    /// <summary>
    /// Resumes a log of <paramref name="size"/> leaves from the contents of its partial
    /// tiles, in the order <see cref="TileLayout.PartialTiles"/> lists them. Compare <see cref="Root"/>
    /// with the checkpoint of that size before appending: tiles read back are not otherwise checked.
    /// </summary>
    public TileBuilder(long size, IReadOnlyList<byte[]> partialTiles)
    {
        ArgumentNullException.ThrowIfNull(partialTiles);
        var expected = TileLayout.PartialTiles(size);
        if (partialTiles.Count != expected.Count)
            throw new ArgumentException($"a tree of {size} leaves has {expected.Count} partial tiles, not {partialTiles.Count}", nameof(partialTiles));

        for (var level = 0; TileLayout.HashesAt(level, size) > 0; level++) _levels.Add(new List<byte[]>(TileLayout.TileWidth));
        for (var i = 0; i < expected.Count; i++)
        {
            var (level, _, width) = expected[i];
            var contents = partialTiles[i];
            if (contents?.Length != width * MerkleTree.HashSize)
                throw new ArgumentException($"the partial tile of level {level} holds {width} hashes ({width * MerkleTree.HashSize} bytes)", nameof(partialTiles));
            for (var h = 0; h < width; h++) _levels[level].Add(contents[(h * MerkleTree.HashSize)..((h + 1) * MerkleTree.HashSize)]);
        }
        Size = size;
    }

    /// <summary>The number of leaves appended.</summary>
    public long Size { get; private set; }

    /// <summary>
    /// Appends the leaf with this hash and returns the full tiles it completes, lowest level
    /// first: none for 255 leaves in 256, one at level 0 for the 256th, more at 65,536 leaves.
    /// </summary>
    public IReadOnlyList<Tile> Append(byte[] leafHash)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        if (leafHash.Length != MerkleTree.HashSize) throw new ArgumentException("a leaf hash is 32 bytes", nameof(leafHash));

        Size = checked(Size + 1);
        List<Tile>? completed = null;
        var hash = (byte[])leafHash.Clone();
        for (var level = 0; ; level++)
        {
            if (level == _levels.Count) _levels.Add(new List<byte[]>(TileLayout.TileWidth));
            var tile = _levels[level];
            tile.Add(hash);
            if (tile.Count < TileLayout.TileWidth) break;

            // A full tile never changes again; its head is one hash of the level above.
            completed ??= [];
            completed.Add(new Tile(level, TileLayout.HashesAt(level, Size) / TileLayout.TileWidth - 1, Concat(tile)));
            hash = MerkleTree.SubtreeRoot(tile, 0, tile.Count);
            tile.Clear();
        }
        return (IReadOnlyList<Tile>?)completed ?? [];
    }

    /// <summary>The partial tiles of the current size, lowest level first (none when every level is full).</summary>
    public IReadOnlyList<Tile> PartialTiles()
    {
        var tiles = new List<Tile>();
        for (var level = 0; level < _levels.Count; level++)
        {
            if (_levels[level].Count == 0) continue;
            tiles.Add(new Tile(level, TileLayout.HashesAt(level, Size) / TileLayout.TileWidth, Concat(_levels[level])));
        }
        return tiles;
    }

    /// <summary>The tree head of the leaves appended so far (SHA-256 of "" when none).</summary>
    public byte[] Root()
    {
        // The right edge, largest subtree first: from the top level down, each partial tile
        // splits into whole groups of 128, 64, ... 1 hashes, one per set bit of its width.
        var edge = new List<byte[]>();
        for (var level = _levels.Count - 1; level >= 0; level--)
        {
            var hashes = _levels[level];
            var offset = 0;
            for (var group = TileLayout.TileWidth / 2; group > 0; group /= 2)
            {
                if ((hashes.Count & group) == 0) continue;
                edge.Add(MerkleTree.SubtreeRoot(hashes, offset, group));
                offset += group;
            }
        }
        return new MerkleTreeBuilder(Size, edge).Root();
    }

    private static byte[] Concat(List<byte[]> hashes)
    {
        var contents = new byte[hashes.Count * MerkleTree.HashSize];
        for (var i = 0; i < hashes.Count; i++) hashes[i].CopyTo(contents, i * MerkleTree.HashSize);
        return contents;
    }
}
