namespace Recorder.Crypto.Transparency;

/// <summary>
/// One tile of a tiled log (c2sp.org/tlog-tiles): <see cref="Width"/> consecutive
/// hashes at tile level <see cref="Level"/>, stored as the object <see cref="Path"/>.
/// At level 0 the hashes are leaf hashes; at level L they are the heads of the
/// full tiles of level L − 1 (each the root of 256^L leaves). Tiles are immutable
/// once written: a tree that grows gets new partial tiles at new paths.
/// </summary>
public sealed class Tile
{
    internal Tile(int level, long index, byte[] contents)
    {
        Level = level;
        Index = index;
        Contents = contents;
    }

    /// <summary>The tile level: 0 for leaf hashes, L for hashes of subtrees of 256^L leaves.</summary>
    public int Level { get; }

    /// <summary>The tile's index within its level.</summary>
    public long Index { get; }

    /// <summary>The number of hashes: 256 for a full tile, 1 to 255 for a partial one.</summary>
    public int Width => Contents.Length / MerkleTree.HashSize;

    /// <summary>Whether this is a partial tile (the rightmost one of its level, fewer than 256 hashes).</summary>
    public bool IsPartial => Width < TileLayout.TileWidth;

    /// <summary>The object's path below the log's prefix, e.g. <c>tile/0/x001/x234/067.p/12</c>.</summary>
    public string Path => TileLayout.TilePath(Level, Index, Width);

    /// <summary>The object's bytes: the hashes concatenated (32 bytes each). This tile's own copy.</summary>
    public byte[] Contents { get; }

    /// <summary>Hash <paramref name="i"/> of the tile.</summary>
    public ReadOnlySpan<byte> Hash(int i) => Contents.AsSpan(i * MerkleTree.HashSize, MerkleTree.HashSize);

    public override string ToString() => Path;
}
