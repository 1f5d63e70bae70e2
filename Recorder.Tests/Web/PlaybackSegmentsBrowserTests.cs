using System.Globalization;
using System.Text.Json;
using Recorder.Pipeline.Media;
using Recorder.Service.Web;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Web;

/// <summary>
/// A recording of several segments (the service set to start a new one every 20 s: each its own age file and file
/// key) plays in the page as one: playback runs on across a segment boundary with frames decoded and the participants'
/// colours on both sides of it, a seek into the last segment (past what is buffered) fetches from the fragment that
/// holds the target in that segment, and the video plays to its end.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlaybackSegmentsBrowserTests(CephFixture ceph, HeadlessChromium chromium, ITestOutputHelper log) : IClassFixture<HeadlessChromium>, IAsyncLifetime
{
    private const string Video = "document.getElementById('player')";
    private const int SegmentSeconds = 20;
    private const int MeetingSeconds = 100;
    private PlaybackSetup _setup = null!;

    public async Task InitializeAsync() => _setup = await PlaybackSetup.StartAsync(ceph, "playsegs", log,
        new Dictionary<string, string?> { ["RECORDER_SEGMENT_SECONDS"] = SegmentSeconds.ToString(CultureInfo.InvariantCulture) }, MeetingSeconds);

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task A_recording_of_five_segments_plays_across_their_boundaries_seeks_into_the_last_and_plays_to_its_end()
    {
        var segments = await SegmentsAsync();
        log.WriteLine(string.Join("; ", segments.Select(s => $"segment {s.Number}: {s.Start:0.###} s + {s.Duration:0.###} s, {s.Fragments.Length} fragments")));
        Assert.Equal([1, 2, 3, 4, 5], segments.Select(s => s.Number));
        var second = segments[1].Start;
        var last = segments[^1];
        var end = last.Start + last.Duration;
        Assert.InRange(end, MeetingSeconds - 0.5, MeetingSeconds + 0.5);
        // Past what the player can have buffered when the seek is made (at about 22 s: 30 s ahead, plus at most the rest of
        // the segment being fetched): fetched from the last segment.
        var target = last.Start + 3;
        var fragmentStart = last.Start + last.Fragments.Last(t => t <= target - last.Start);
        var tiles = new List<Rect>();
        VideoLayout.Compute(LayoutKind.Gallery, PlaybackSetup.Participants, 0, PlaybackSetup.Width, PlaybackSetup.Height, tiles);
        var t = (double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

        var visit = await chromium.OpenAsync(new Uri(_setup.Service.Url + PlaybackPage.Path), new PageProbe
        {
            Steps =
            [
                .. _setup.SignInAndPlay(_setup.IdentityFile),
                PageStep.WaitFor($"{Video}.currentTime > 1 && {Video}.getVideoPlaybackQuality().totalVideoFrames > 0", TimeSpan.FromSeconds(60)),
                PageStep.Evaluate("before", $"(() => {{ const v = {Video}; v.playbackRate = 4; return v.getVideoPlaybackQuality().totalVideoFrames; }})()"),
                PageStep.WaitFor($"{Video}.currentTime > {t(second + 2)}", TimeSpan.FromSeconds(60)),
                PageStep.Evaluate("crossed", $"({{ time: {Video}.currentTime, frames: {Video}.getVideoPlaybackQuality().totalVideoFrames, " +
                    $"dropped: {Video}.getVideoPlaybackQuality().droppedVideoFrames }})"),
                PageStep.Evaluate("tiles", PlaybackBrowserTests.TileColours(tiles)),
                PageStep.Evaluate("seek", $"{Video}.currentTime = {t(target)}"),
                PageStep.WaitFor($"!{Video}.seeking && {Video}.readyState >= 3 && {Video}.currentTime >= {t(target)}", TimeSpan.FromSeconds(60)),
                PageStep.Evaluate("seeked", $"({{ time: {Video}.currentTime, loadedFrom: Number({Video}.dataset.loadedFrom) }})"),
                PageStep.WaitFor($"{Video}.ended", TimeSpan.FromSeconds(60)),
                PageStep.Evaluate("ended", $"({{ time: {Video}.currentTime, frames: {Video}.getVideoPlaybackQuality().totalVideoFrames }})"),
            ],
            Evaluate = ["document.getElementById('error').hidden"],
            Text = ["#state"],
        });

        log.WriteLine($"crossed: {visit.Evaluated["crossed"]}; tiles: {visit.Evaluated["tiles"]}; seeked: {visit.Evaluated["seeked"]}; " +
            $"ended: {visit.Evaluated["ended"]}; state: {visit.Text["#state"]}");
        Assert.Empty(visit.PageErrors);
        Assert.DoesNotContain(visit.Console, c => c.Type == "error");
        Assert.True(visit.Evaluated["document.getElementById('error').hidden"].GetBoolean());

        // Across the first boundary: frames went on being decoded, and the picture is the meeting's.
        var crossed = visit.Evaluated["crossed"];
        Assert.True(crossed.GetProperty("frames").GetInt32() > visit.Evaluated["before"].GetInt32() + 20, $"few frames decoded across the boundary: {crossed}");
        PlaybackBrowserTests.AssertTileColours(visit.Evaluated["tiles"], " in segment 2");

        // The seek fetched the last segment from the fragment that holds the target, and landed there.
        var seeked = visit.Evaluated["seeked"];
        Assert.Equal(fragmentStart, seeked.GetProperty("loadedFrom").GetDouble(), 3);
        Assert.InRange(seeked.GetProperty("time").GetDouble(), target, target + 4);

        // Played to the end of the recording.
        Assert.InRange(visit.Evaluated["ended"].GetProperty("time").GetDouble(), end - 0.5, end + 0.5);
        foreach (var number in segments.Select(s => s.Number))
            Assert.Contains(visit.Requests, r => r.Url.EndsWith($"/segments/{number}", StringComparison.Ordinal) && r.Headers!.ContainsKey("range"));
    }

    private sealed record Segment(int Number, double Start, double Duration, double[] Fragments);

    private async Task<List<Segment>> SegmentsAsync()
    {
        using var client = _setup.Service.Client(_setup.Token);
        using var manifest = JsonDocument.Parse(await client.GetStringAsync($"/recordings/{_setup.RecordingId}/manifest"));
        return [.. manifest.RootElement.GetProperty("segments").EnumerateArray().Select(s => new Segment(
            s.GetProperty("number").GetInt32(), s.GetProperty("mediaStartSeconds").GetDouble(), s.GetProperty("durationSeconds").GetDouble(),
            [.. s.GetProperty("fragments").EnumerateArray().Select(f => f[0].GetDouble())]))];
    }
}
