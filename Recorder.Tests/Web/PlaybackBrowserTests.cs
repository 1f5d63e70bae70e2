using System.Globalization;
using System.Text;
using System.Text.Json;
using Recorder.Crypto.Primitives;
using Recorder.Pipeline.Media;
using Recorder.Pipeline.Meetings.Synthetic;
using Recorder.Service.Web;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Web;

/// <summary>
/// The playback page (/play/) in Debian's headless Chromium under its own Content-Security-Policy, against the real
/// service and a recording the recorder made: the host signs in, picks the identity file, plays; the decrypted
/// video plays (time advances, frames decoded, the participants' colours in their tiles), audio is decoded, a seek
/// to 10 s lands in the fragment that holds it and frames go on being decoded, a seek
/// to 120 s (past what is buffered ahead) fetches from, and lands in, the fragment that holds it, and nothing of the identity is in any request the page made. A
/// wrong identity shows a clear message and plays nothing.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlaybackBrowserTests(CephFixture ceph, HeadlessChromium chromium, ITestOutputHelper log) : IClassFixture<HeadlessChromium>, IAsyncLifetime
{
    private const string Video = "document.getElementById('player')";
    private PlaybackSetup _setup = null!;

    public async Task InitializeAsync() => _setup = await PlaybackSetup.StartAsync(ceph, "playweb", log);

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    private Uri Page => new(_setup.Service.Url + PlaybackPage.Path);

    [Fact]
    public async Task A_recording_plays_with_the_hosts_key_seeks_by_fragment_and_the_key_is_in_no_request()
    {
        var fragments = await FragmentTimesAsync();
        // Past what the player buffers ahead (30 s) when it is asked: the seek must fetch from the fragment that holds it.
        var target = 120.0;
        var fragmentStart = fragments.Last(t => t <= target);
        var fragmentEnd = fragments.First(t => t > target);
        var tiles = new List<Rect>();
        VideoLayout.Compute(LayoutKind.Gallery, PlaybackSetup.Participants, 0, PlaybackSetup.Width, PlaybackSetup.Height, tiles);

        var visit = await chromium.OpenAsync(Page, new PageProbe
        {
            Steps =
            [
                .. _setup.SignInAndPlay(_setup.IdentityFile),
                PageStep.WaitFor($"{Video}.currentTime > 2 && {Video}.getVideoPlaybackQuality().totalVideoFrames > 0", TimeSpan.FromSeconds(60)),
                PageStep.Evaluate("played", $"({{ time: {Video}.currentTime, frames: {Video}.getVideoPlaybackQuality().totalVideoFrames, " +
                    $"audioBytes: {Video}.webkitAudioDecodedByteCount, firstFrameMs: {Video}.dataset.firstFrameMs ?? null }})"),
                PageStep.Evaluate("tiles", TileColours(tiles)),
                // A seek to exactly 10 s (within what is buffered or about to be): where it landed, and frames decoded after it.
                PageStep.Evaluate("seek10", $"(() => {{ const v = {Video}; v.addEventListener('seeked', () => {{ v.dataset.seekedAt = String(v.currentTime); " +
                    "v.dataset.framesAtSeek = String(v.getVideoPlaybackQuality().totalVideoFrames); }, { once: true }); v.currentTime = 10; return true; })()"),
                PageStep.WaitFor($"{Video}.dataset.seekedAt !== undefined && !{Video}.paused && {Video}.currentTime > Number({Video}.dataset.seekedAt) + 1 " +
                    $"&& {Video}.getVideoPlaybackQuality().totalVideoFrames > Number({Video}.dataset.framesAtSeek) + 10", TimeSpan.FromSeconds(60)),
                PageStep.Evaluate("seeked10", $"({{ at: Number({Video}.dataset.seekedAt), time: {Video}.currentTime, " +
                    $"framesAtSeek: Number({Video}.dataset.framesAtSeek), frames: {Video}.getVideoPlaybackQuality().totalVideoFrames }})"),
                PageStep.Evaluate("seek", $"{Video}.currentTime = {target.ToString(CultureInfo.InvariantCulture)}"),
                PageStep.WaitFor($"!{Video}.seeking && {Video}.readyState >= 3 && {Video}.currentTime >= {target.ToString(CultureInfo.InvariantCulture)}", TimeSpan.FromSeconds(60)),
                PageStep.Evaluate("seeked", $"(() => {{ const v = {Video}; const b = v.buffered; let start = null; " +
                    "for (let i = 0; i < b.length; i++) if (b.start(i) <= v.currentTime && v.currentTime <= b.end(i)) start = b.start(i); " +
                    "return { time: v.currentTime, loadedFrom: Number(v.dataset.loadedFrom), bufferedStart: start }; })()"),
            ],
            Evaluate = ["JSON.stringify(Object.assign({}, sessionStorage))", "localStorage.length", "document.getElementById('error').hidden"],
            Text = ["#identity-state", "#state"],
        });

        var played = visit.Evaluated["played"];
        log.WriteLine($"played: {played}; tiles: {visit.Evaluated["tiles"]}; seeked to 10 s: {visit.Evaluated["seeked10"]}; seeked: {visit.Evaluated["seeked"]}; state: {visit.Text["#state"]}");
        Assert.Empty(visit.PageErrors);
        Assert.DoesNotContain(visit.Console, c => c.Type == "error");
        Assert.True(visit.Evaluated["document.getElementById('error').hidden"].GetBoolean());
        Assert.StartsWith("identity loaded for age1", visit.Text["#identity-state"]);
        Assert.True(played.GetProperty("time").GetDouble() > 2);
        Assert.True(played.GetProperty("frames").GetInt32() > 0);
        Assert.True(played.GetProperty("audioBytes").GetInt64() > 0, "no audio was decoded");

        // Each participant's tile shows its colour (the top of the tile: its moving square stays below).
        AssertTileColours(visit.Evaluated["tiles"], "");

        // The seek to 10 s landed in the fragment that holds 10 s, and the video went on decoding frames from there.
        var seeked10 = visit.Evaluated["seeked10"];
        var (tenStart, tenEnd) = (fragments.Last(t => t <= 10), fragments.First(t => t > 10));
        Assert.InRange(seeked10.GetProperty("at").GetDouble(), tenStart, tenEnd);
        Assert.InRange(seeked10.GetProperty("time").GetDouble(), seeked10.GetProperty("at").GetDouble() + 1, target);
        Assert.True(seeked10.GetProperty("frames").GetInt32() > seeked10.GetProperty("framesAtSeek").GetInt32() + 10, $"no frames decoded after the seek: {seeked10}");

        // The seek to 120 s fetched from the fragment holding 120 s, not from the start, and landed in it.
        var seeked = visit.Evaluated["seeked"];
        Assert.Equal(fragmentStart, seeked.GetProperty("loadedFrom").GetDouble(), 3);
        Assert.InRange(seeked.GetProperty("bufferedStart").GetDouble(), fragmentStart - 0.1, target);
        Assert.InRange(seeked.GetProperty("time").GetDouble(), target, fragmentEnd + (fragmentEnd - fragmentStart));

        // Only the service was asked, and nothing of the identity went with any request, nor into storage.
        Assert.All(visit.Requests, r => Assert.StartsWith(_setup.Service.Url + "/", r.Url));
        Assert.Contains(visit.Requests, r => r.Url.Contains("/segments/1", StringComparison.Ordinal) && r.Headers!.ContainsKey("range"));
        var secrets = IdentityForms(_setup.IdentityFile);
        foreach (var request in visit.Requests)
        {
            var sent = request.Url + "\n" + string.Join("\n", (request.Headers ?? new Dictionary<string, string>()).Select(h => $"{h.Key}: {h.Value}"))
                + "\n" + (request.Body is { } body ? Encoding.Latin1.GetString(Convert.FromBase64String(body)) + "\n" + body : "");
            foreach (var secret in secrets) Assert.DoesNotContain(secret, sent, StringComparison.OrdinalIgnoreCase);
        }
        var session = visit.Evaluated["JSON.stringify(Object.assign({}, sessionStorage))"].GetString()!;
        foreach (var secret in secrets) Assert.DoesNotContain(secret, session, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, visit.Evaluated["localStorage.length"].GetInt32());
    }

    [Fact]
    public async Task A_wrong_identity_says_so_and_plays_nothing()
    {
        var (otherKey, _) = _setup.Files.NewIdentity("other.key");
        var visit = await chromium.OpenAsync(Page, new PageProbe
        {
            Steps =
            [
                .. _setup.SignInAndPlay(otherKey),
                PageStep.WaitFor("!document.getElementById('error').hidden", TimeSpan.FromSeconds(60)),
            ],
            Text = ["#error"],
            Evaluate = [$"{Video}.dataset.state", $"{Video}.getVideoPlaybackQuality().totalVideoFrames"],
        });

        log.WriteLine(visit.Text["#error"]);
        Assert.Equal("this identity cannot open this recording: it was encrypted for another key. Pick the identity file of the host whose public key " +
            "is registered (recorder hosts list shows it)", visit.Text["#error"]);
        Assert.Equal("error", visit.Evaluated[$"{Video}.dataset.state"].GetString());
        Assert.Equal(0, visit.Evaluated[$"{Video}.getVideoPlaybackQuality().totalVideoFrames"].GetInt32());
        Assert.Empty(visit.PageErrors);
    }

    /// <summary>The start time of each fragment of the first segment, from the manifest, with the end of the segment last.</summary>
    private async Task<double[]> FragmentTimesAsync()
    {
        using var client = _setup.Service.Client(_setup.Token);
        using var manifest = JsonDocument.Parse(await client.GetStringAsync($"/recordings/{_setup.RecordingId}/manifest"));
        var segment = manifest.RootElement.GetProperty("segments")[0];
        return [.. segment.GetProperty("fragments").EnumerateArray().Select(f => f[0].GetDouble()), segment.GetProperty("durationSeconds").GetDouble()];
    }

    /// <summary>Each participant's tile (as <see cref="TileColours"/> read them) shows its synthetic camera's colour, within ±35.</summary>
    internal static void AssertTileColours(JsonElement tiles, string where)
    {
        var colours = tiles.EnumerateArray().Select(c => c.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var meeting = SyntheticMeetingOptions.Parse(new Uri($"synthetic://?participants={PlaybackSetup.Participants}"));
        for (var p = 0; p < PlaybackSetup.Participants; p++)
        {
            var expected = new SyntheticParticipant(meeting, p).Color;
            var (r, g, b) = (colours[p][0], colours[p][1], colours[p][2]);
            Assert.True(Math.Abs(r - expected.R) < 35 && Math.Abs(g - expected.G) < 35 && Math.Abs(b - expected.B) < 35,
                $"tile {p + 1}{where}: expected about {expected}, got ({r:0},{g:0},{b:0})");
        }
    }

    /// <summary>An expression: the video's current frame drawn on a canvas, and the mean RGB of a patch at the top of each tile.</summary>
    internal static string TileColours(IReadOnlyList<Rect> tiles)
    {
        var patches = string.Join(",", tiles.Select(t => $"[{t.X + t.Width / 8},{t.Y + t.Height / 16},{t.Width / 4},{t.Height / 10}]"));
        return $"(() => {{ const v = {Video}; const c = document.createElement('canvas'); c.width = v.videoWidth; c.height = v.videoHeight; " +
            "const g = c.getContext('2d'); g.drawImage(v, 0, 0); " +
            $"return [{patches}].map(([x, y, w, h]) => {{ const d = g.getImageData(x, y, w, h).data; const s = [0, 0, 0]; " +
            "for (let i = 0; i < d.length; i += 4) { s[0] += d[i]; s[1] += d[i + 1]; s[2] += d[i + 2]; } return s.map(t => t / (d.length / 4)); }); })()";
    }

    /// <summary>The identity as text (AGE-SECRET-KEY-1…), and its 32 secret bytes raw (Latin-1), in hex and in base64 (standard and URL-safe, padded or not).</summary>
    internal static string[] IdentityForms(string identityFile)
    {
        var line = File.ReadAllLines(identityFile).Single(l => l.StartsWith("AGE-SECRET-KEY-1", StringComparison.Ordinal));
        Assert.True(Bech32.TryDecode(line, out _, out var raw));
        Assert.Equal(32, raw.Length);
        var base64 = Convert.ToBase64String(raw);
        return [line, Encoding.Latin1.GetString(raw), Convert.ToHexString(raw), base64, base64.TrimEnd('='),
            base64.Replace('+', '-').Replace('/', '_').TrimEnd('=')];
    }
}
