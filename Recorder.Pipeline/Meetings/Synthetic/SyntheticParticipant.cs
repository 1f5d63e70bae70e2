using Recorder.Pipeline.Media;

namespace Recorder.Pipeline.Meetings.Synthetic;

/// <summary>
/// A simulated participant: a continuous tone of its own frequency (louder in
/// its speaking slot), a camera picture of its own colour with a moving square,
/// and at every marker a clap (a 30 ms noise burst) and a white flash at the
/// same instant. Everything is a pure function of time, so any recording of it
/// can be checked by decoding.
/// </summary>
public sealed class SyntheticParticipant : Participant
{
    public const int SampleRate = 48_000;
    public static readonly TimeSpan SpeakingSlot = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan ClapLength = TimeSpan.FromMilliseconds(30);
    public static readonly TimeSpan FlashLength = TimeSpan.FromMilliseconds(100);
    private const double QuietAmplitude = 0.10 * short.MaxValue;
    private const double SpeakingAmplitude = 0.25 * short.MaxValue;
    private const double ClapAmplitude = 0.45 * short.MaxValue;

    private static readonly (byte R, byte G, byte B)[] Palette =
    [
        (220, 40, 40), (40, 170, 60), (50, 90, 220), (230, 200, 40), (200, 50, 200), (40, 200, 210),
        (240, 130, 30), (120, 60, 180), (140, 90, 40), (250, 120, 160), (90, 140, 40), (30, 110, 120),
        (170, 170, 170), (110, 30, 30), (30, 50, 110), (200, 230, 120),
    ];

    private readonly SyntheticMeetingOptions _meeting;
    private readonly I420Frame _camera;
    private readonly YuvColor _background;
    private readonly YuvColor _square;
    private long _renderedTick = -1;

    public SyntheticParticipant(SyntheticMeetingOptions meeting, int index)
        : base($"synthetic-{index + 1}", meeting.Name(index))
    {
        _meeting = meeting;
        Index = index;
        ToneHz = SyntheticMeetingOptions.ToneHz(index);
        var (r, g, b) = Palette[index % Palette.Length];
        Color = (r, g, b);
        _background = YuvColor.FromRgb(r, g, b);
        _square = YuvColor.FromRgb((byte)((r + 255) / 2), (byte)((g + 255) / 2), (byte)((b + 255) / 2));
        _camera = new I420Frame(meeting.CameraWidth, meeting.CameraHeight);
    }

    public int Index { get; }
    public double ToneHz { get; }
    public (byte R, byte G, byte B) Color { get; }

    public override bool ReadAudio(TimeSpan at, Span<short> samples)
    {
        var first = at.Ticks * SampleRate / TimeSpan.TicksPerSecond;
        var amplitudeStart = Amplitude(at);
        var amplitudeEnd = Amplitude(at + TimeSpan.FromTicks(samples.Length * TimeSpan.TicksPerSecond / SampleRate));
        var step = 2 * Math.PI * ToneHz / SampleRate;
        for (var i = 0; i < samples.Length; i++)
        {
            var n = first + i;
            // Ramp between block edges so a change of speaking slot does not click.
            var amplitude = amplitudeStart + (amplitudeEnd - amplitudeStart) * i / samples.Length;
            var value = amplitude * Math.Sin(step * n);
            if (InClap(n)) value += ClapAmplitude * Noise(n);
            samples[i] = (short)Math.Clamp(value, short.MinValue, short.MaxValue);
        }
        return true;
    }

    public override I420Frame? ReadVideo(TimeSpan at)
    {
        // Render at most once per distinct time; the mixer may ask more than once.
        if (at.Ticks == _renderedTick) return _camera;
        _renderedTick = at.Ticks;
        var whole = new Rect(0, 0, _camera.Width, _camera.Height);
        if (InFlash(at))
        {
            Painter.Fill(_camera, whole, YuvColor.White);
            return _camera;
        }
        Painter.Fill(_camera, whole, _background);
        var size = (_camera.Height / 4) & ~1;
        var travel = _camera.Width - size;
        var speed = 120 + 40 * Index; // pixels per second, different for each participant
        var position = (int)(at.TotalSeconds * speed % (2 * travel));
        var x = position < travel ? position : 2 * travel - position;
        var y = (_camera.Height - size) * ((Index % 3) + 1) / 4;
        Painter.Fill(_camera, new Rect(x, y, size, size), _square);
        if (_meeting.Grain > 0) AddGrain(at);
        return _camera;
    }

    /// <summary>±<see cref="SyntheticMeetingOptions.Grain"/> on every luma sample, from a generator seeded by the frame time and participant.</summary>
    private void AddGrain(TimeSpan at)
    {
        var state = unchecked((ulong)at.Ticks * 0x9E3779B97F4A7C15UL ^ (ulong)(Index + 1) * 0xBF58476D1CE4E5B9UL) | 1;
        var span = 2 * _meeting.Grain + 1;
        var luma = _camera.Y;
        for (var i = 0; i < luma.Length; i++)
        {
            state ^= unchecked(state << 13);
            state ^= state >> 7;
            state ^= unchecked(state << 17);
            luma[i] = (byte)Math.Clamp(luma[i] + (int)(state % (ulong)span) - _meeting.Grain, 0, 255);
        }
    }

    /// <summary>Whether <paramref name="at"/> falls in this participant's louder speaking slot.</summary>
    public bool IsSpeaking(TimeSpan at) => (int)(at.Ticks / SpeakingSlot.Ticks % _meeting.Participants) == Index;

    private double Amplitude(TimeSpan at) => IsSpeaking(at) ? SpeakingAmplitude : QuietAmplitude;

    private bool InClap(long sample)
    {
        var interval = _meeting.MarkerInterval;
        if (interval <= TimeSpan.Zero) return false;
        var intervalSamples = interval.Ticks * SampleRate / TimeSpan.TicksPerSecond;
        var clapSamples = ClapLength.Ticks * SampleRate / TimeSpan.TicksPerSecond;
        return sample >= intervalSamples && sample % intervalSamples < clapSamples;
    }

    private bool InFlash(TimeSpan at)
    {
        var interval = _meeting.MarkerInterval;
        return interval > TimeSpan.Zero && at >= interval && at.Ticks % interval.Ticks < FlashLength.Ticks;
    }

    /// <summary>Deterministic white noise in [-1, 1] from the sample index (a 64-bit mix function).</summary>
    private static double Noise(long n)
    {
        unchecked
        {
            var x = (ulong)n * 0x9E3779B97F4A7C15UL;
            x ^= x >> 31;
            x *= 0xBF58476D1CE4E5B9UL;
            x ^= x >> 29;
            return (x >> 11) / (double)(1UL << 53) * 2 - 1;
        }
    }
}
