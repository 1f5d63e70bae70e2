namespace Recorder.Pipeline.Media;

/// <summary>A rectangle in pixels; layouts keep X, Y, Width and Height even so chroma planes align.</summary>
public readonly record struct Rect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
    public bool IsEmpty => Width <= 0 || Height <= 0;

    /// <summary>Rounds down to even coordinates and sizes.</summary>
    public Rect Even() => new(X & ~1, Y & ~1, Width & ~1, Height & ~1);

    /// <summary>The largest rectangle of the given aspect ratio centred inside this one.</summary>
    public Rect Fit(int aspectWidth, int aspectHeight)
    {
        var w = Width;
        var h = (int)((long)w * aspectHeight / aspectWidth);
        if (h > Height)
        {
            h = Height;
            w = (int)((long)h * aspectWidth / aspectHeight);
        }
        return new Rect(X + (Width - w) / 2, Y + (Height - h) / 2, w, h).Even();
    }

    public Rect Inset(int pixels) => new Rect(X + pixels, Y + pixels, Width - 2 * pixels, Height - 2 * pixels).Even();
}
