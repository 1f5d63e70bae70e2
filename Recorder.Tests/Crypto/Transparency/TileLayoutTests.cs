using Recorder.Crypto.Transparency;

namespace Recorder.Tests.Crypto.Transparency;

/// <summary>
/// Tiled-log layout against c2sp.org/tlog-tiles: paths, entry bundles, which tiles
/// a tree has (the spec's 70,000 and 256 examples) and what each holds (its
/// formula MTH(D[(n·256 + i)·256^l : (n·256 + i + 1)·256^l])), built at once or
/// one leaf at a time and resumed from partial tiles.
/// </summary>
public sealed class TileLayoutTests
{
    private static readonly Lazy<List<byte[]>> LeafHashes = new(() =>
        Enumerable.Range(0, 70_000).Select(i => MerkleTree.LeafHash(BitConverter.GetBytes(i))).ToList());

    [Theory]
    [InlineData(0, 1234067L, 256, "tile/0/x001/x234/067")]
    [InlineData(0, 1234067L, 12, "tile/0/x001/x234/067.p/12")]
    [InlineData(3, 0L, 256, "tile/3/000")]
    [InlineData(1, 999L, 1, "tile/1/999.p/1")]
    [InlineData(1, 1000L, 256, "tile/1/x001/000")]
    [InlineData(63, 1000000L, 255, "tile/63/x001/x000/000.p/255")]
    public void Tile_paths_follow_the_spec(int level, long index, int width, string expected) =>
        Assert.Equal(expected, TileLayout.TilePath(level, index, width));

    [Fact]
    public void Entry_bundle_paths_follow_the_spec()
    {
        Assert.Equal("tile/entries/x001/x234/067", TileLayout.EntryBundlePath(1234067));
        Assert.Equal("tile/entries/000.p/5", TileLayout.EntryBundlePath(0, 5));
        Assert.Equal("checkpoint", TileLayout.CheckpointPath);
    }

    [Fact]
    public void Paths_outside_the_spec_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TileLayout.TilePath(64, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TileLayout.TilePath(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TileLayout.TilePath(0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TileLayout.TilePath(0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TileLayout.EntryBundlePath(0, 257));
    }

    [Fact]
    public void A_tree_of_70000_has_the_tiles_the_spec_lists_holding_what_its_formula_says()
    {
        var leaves = LeafHashes.Value;
        var tiles = TileLayout.Tiles(leaves, 70_000);

        // 273 full level-0 tiles, one of width 112, one full level-1 tile, one of width 17, one level-2 tile of width 1.
        Assert.Equal(273, tiles.Count(t => t is { Level: 0, IsPartial: false }));
        Assert.Equal(["tile/0/273.p/112", "tile/1/000", "tile/1/001.p/17", "tile/2/000.p/1"],
            tiles.Where(t => t.Level > 0 || t.IsPartial).Select(t => t.Path).Order(StringComparer.Ordinal));
        Assert.All(tiles, t => Assert.Equal(t.Width * 32, t.Contents.Length));

        foreach (var tile in tiles.Where(t => t.Index is 0 or 1 or 272 or 273))
        {
            var span = 1 << (8 * tile.Level);
            for (var i = 0; i < tile.Width; i++)
            {
                var start = (int)(tile.Index * 256 + i) * span;
                Assert.Equal(MerkleTree.Root(leaves.GetRange(start, span)), tile.Hash(i).ToArray());
            }
        }
    }

    [Fact]
    public void A_tree_of_256_has_a_full_level_0_tile_and_a_level_1_tile_of_width_1()
    {
        Assert.Equal(["tile/0/000", "tile/1/000.p/1"], TileLayout.Tiles(LeafHashes.Value, 256).Select(t => t.Path));
        Assert.Empty(TileLayout.Tiles(LeafHashes.Value, 0));
        Assert.Equal([(1, 0L, 1)], TileLayout.PartialTiles(256));
        Assert.Equal([(0, 273L, 112), (1, 1L, 17), (2, 0L, 1)], TileLayout.PartialTiles(70_000));
    }

    [Fact]
    public void The_tiles_new_since_a_size_are_those_the_smaller_tree_did_not_have()
    {
        long[] sizes = [0, 1, 255, 256, 257, 512, 65_535, 65_536, 65_537, 65_792];
        var all = sizes.ToDictionary(s => s, s => TileLayout.Tiles(LeafHashes.Value, s).Select(t => t.Path).ToHashSet());
        foreach (var size in sizes)
        {
            foreach (var since in sizes.Where(s => s <= size))
            {
                var expected = all[size].Except(all[since]).Order(StringComparer.Ordinal);
                var actual = TileLayout.Tiles(LeafHashes.Value, size, since).Select(t => t.Path).Order(StringComparer.Ordinal);
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void The_tile_builder_root_is_the_tree_head_for_every_size_up_to_600_and_at_70000()
    {
        var leaves = LeafHashes.Value;
        var builder = new TileBuilder();
        Assert.Equal(MerkleTree.EmptyRoot(), builder.Root());
        for (var n = 1; n <= 600; n++)
        {
            builder.Append(leaves[n - 1]);
            Assert.Equal(MerkleTree.Root(leaves.GetRange(0, n)), builder.Root());
        }
        for (var n = 601; n <= 70_000; n++) builder.Append(leaves[n - 1]);
        Assert.Equal(MerkleTree.Root(leaves), builder.Root());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(256)]
    [InlineData(65_536)]
    [InlineData(65_700)]
    public void A_builder_resumed_from_its_partial_tiles_goes_on_as_the_original(int size)
    {
        var leaves = LeafHashes.Value;
        var original = new TileBuilder();
        foreach (var leaf in leaves.Take(size)) original.Append(leaf);

        var partialTiles = original.PartialTiles().Select(t => t.Contents).ToList();
        Assert.Throws<ArgumentException>(() => new TileBuilder(size + 1, partialTiles));
        var resumed = new TileBuilder(size, partialTiles);
        Assert.Equal(original.Root(), resumed.Root());
        for (var i = size; i < size + 300; i++)
        {
            Assert.Equal(original.Append(leaves[i]).Select(t => t.Path), resumed.Append(leaves[i]).Select(t => t.Path));
        }
        Assert.Equal(original.Root(), resumed.Root());
        Assert.Equal(original.PartialTiles().Select(t => Convert.ToHexString(t.Contents)), resumed.PartialTiles().Select(t => Convert.ToHexString(t.Contents)));
    }

    [Fact]
    public void Entry_bundles_round_trip()
    {
        byte[][] entries = [[], [0x42], new byte[TileLayout.MaxEntrySize], "{\"event\":\"started\"}"u8.ToArray()];
        var bundle = TileLayout.EncodeEntryBundle(entries);
        Assert.Equal(new byte[] { 0x00, 0x00, 0x00, 0x01, 0x42, 0xff, 0xff }, bundle[..7]);
        Assert.Equal(entries, TileLayout.DecodeEntryBundle(bundle));

        var full = Enumerable.Range(0, 256).Select(i => BitConverter.GetBytes(i)).ToList();
        Assert.Equal(full, TileLayout.DecodeEntryBundle(TileLayout.EncodeEntryBundle(full)));
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("00", "the length of entry 0 is cut short at byte 0")]
    [InlineData("000142" + "00", "the length of entry 1 is cut short at byte 3")]
    [InlineData("0003aabb", "entry 0 is 3 bytes but only 2 remain")]
    public void Malformed_entry_bundles_are_refused_saying_where(string hex, string expected) =>
        Assert.Equal("malformed entry bundle: " + expected,
            Assert.Throws<FormatException>(() => TileLayout.DecodeEntryBundle(Convert.FromHexString(hex))).Message);

    [Fact]
    public void Bundles_of_more_than_256_entries_or_too_large_entries_are_refused()
    {
        var many = Enumerable.Repeat(new byte[] { 0x00, 0x00 }, 257).SelectMany(b => b).ToArray();
        Assert.Equal("malformed entry bundle: more than 256 entries", Assert.Throws<FormatException>(() => TileLayout.DecodeEntryBundle(many)).Message);
        Assert.Throws<ArgumentException>(() => TileLayout.EncodeEntryBundle([new byte[TileLayout.MaxEntrySize + 1]]));
        Assert.Throws<ArgumentException>(() => TileLayout.EncodeEntryBundle([]));
        Assert.Throws<ArgumentException>(() => TileLayout.EncodeEntryBundle(Enumerable.Repeat(Array.Empty<byte>(), 257).ToList()));
    }
}
