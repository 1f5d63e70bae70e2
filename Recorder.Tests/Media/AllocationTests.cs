using Recorder.Pipeline.Media;
using Recorder.Pipeline.Meetings;
using Recorder.Pipeline.Meetings.Synthetic;

namespace Recorder.Tests.Media;

/// <summary>The live edge's work — roster snapshot, mixing, compositing — allocates nothing per frame once warm.</summary>
public sealed class AllocationTests
{
    [Theory]
    [InlineData(LayoutKind.Gallery)]
    [InlineData(LayoutKind.Speaker)]
    public void Mixing_and_compositing_allocate_nothing_in_steady_state(LayoutKind layout)
    {
        var source = new SyntheticMeetingSource(SyntheticMeetingOptions.Parse(new Uri("synthetic://?participants=4&seconds=3600&marker=2")));
        var compositor = new VideoCompositor(1280, 720, layout);
        var mixer = new AudioMixer();
        var detector = new ActiveSpeakerDetector();
        var frame = new I420Frame(1280, 720);
        var present = new List<Participant>(16);
        var ids = new List<string>(16);
        var pcm = new short[AudioMixer.BlockSamples];
        var levels = new float[16];

        void Tick(int i)
        {
            var at = TimeSpan.FromMilliseconds(20 * i);
            source.Snapshot(at, present);
            mixer.Mix(present, at, pcm, levels);
            ids.Clear();
            foreach (var p in present) ids.Add(p.Id);
            detector.Update(ids, levels);
            compositor.Compose(present, ActiveIndex(present, detector.ActiveSpeakerId), at, frame);
        }

        // A loop, not FindIndex(lambda): the test must not allocate a delegate per tick itself.
        static int ActiveIndex(List<Participant> present, string? id)
        {
            for (var i = 0; i < present.Count; i++)
                if (present[i].Id == id) return i;
            return -1;
        }

        for (var i = 0; i < 300; i++) Tick(i); // warm: scaling maps, speaker levels, JIT
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 300; i < 600; i++) Tick(i); // 6 s of media, markers and speaker changes included
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
