using System.Security.Cryptography;
using System.Text.Json;
using Recorder.Service.Web;
using Recorder.Tests.Cli;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Web;

/// <summary>
/// The playback page (/play/) in Debian's headless Chromium starts and stops a recording: the host signs in, starts a
/// live synthetic meeting from the page's form, sees it appear and reach "recording" in the list (which refreshes
/// itself while a recording is under way), stops it with the row's Stop button and sees it completed; the API then
/// shows it completed on request with one stored segment (its bytes in S3 hash as listed), which the page plays.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlaybackPageRecordingTests(CephFixture ceph, HeadlessChromium chromium, ITestOutputHelper log) : IClassFixture<HeadlessChromium>, IAsyncLifetime
{
    private const string Video = "document.getElementById('player')";
    private const string Row = "document.querySelector('#recording-rows tr[data-recording]')";
    private readonly CliFiles _files = new();
    private ServiceInstance _service = null!;

    public async Task InitializeAsync() => _service = await ServiceInstance.StartAsync(ceph, await ceph.CreateBucketAsync("pagerec"), output: log);

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _files.Dispose();
    }

    [Fact]
    public async Task A_host_starts_and_stops_a_recording_from_the_page_and_plays_it()
    {
        var (identity, recipient) = _files.NewIdentity("host.key");
        var (_, token) = await _service.AddHostAsync("Alice", [recipient]);
        var visit = await chromium.OpenAsync(new Uri(_service.Url + PlaybackPage.Path), new PageProbe
        {
            Steps =
            [
                PageStep.Fill("#token", token),
                PageStep.Click("#signin button[type=submit]"),
                PageStep.WaitFor("document.body.dataset.listed === '0'"),
                PageStep.Fill("#meeting", "synthetic://?participants=2&seconds=300"),
                PageStep.Fill("#duration", "5m"),
                PageStep.Click("#start button[type=submit]"),
                PageStep.WaitFor($"{Row} !== null"),
                PageStep.Evaluate("started", $"({{ id: {Row}.dataset.recording, state: {Row}.dataset.state, message: document.getElementById('state').textContent }})"),
                // No click on Refresh: the list follows the recording by itself; 3 s recorded so that a fragment is stored.
                PageStep.WaitFor($"{Row}.dataset.state === 'recording' && Number({Row}.dataset.seconds) >= 3", TimeSpan.FromSeconds(60)),
                PageStep.Click("button[data-action=stop]"),
                PageStep.WaitFor($"{Row}.dataset.state === 'completed'", TimeSpan.FromSeconds(60)),
                PageStep.Evaluate("stopped", $"({{ state: {Row}.dataset.state, cells: [...{Row}.cells].map(c => c.textContent), " +
                    $"actions: [...{Row}.querySelectorAll('button')].map(b => b.dataset.action) }})"),
                PageStep.File("#identity", "host.key", File.ReadAllBytes(identity)),
                PageStep.WaitFor("document.body.dataset.identity === 'loaded'"),
                PageStep.Click("button[data-action=play]"),
                PageStep.WaitFor($"{Video}.getVideoPlaybackQuality().totalVideoFrames > 0 || !document.getElementById('error').hidden", TimeSpan.FromSeconds(60)),
            ],
            Evaluate = [$"{Video}.getVideoPlaybackQuality().totalVideoFrames", "document.getElementById('error').hidden"],
            Text = ["#error"],
        });

        var started = visit.Evaluated["started"];
        var stopped = visit.Evaluated["stopped"];
        log.WriteLine($"started: {started}; stopped: {stopped}; error: {visit.Text["#error"]}");
        Assert.Empty(visit.PageErrors);
        Assert.DoesNotContain(visit.Console, c => c.Type == "error");
        Assert.True(visit.Evaluated["document.getElementById('error').hidden"].GetBoolean(), visit.Text["#error"]);
        var id = started.GetProperty("id").GetString()!;
        Assert.Matches($"^recording {id} is (scheduled|joining|recording)$", started.GetProperty("message").GetString());
        Assert.Contains(visit.Requests, r => r.Method == "POST" && r.Url == $"{_service.Url}/recordings");
        Assert.Single(visit.Requests, r => r.Method == "POST" && r.Url == $"{_service.Url}/recordings/{id}/stop");

        // The page shows the new state: completed, nothing to stop any more, playable.
        Assert.Equal("completed", stopped.GetProperty("state").GetString());
        Assert.Equal(id, stopped.GetProperty("cells")[0].GetString());
        Assert.Equal("completed", stopped.GetProperty("cells")[1].GetString());
        Assert.Equal(["play"], stopped.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        Assert.True(visit.Evaluated[$"{Video}.getVideoPlaybackQuality().totalVideoFrames"].GetInt32() > 0, "the stopped recording did not play");

        // Through the API, with the host's token: completed on request, as started from the form, one segment stored in S3.
        var recording = await _service.GetRecordingAsync(token, id);
        Assert.Equal(("completed", "stopped on request"), (recording.GetProperty("state").GetString(), recording.GetProperty("endReason").GetString()));
        Assert.True(recording.GetProperty("stopRequested").GetBoolean());
        Assert.Equal("synthetic://?participants=2&seconds=300", recording.GetProperty("meeting").GetString());
        Assert.Equal(300, recording.GetProperty("maxDurationSeconds").GetDouble());
        var segment = Assert.Single(recording.GetProperty("segments").EnumerateArray());
        Assert.InRange(segment.GetProperty("durationSeconds").GetDouble(), 2.5, 60);
        var stored = await ceph.ReadObjectAsync(segment.GetProperty("uri").GetString()!);
        Assert.Equal(segment.GetProperty("bytes").GetInt64(), stored.LongLength);
        Assert.Equal(segment.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(stored)));

        // The completed row's duration and size are the stored segment's (the listing alone has neither for a short recording).
        var seconds = (int)Math.Round(segment.GetProperty("durationSeconds").GetDouble(), MidpointRounding.AwayFromZero);
        Assert.Equal($"{seconds / 60}:{seconds % 60:00}", stopped.GetProperty("cells")[2].GetString());
        Assert.Equal(PageSize(stored.LongLength), stopped.GetProperty("cells")[3].GetString());
    }

    /// <summary>A size as the page writes it (formatBytes in web/src/main.js): bytes below 1 KiB, else one decimal of KiB, MiB, GiB.</summary>
    private static string PageSize(long bytes)
    {
        if (bytes < 1024) return $"{bytes} B";
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        var (value, unit) = (bytes / 1024.0, 0);
        while (value >= 1024 && unit < units.Length - 1) (value, unit) = (value / 1024, unit + 1);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
