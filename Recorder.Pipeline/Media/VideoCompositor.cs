using Recorder.Pipeline.Meetings;

namespace Recorder.Pipeline.Media;

/// <summary>
/// Composites the participants present into one canvas: gallery (a grid that
/// re-flows as people join and leave) or speaker (the active speaker large,
/// the others in a filmstrip); each tile keeps its picture's aspect ratio and
/// carries the participant's name. A participant without video gets a plain
/// tile with its name.
/// </summary>
public sealed class VideoCompositor(int width, int height, LayoutKind layout)
{
    private const int LabelScale = 2;
    private const int SpeakerBorder = VideoLayout.Gap / 2;
    private const int LabelPadding = 4;
    private readonly Painter _painter = new();
    private readonly List<Rect> _tiles = new(16);
    private static readonly YuvColor NoVideo = YuvColor.FromRgb(60, 60, 70);

    public int Width { get; } = width;
    public int Height { get; } = height;
    public LayoutKind Layout { get; } = layout;

    /// <summary>The tiles of the last composed frame, in roster order.</summary>
    public IReadOnlyList<Rect> Tiles => _tiles;

    public void Compose(IReadOnlyList<Participant> present, int activeSpeaker, TimeSpan at, I420Frame output)
    {
        if (output.Width != Width || output.Height != Height)
            throw new ArgumentException($"output must be {Width}x{Height}", nameof(output));

        Painter.Fill(output, new Rect(0, 0, Width, Height), YuvColor.Background);
        VideoLayout.Compute(Layout, present.Count, activeSpeaker, Width, Height, _tiles);
        for (var i = 0; i < present.Count; i++)
        {
            var tile = _tiles[i];
            var picture = present[i].ReadVideo(at);
            if (picture is null)
            {
                Painter.Fill(output, tile, NoVideo);
            }
            else
            {
                var fitted = tile.Fit(picture.Width, picture.Height);
                if (fitted != tile) Painter.Fill(output, tile, YuvColor.Black); // letterbox bars
                _painter.DrawScaled(output, fitted, picture);
            }
            if (i == activeSpeaker && Layout == LayoutKind.Gallery && present.Count > 1)
            {
                // In the gap around the tile, so it shows against the background whatever the picture's colour.
                Painter.Border(output, tile.Inset(-SpeakerBorder), SpeakerBorder, YuvColor.SpeakerBorder);
            }
            Label(output, tile, present[i].DisplayName);
        }
    }

    private static void Label(I420Frame output, Rect tile, string name)
    {
        var maxChars = Math.Max(0, (tile.Width - 4 * LabelPadding) / (BitmapFont.Advance * LabelScale));
        var text = name.AsSpan(0, Math.Min(name.Length, maxChars));
        if (text.IsEmpty) return;
        var textHeight = BitmapFont.GlyphHeight * LabelScale;
        var box = new Rect(tile.X + LabelPadding, tile.Bottom - LabelPadding - textHeight - 2 * LabelPadding,
            BitmapFont.MeasureWidth(text.Length, LabelScale) + 2 * LabelPadding, textHeight + 2 * LabelPadding);
        Painter.Fill(output, box, YuvColor.LabelBox);
        Painter.Text(output, box.X + LabelPadding, box.Y + LabelPadding, text, LabelScale, YuvColor.White);
    }
}
