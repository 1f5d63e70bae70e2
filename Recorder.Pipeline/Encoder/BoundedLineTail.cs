namespace Recorder.Pipeline.Encoder;

/// <summary>Keeps the last N lines of a text stream (ffmpeg's stderr), thread-safe.</summary>
public sealed class BoundedLineTail(int maxLines)
{
    private const int MaxLineLength = 500;
    private readonly Queue<string> _lines = new(maxLines);
    private readonly Lock _gate = new();

    public void Add(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        if (line.Length > MaxLineLength) line = line[..MaxLineLength] + "…";
        lock (_gate)
        {
            if (_lines.Count == maxLines) _lines.Dequeue();
            _lines.Enqueue(line);
        }
    }

    public override string ToString()
    {
        lock (_gate) return string.Join('\n', _lines);
    }
}
