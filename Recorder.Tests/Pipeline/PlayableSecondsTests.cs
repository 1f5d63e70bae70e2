using Recorder.Pipeline.Output;

namespace Recorder.Tests.Pipeline;

/// <summary>
/// How many media seconds a truncated segment's plaintext prefix plays (<see cref="RecordingContinuation"/>): exact
/// where the cut falls inside the checkpoint's fragment index, estimated in whole fragments past its end.
/// </summary>
public sealed class PlayableSecondsTests
{
    // An init segment of 1,000 bytes, then fragments of 2 s and 10,000 bytes: fragment i starts at 2i s, byte 1,000 + 10,000 i.
    private static readonly double[][] Index = [[0, 1_000], [2, 11_000], [4, 21_000]];

    [Theory]
    [InlineData(10_999, 0)] // inside fragment 0: nothing whole
    [InlineData(11_000, 2)] // fragment 0 ends exactly at the cut
    [InlineData(11_001, 2)]
    [InlineData(15_000, 2)]
    [InlineData(20_999, 2)] // one byte short of fragment 1's end
    public void A_cut_inside_the_index_ends_where_the_cut_fragment_starts_exactly(long plaintext, double seconds)
    {
        Assert.Equal((seconds, false), RecordingContinuation.PlayableSeconds(Index, plaintext));
    }

    [Fact]
    public void A_cut_at_the_last_indexed_fragment_start_plays_up_to_it()
    {
        // The last indexed fragment starts at the cut: the ones before it are whole, and nothing of the index says more.
        var (seconds, estimated) = RecordingContinuation.PlayableSeconds(Index, 21_000);
        Assert.Equal(4, seconds);
        Assert.True(estimated);
    }

    [Theory]
    [InlineData(30_999, 4)] // the last indexed fragment is cut: it does not count
    [InlineData(50_000, 8)] // fragments at 4 s and 6 s are whole, the one at 8 s (41,000..51,000) is cut
    [InlineData(50_999, 8)]
    public void Past_the_index_the_end_is_estimated_in_whole_fragments(long plaintext, double seconds)
    {
        Assert.Equal((seconds, true), RecordingContinuation.PlayableSeconds(Index, plaintext));
    }

    [Fact]
    public void The_estimate_keeps_the_fragment_spacing_and_three_decimals()
    {
        // 29.97 fps: fragments every 2.002 s. 29,000 bytes past the last at 5,244.76 B/s is 5.53 s: two whole fragments.
        double[][] index = [[0, 1_000], [2.002, 11_000], [4.004, 21_000]];
        Assert.Equal((8.008, true), RecordingContinuation.PlayableSeconds(index, 50_000));
    }

    [Fact]
    public void The_estimate_never_exceeds_what_a_steady_stream_plays()
    {
        // With every fragment the same size, the true end is the start of the fragment the cut falls in.
        for (long plaintext = 21_000; plaintext <= 400_000; plaintext += 997)
        {
            var truth = Math.Floor((plaintext - 1_000) / 10_000.0) * 2;
            var (seconds, estimated) = RecordingContinuation.PlayableSeconds(Index, plaintext);
            Assert.True(estimated);
            Assert.True(seconds <= truth, $"{plaintext} bytes: estimated {seconds} s, but only {truth} s play");
            Assert.Equal(0, seconds % 2); // whole fragments from the last indexed one
        }
    }

    [Fact]
    public void Without_an_index_nothing_is_known_and_nothing_is_claimed()
    {
        Assert.Equal((0d, true), RecordingContinuation.PlayableSeconds([], 123_456));
        Assert.Equal((0d, true), RecordingContinuation.PlayableSeconds([], 0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(500)]
    [InlineData(999)]
    public void A_cut_before_the_first_fragment_plays_nothing_exactly(long plaintext)
    {
        Assert.Equal((0d, false), RecordingContinuation.PlayableSeconds(Index, plaintext));
    }
}
