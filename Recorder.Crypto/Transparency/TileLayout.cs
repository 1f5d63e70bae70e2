using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Recorder.Crypto.Transparency;

/// <summary>
/// The static layout of a tiled log (c2sp.org/tlog-tiles): the paths of the
/// checkpoint, the hash tiles and the entry bundles below the log's prefix, the
/// encoding of entry bundles, and which tiles a tree of a given size has.
/// Tiles have height 8: a full tile holds 256 hashes (8,192 bytes).
/// </summary>
public static class TileLayout
{
    /// <summary>The checkpoint's path below the prefix (mutable; everything else is immutable).</summary>
    public const string CheckpointPath = "checkpoint";

    /// <summary>Levels of the Merkle tree a tile spans.</summary>
    public const int TileHeight = 8;

    /// <summary>Hashes in a full tile, entries in a full bundle.</summary>
    public const int TileWidth = 1 << TileHeight;

    /// <summary>The largest entry an entry bundle can hold (a 2-byte big-endian length).</summary>
    public const int MaxEntrySize = ushort.MaxValue;

    private const int MaxLevel = 63;

    /// <summary>
    /// <c>tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c>: the path of tile <paramref name="index"/> of level
    /// <paramref name="level"/>, partial when <paramref name="width"/> is below 256.
    /// </summary>
    public static string TilePath(int level, long index, int width = TileWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);
        return "tile/" + level.ToString(CultureInfo.InvariantCulture) + "/" + IndexPath(index, width);
    }

    /// <summary><c>tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c>: the path of entry bundle <paramref name="index"/>.</summary>
    public static string EntryBundlePath(long index, int width = TileWidth) => "tile/entries/" + IndexPath(index, width);

    /// <summary>
    /// The number of hashes in the partial tile of <paramref name="level"/> for a tree of
    /// <paramref name="treeSize"/> leaves, floor(size / 256^level) mod 256; 0 when it has none.
    /// </summary>
    public static int PartialWidth(int level, long treeSize) => (int)(HashesAt(level, treeSize) % TileWidth);

    /// <summary>
    /// The partial tiles of a tree of <paramref name="treeSize"/> leaves as (level, index, width),
    /// lowest level first: the objects a writer reads back to resume (see <see cref="TileBuilder"/>).
    /// </summary>
    public static IReadOnlyList<(int Level, long Index, int Width)> PartialTiles(long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        var tiles = new List<(int, long, int)>();
        for (var level = 0; HashesAt(level, treeSize) > 0; level++)
        {
            var width = PartialWidth(level, treeSize);
            if (width > 0) tiles.Add((level, HashesAt(level, treeSize) / TileWidth, width));
        }
        return tiles;
    }

    /// <summary>
    /// The tiles, full and partial, of the tree of the first <paramref name="treeSize"/> leaf
    /// hashes that did not exist at <paramref name="sinceSize"/> (all of them for 0): what a
    /// writer uploads after growing the tree from one checkpoint to the next. Reads every leaf
    /// hash; a writer that keeps no leaves uses <see cref="TileBuilder"/>.
    /// </summary>
    public static IReadOnlyList<Tile> Tiles(IReadOnlyList<byte[]> leafHashes, long treeSize, long sinceSize = 0)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(treeSize, leafHashes.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(sinceSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sinceSize, treeSize);

        var builder = new TileBuilder();
        var tiles = new List<Tile>();
        for (var i = 0; i < treeSize; i++) tiles.AddRange(builder.Append(leafHashes[i]).Where(t => !Exists(t, sinceSize)));
        tiles.AddRange(builder.PartialTiles().Where(t => !Exists(t, sinceSize)));
        return tiles;
    }

    /// <summary>Entries, each prefixed by its length as a big-endian uint16: one entry bundle (1 to 256 entries).</summary>
    public static byte[] EncodeEntryBundle(IReadOnlyList<byte[]> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count is 0 or > TileWidth)
            throw new ArgumentException($"an entry bundle holds 1 to {TileWidth} entries, not {entries.Count}", nameof(entries));
        var size = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(entries[i], nameof(entries));
            if (entries[i].Length > MaxEntrySize)
                throw new ArgumentException($"entry {i} is {entries[i].Length} bytes; a bundle entry is at most {MaxEntrySize}", nameof(entries));
            size += 2 + entries[i].Length;
        }

        var bundle = new byte[size];
        var offset = 0;
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bundle.AsSpan(offset), (ushort)entry.Length);
            entry.CopyTo(bundle, offset + 2);
            offset += 2 + entry.Length;
        }
        return bundle;
    }

    /// <summary>The entries of an entry bundle. Throws <see cref="FormatException"/> where it is cut short or too long.</summary>
    public static IReadOnlyList<byte[]> DecodeEntryBundle(ReadOnlySpan<byte> bundle)
    {
        if (bundle.IsEmpty) throw new FormatException("malformed entry bundle: it is empty");
        var entries = new List<byte[]>();
        var offset = 0;
        while (offset < bundle.Length)
        {
            if (entries.Count == TileWidth) throw new FormatException($"malformed entry bundle: more than {TileWidth} entries");
            if (bundle.Length - offset < 2)
                throw new FormatException($"malformed entry bundle: the length of entry {entries.Count} is cut short at byte {offset}");
            var length = BinaryPrimitives.ReadUInt16BigEndian(bundle[offset..]);
            offset += 2;
            if (bundle.Length - offset < length)
                throw new FormatException($"malformed entry bundle: entry {entries.Count} is {length} bytes but only {bundle.Length - offset} remain");
            entries.Add(bundle.Slice(offset, length).ToArray());
            offset += length;
        }
        return entries;
    }

    /// <summary>How many hashes level <paramref name="level"/> has: the whole subtrees of 256^level leaves.</summary>
    internal static long HashesAt(int level, long treeSize) => level * TileHeight >= 64 ? 0 : treeSize >> (level * TileHeight);

    /// <summary>Whether <paramref name="tile"/> (same level, index and width) is a tile of the tree of <paramref name="treeSize"/> leaves.</summary>
    private static bool Exists(Tile tile, long treeSize)
    {
        var hashes = HashesAt(tile.Level, treeSize);
        return tile.IsPartial
            ? hashes / TileWidth == tile.Index && hashes % TileWidth == tile.Width
            : hashes / TileWidth > tile.Index;
    }

    private static string IndexPath(long index, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, TileWidth);

        // Three-digit groups, all but the last prefixed with "x": 1234067 is x001/x234/067.
        var path = new StringBuilder((index % 1000).ToString("D3", CultureInfo.InvariantCulture));
        for (var rest = index / 1000; rest > 0; rest /= 1000)
            path.Insert(0, "x" + (rest % 1000).ToString("D3", CultureInfo.InvariantCulture) + "/");
        if (width < TileWidth) path.Append(".p/").Append(width.ToString(CultureInfo.InvariantCulture));
        return path.ToString();
    }
}
