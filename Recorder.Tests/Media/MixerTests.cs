using Recorder.Pipeline.Media;
using Recorder.Pipeline.Meetings;

namespace Recorder.Tests.Media;

public sealed class MixerTests
{
    private sealed class Constant(string id, short value) : Participant(id, id)
    {
        public override bool ReadAudio(TimeSpan at, Span<short> samples)
        {
            for (var i = 0; i < samples.Length; i++) samples[i] = (short)(i % 2 == 0 ? value : -value);
            return true;
        }

        public override I420Frame? ReadVideo(TimeSpan at) => null;
    }

    private sealed class Silent(string id) : Participant(id, id)
    {
        public override bool ReadAudio(TimeSpan at, Span<short> samples) => false;
        public override I420Frame? ReadVideo(TimeSpan at) => null;
    }

    [Fact]
    public void Sixteen_full_scale_participants_never_clip_and_the_gain_recovers_when_they_stop()
    {
        var mixer = new AudioMixer();
        var loud = Enumerable.Range(0, 16).Select(i => (Participant)new Constant($"p{i}", short.MaxValue)).ToList();
        var output = new short[AudioMixer.BlockSamples];
        var levels = new float[16];

        mixer.Mix(loud, TimeSpan.Zero, output, levels);
        Assert.All(output, s => Assert.InRange(Math.Abs((int)s), 0, (int)AudioMixer.Ceiling + 1));
        Assert.InRange(Math.Abs((int)output[0]), (int)AudioMixer.Ceiling - 1, (int)AudioMixer.Ceiling + 1);
        Assert.All(levels, l => Assert.Equal(1f, l, 0.001f));

        var quiet = new List<Participant> { new Constant("q", 1000) };
        for (var i = 0; i < 100; i++) mixer.Mix(quiet, TimeSpan.Zero, output, levels);
        Assert.Equal(1f, mixer.CurrentGain);
        Assert.Equal(1000, output[0]);
    }

    [Fact]
    public void A_participant_without_audio_is_silence_and_level_zero()
    {
        var mixer = new AudioMixer();
        var output = new short[AudioMixer.BlockSamples];
        var levels = new float[2];
        mixer.Mix([new Silent("s"), new Constant("c", 100)], TimeSpan.Zero, output, levels);
        Assert.Equal(0f, levels[0]);
        Assert.Equal(100, output[0]);
    }

    [Fact]
    public void Wrong_block_size_is_refused_naming_the_parameter()
    {
        var ex = Assert.Throws<ArgumentException>(() => new AudioMixer().Mix([], TimeSpan.Zero, new short[10], new float[1]));
        Assert.Equal("output", ex.ParamName);
    }

    [Fact]
    public void Active_speaker_changes_only_after_someone_is_clearly_louder_for_half_a_second()
    {
        var detector = new ActiveSpeakerDetector();
        string[] ids = ["a", "b"];
        for (var i = 0; i < 50; i++) detector.Update(ids, [0.3f, 0.1f]);
        Assert.Equal("a", detector.ActiveSpeakerId);

        // b slightly louder (less than 3 dB): no change.
        for (var i = 0; i < 100; i++) detector.Update(ids, [0.3f, 0.35f]);
        Assert.Equal("a", detector.ActiveSpeakerId);

        // b clearly louder: not at once (a cough is not a turn)…
        for (var i = 0; i < 10; i++) detector.Update(ids, [0.1f, 0.5f]);
        Assert.Equal("a", detector.ActiveSpeakerId);
        // …but after half a second.
        for (var i = 0; i < 30; i++) detector.Update(ids, [0.1f, 0.5f]);
        Assert.Equal("b", detector.ActiveSpeakerId);
    }
}
