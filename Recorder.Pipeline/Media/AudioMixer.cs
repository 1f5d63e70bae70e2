using Recorder.Pipeline.Meetings;

namespace Recorder.Pipeline.Media;

/// <summary>
/// Mixes participants' 48 kHz mono audio into one block at a time, through a
/// limiter so the sum never clips: the gain drops at once when a block would
/// exceed the ceiling (applied to the whole block, so no sample is over) and
/// recovers slowly. Buffers are allocated once per block size.
/// </summary>
public sealed class AudioMixer
{
    public const int SampleRate = 48_000;
    /// <summary>20 ms: the block the recording clock mixes.</summary>
    public const int BlockSamples = 960;

    /// <summary>−1 dBFS.</summary>
    public const float Ceiling = 0.891f * short.MaxValue;

    private const float ReleasePerBlock = 0.02f;
    private readonly float[] _sum = new float[BlockSamples];
    private readonly short[] _scratch = new short[BlockSamples];
    private float _gain = 1f;

    public float CurrentGain => _gain;

    /// <summary>
    /// Mixes the audio of <paramref name="present"/> at <paramref name="at"/> into
    /// <paramref name="output"/> (one block), and writes each participant's RMS
    /// level (0..1 of full scale, before the limiter) into <paramref name="levels"/>.
    /// </summary>
    public void Mix(IReadOnlyList<Participant> present, TimeSpan at, Span<short> output, Span<float> levels)
    {
        if (output.Length != BlockSamples) throw new ArgumentException($"output must be {BlockSamples} samples", nameof(output));
        if (levels.Length < present.Count) throw new ArgumentException("levels must have room for every participant", nameof(levels));

        var sum = _sum.AsSpan();
        sum.Clear();
        for (var p = 0; p < present.Count; p++)
        {
            levels[p] = 0;
            if (!present[p].ReadAudio(at, _scratch)) continue;
            double energy = 0;
            for (var i = 0; i < BlockSamples; i++)
            {
                float s = _scratch[i];
                sum[i] += s;
                energy += s * s;
            }
            levels[p] = (float)(Math.Sqrt(energy / BlockSamples) / short.MaxValue);
        }

        var peak = 0f;
        foreach (var s in sum) peak = Math.Max(peak, Math.Abs(s));
        var target = peak * _gain > Ceiling ? Ceiling / peak : 1f;
        _gain = target < _gain ? target : Math.Min(target, _gain + ReleasePerBlock);

        for (var i = 0; i < BlockSamples; i++)
            output[i] = (short)Math.Clamp(sum[i] * _gain, short.MinValue, short.MaxValue);
    }
}
