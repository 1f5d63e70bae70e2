using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Recorder.Pipeline.Media;

/// <summary>
/// Span-based drawing on I420 frames: fills, nearest-neighbour scaled copies,
/// borders and text. Rectangles are clipped to the frame and made even.
/// Scaling index maps are cached per (source, target) size, so steady-state
/// compositing allocates nothing.
/// </summary>
public sealed class Painter
{
    private readonly Dictionary<(int From, int To), ScaleMap> _indexMaps = new();

    public static void Fill(I420Frame frame, Rect rect, YuvColor color)
    {
        rect = Clip(frame, rect);
        if (rect.IsEmpty) return;
        FillPlane(frame.Y, frame.Width, rect, color.Y);
        var chroma = new Rect(rect.X / 2, rect.Y / 2, rect.Width / 2, rect.Height / 2);
        FillPlane(frame.U, frame.ChromaWidth, chroma, color.U);
        FillPlane(frame.V, frame.ChromaWidth, chroma, color.V);
    }

    /// <summary>Draws a border of <paramref name="thickness"/> pixels inside <paramref name="rect"/>.</summary>
    public static void Border(I420Frame frame, Rect rect, int thickness, YuvColor color)
    {
        Fill(frame, rect with { Height = thickness }, color);
        Fill(frame, rect with { Y = rect.Bottom - thickness, Height = thickness }, color);
        Fill(frame, rect with { Width = thickness }, color);
        Fill(frame, rect with { X = rect.Right - thickness, Width = thickness }, color);
    }

    /// <summary>Copies <paramref name="source"/> scaled (nearest neighbour) into <paramref name="target"/> of <paramref name="frame"/>.</summary>
    public void DrawScaled(I420Frame frame, Rect target, I420Frame source)
    {
        target = target.Even();
        var clipped = Clip(frame, target);
        if (clipped.IsEmpty || clipped != target) return; // layouts never place tiles outside the canvas
        ScalePlane(source.Y, source.Width, source.Height, frame.Y, frame.Width, target);
        var chromaTarget = new Rect(target.X / 2, target.Y / 2, target.Width / 2, target.Height / 2);
        ScalePlane(source.U, source.ChromaWidth, source.ChromaHeight, frame.U, frame.ChromaWidth, chromaTarget);
        ScalePlane(source.V, source.ChromaWidth, source.ChromaHeight, frame.V, frame.ChromaWidth, chromaTarget);
    }

    /// <summary>Draws <paramref name="text"/> with its top-left corner at (x, y), each font pixel <paramref name="scale"/>² frame pixels.</summary>
    public static void Text(I420Frame frame, int x, int y, ReadOnlySpan<char> text, int scale, YuvColor color)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var glyph = BitmapFont.Glyph(text[i]);
            var gx = x + i * BitmapFont.Advance * scale;
            for (var row = 0; row < BitmapFont.GlyphHeight; row++)
            {
                var bits = glyph[row];
                for (var col = 0; col < BitmapFont.GlyphWidth; col++)
                {
                    if ((bits & (0x10 >> col)) == 0) continue;
                    Fill(frame, new Rect(gx + col * scale, y + row * scale, scale, scale), color);
                }
            }
        }
    }

    private static Rect Clip(I420Frame frame, Rect rect)
    {
        var x0 = Math.Max(0, rect.X);
        var y0 = Math.Max(0, rect.Y);
        var x1 = Math.Min(frame.Width, rect.Right);
        var y1 = Math.Min(frame.Height, rect.Bottom);
        return new Rect(x0, y0, x1 - x0, y1 - y0).Even();
    }

    private static void FillPlane(Span<byte> plane, int stride, Rect rect, byte value)
    {
        for (var row = rect.Y; row < rect.Bottom; row++)
            plane.Slice(row * stride + rect.X, rect.Width).Fill(value);
    }

    private void ScalePlane(ReadOnlySpan<byte> src, int srcWidth, int srcHeight, Span<byte> dst, int dstStride, Rect target)
    {
        var xMap = IndexMap(srcWidth, target.Width);
        var yMap = IndexMap(srcHeight, target.Height);
        for (var row = 0; row < target.Height; row++)
        {
            var srcRow = src.Slice(yMap.Indices[row] * srcWidth, srcWidth);
            var dstRow = dst.Slice((target.Y + row) * dstStride + target.X, target.Width);
            if (xMap.Runs is { } runs)
            {
                // Near 1:1 scales: the map is long runs of consecutive pixels; copy them whole.
                foreach (var (dstStart, srcStart, length) in runs) srcRow.Slice(srcStart, length).CopyTo(dstRow.Slice(dstStart, length));
            }
            else
            {
                GatherRow(srcRow, dstRow, xMap.Indices);
            }
        }
    }

    /// <summary>
    /// dst[i] = src[map[i]] without bounds checks: the hot loop of compositing.
    /// Safe because every map entry is below the source width (see IndexMap)
    /// and the map is as long as the destination row.
    /// </summary>
    private static void GatherRow(ReadOnlySpan<byte> src, Span<byte> dst, int[] map)
    {
        if (map.Length < dst.Length) throw new ArgumentException("index map shorter than the row", nameof(map));
        ref var s = ref MemoryMarshal.GetReference(src);
        ref var d = ref MemoryMarshal.GetReference(dst);
        ref var m = ref MemoryMarshal.GetArrayDataReference(map);
        for (var i = 0; i < dst.Length; i++)
            Unsafe.Add(ref d, i) = Unsafe.Add(ref s, Unsafe.Add(ref m, i));
    }

    private ScaleMap IndexMap(int from, int to)
    {
        if (_indexMaps.TryGetValue((from, to), out var map)) return map;
        var indices = new int[to];
        // Sample at the centre of each target pixel.
        for (var i = 0; i < to; i++) indices[i] = (int)Math.Min(from - 1, (2L * i + 1) * from / (2L * to));
        var runs = new List<(int, int, int)>();
        for (var i = 0; i < to;)
        {
            var start = i;
            while (i + 1 < to && indices[i + 1] == indices[i] + 1) i++;
            i++;
            runs.Add((start, indices[start], i - start));
        }
        // Copying runs pays off when they are long; short ones are cheaper gathered.
        map = new ScaleMap(indices, runs.Count * 8 <= to ? runs.ToArray() : null);
        _indexMaps[(from, to)] = map;
        return map;
    }

    private sealed record ScaleMap(int[] Indices, (int DstStart, int SrcStart, int Length)[]? Runs);
}
