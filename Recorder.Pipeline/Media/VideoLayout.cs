namespace Recorder.Pipeline.Media;

public enum LayoutKind
{
    Gallery,
    Speaker,
}

/// <summary>
/// Where each participant's tile goes on the canvas. Tiles keep a 16:9 aspect
/// ratio and even coordinates; the order of <c>tiles</c> is the roster order.
/// </summary>
public static class VideoLayout
{
    public const int Margin = 8;
    public const int Gap = 8;

    public static void Compute(LayoutKind kind, int count, int activeSpeaker, int canvasWidth, int canvasHeight, List<Rect> tiles)
    {
        tiles.Clear();
        if (count <= 0) return;
        var canvas = new Rect(Margin, Margin, canvasWidth - 2 * Margin, canvasHeight - 2 * Margin);
        if (kind == LayoutKind.Speaker && count > 1 && activeSpeaker >= 0 && activeSpeaker < count)
            Speaker(count, activeSpeaker, canvas, tiles);
        else
            Gallery(count, canvas, tiles);
    }

    /// <summary>A grid of ceil(√n) columns; a short last row is centred.</summary>
    private static void Gallery(int count, Rect canvas, List<Rect> tiles)
    {
        var columns = (int)Math.Ceiling(Math.Sqrt(count));
        var rows = (count + columns - 1) / columns;
        var cellWidth = (canvas.Width - (columns - 1) * Gap) / columns;
        var cellHeight = (canvas.Height - (rows - 1) * Gap) / rows;
        for (var i = 0; i < count; i++)
        {
            var row = i / columns;
            var inRow = Math.Min(columns, count - row * columns);
            var offset = (canvas.Width - (inRow * cellWidth + (inRow - 1) * Gap)) / 2;
            var col = i % columns;
            var cell = new Rect(canvas.X + offset + col * (cellWidth + Gap), canvas.Y + row * (cellHeight + Gap), cellWidth, cellHeight);
            tiles.Add(cell.Fit(16, 9));
        }
    }

    /// <summary>The active speaker large on top; everyone else in a filmstrip below.</summary>
    private static void Speaker(int count, int active, Rect canvas, List<Rect> tiles)
    {
        var stripHeight = canvas.Height / 5;
        var main = new Rect(canvas.X, canvas.Y, canvas.Width, canvas.Height - stripHeight - Gap).Fit(16, 9);
        var others = count - 1;
        var cellWidth = Math.Min((canvas.Width - (others - 1) * Gap) / others, stripHeight * 16 / 9);
        var stripWidth = others * cellWidth + (others - 1) * Gap;
        var x = canvas.X + (canvas.Width - stripWidth) / 2;
        var y = canvas.Bottom - stripHeight;
        for (var i = 0; i < count; i++)
        {
            if (i == active)
            {
                tiles.Add(main);
                continue;
            }
            tiles.Add(new Rect(x, y, cellWidth, stripHeight).Fit(16, 9));
            x += cellWidth + Gap;
        }
    }
}
