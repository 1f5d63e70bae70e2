using Recorder.Pipeline.Media;

namespace Recorder.Tests.Media;

public sealed class LayoutTests
{
    [Theory]
    [InlineData(LayoutKind.Gallery, 1280, 720)]
    [InlineData(LayoutKind.Speaker, 1280, 720)]
    [InlineData(LayoutKind.Gallery, 640, 360)]
    [InlineData(LayoutKind.Speaker, 1920, 1080)]
    public void Tiles_are_even_inside_the_canvas_and_never_overlap(LayoutKind kind, int width, int height)
    {
        var tiles = new List<Rect>();
        for (var n = 1; n <= 16; n++)
        {
            VideoLayout.Compute(kind, n, n - 1, width, height, tiles);
            Assert.Equal(n, tiles.Count);
            foreach (var t in tiles)
            {
                Assert.True(t.X >= 0 && t.Y >= 0 && t.Right <= width && t.Bottom <= height, $"n={n}: {t} outside {width}x{height}");
                Assert.True(t.X % 2 == 0 && t.Y % 2 == 0 && t.Width % 2 == 0 && t.Height % 2 == 0, $"n={n}: {t} not even");
                Assert.True(t.Width > 0 && t.Height > 0);
            }
            for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                var (a, b) = (tiles[i], tiles[j]);
                Assert.False(a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom, $"n={n}: {a} overlaps {b}");
            }
        }
    }

    [Fact]
    public void Gallery_of_four_is_a_two_by_two_grid_of_equal_tiles()
    {
        var tiles = new List<Rect>();
        VideoLayout.Compute(LayoutKind.Gallery, 4, -1, 1280, 720, tiles);
        Assert.Equal(2, tiles.Select(t => t.X).Distinct().Count());
        Assert.Equal(2, tiles.Select(t => t.Y).Distinct().Count());
        Assert.Single(tiles.Select(t => (t.Width, t.Height)).Distinct());
    }

    [Fact]
    public void Speaker_layout_gives_the_active_speaker_the_largest_tile()
    {
        var tiles = new List<Rect>();
        VideoLayout.Compute(LayoutKind.Speaker, 5, 3, 1280, 720, tiles);
        Assert.Equal(3, tiles.IndexOf(tiles.MaxBy(t => t.Width * t.Height)));
        Assert.True(tiles[3].Width > 3 * tiles[0].Width);
    }

    [Fact]
    public void Painter_scales_a_source_into_a_tile_exactly_at_the_edges()
    {
        var source = new I420Frame(4, 2);
        source.Y[0] = 10; source.Y[1] = 20; source.Y[2] = 30; source.Y[3] = 40;
        source.Y[4] = 50; source.Y[5] = 60; source.Y[6] = 70; source.Y[7] = 80;
        var target = new I420Frame(8, 4);
        new Painter().DrawScaled(target, new Rect(0, 0, 8, 4), source);
        Assert.Equal([10, 10, 20, 20, 30, 30, 40, 40], target.Y[..8].ToArray());
        Assert.Equal([50, 50, 60, 60, 70, 70, 80, 80], target.Y[24..32].ToArray());
    }

    [Theory]
    [InlineData(640, 360, 618, 348)]   // near 1:1: copied as runs
    [InlineData(1280, 720, 618, 348)]  // 2:1 down: gathered
    [InlineData(320, 180, 618, 348)]   // up
    [InlineData(640, 480, 462, 348)]
    public void Scaled_copy_equals_the_nearest_neighbour_reference(int sw, int sh, int tw, int th)
    {
        var source = new I420Frame(sw, sh);
        new Random(42).NextBytes(source.Buffer);
        var target = new I420Frame(640, 360);
        var rect = new Rect(10, 6, tw, th);
        new Painter().DrawScaled(target, rect, source);

        static int Map(int i, int from, int to) => (int)Math.Min(from - 1, (2L * i + 1) * from / (2L * to));
        for (var y = 0; y < th; y++)
        for (var x = 0; x < tw; x++)
            Assert.Equal(source.Y[Map(y, sh, th) * sw + Map(x, sw, tw)], target.Y[(rect.Y + y) * 640 + rect.X + x]);
        for (var y = 0; y < th / 2; y++)
        for (var x = 0; x < tw / 2; x++)
            Assert.Equal(source.V[Map(y, sh / 2, th / 2) * (sw / 2) + Map(x, sw / 2, tw / 2)], target.V[(rect.Y / 2 + y) * 320 + rect.X / 2 + x]);
    }
}
