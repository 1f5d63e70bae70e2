namespace Recorder.Pipeline.Media;

/// <summary>
/// A participant's decoded audio placed on the recording clock: a fixed ring
/// of 48 kHz mono samples indexed by absolute sample position, each sample
/// stamped with the lap of the ring it was written in, so a read can tell
/// fresh audio from stale or missing (silence). One writer (the network
/// side) and one reader (the recording clock) need no lock: a read racing a
/// write of the same samples gets old or new samples, never an exception.
/// </summary>
public sealed class AudioRing
{
    private readonly short[] _samples;
    private readonly int[] _laps;
    private readonly int _shift;

    /// <param name="capacitySamples">A power of two: 131,072 holds 2.7 s at 48 kHz.</param>
    public AudioRing(int capacitySamples = 1 << 17)
    {
        if (capacitySamples < 1024 || (capacitySamples & (capacitySamples - 1)) != 0)
            throw new ArgumentException("capacity must be a power of two of at least 1024", nameof(capacitySamples));
        _samples = new short[capacitySamples];
        _laps = new int[capacitySamples];
        _shift = System.Numerics.BitOperations.Log2((uint)capacitySamples);
    }

    public int Capacity => _samples.Length;

    /// <summary>Writes samples starting at absolute position <paramref name="position"/>; parts before 0 are dropped.</summary>
    public void Write(long position, ReadOnlySpan<short> samples)
    {
        var mask = _samples.Length - 1;
        for (var i = 0; i < samples.Length; i++)
        {
            var at = position + i;
            if (at < 0) continue;
            var slot = (int)(at & mask);
            _samples[slot] = samples[i];
            Volatile.Write(ref _laps[slot], Lap(at));
        }
    }

    /// <summary>Fills <paramref name="output"/> from absolute position <paramref name="position"/>; missing samples are 0. False when none was there.</summary>
    public bool Read(long position, Span<short> output)
    {
        var mask = _samples.Length - 1;
        var any = false;
        for (var i = 0; i < output.Length; i++)
        {
            var at = position + i;
            var slot = (int)(at & mask);
            if (at >= 0 && Volatile.Read(ref _laps[slot]) == Lap(at))
            {
                output[i] = _samples[slot];
                any = true;
            }
            else
            {
                output[i] = 0;
            }
        }
        return any;
    }

    /// <summary>Forgets everything written (a participant that left and came back starts silent).</summary>
    public void Clear() => Array.Clear(_laps);

    // Lap 0 means "never written", so laps count from 1.
    private int Lap(long at) => checked((int)(at >> _shift) + 1);
}
