using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Web;

/// <summary>
/// The page hosted as static files on another origin, as docs/playback.md tells an operator to: built with
/// <c>RECORDER_API_ORIGIN</c> set to the service (web/build.mjs, the pinned toolchain), served by a plain static
/// web server (Python's http.server on 127.0.0.1), and the service told to allow that origin
/// (<c>RECORDER_PAGE_ORIGINS</c>). In Chromium the host enters the service's address, signs in, picks the
/// identity and plays a recording: frames are decoded, the page's files came from the static server and every
/// API and segment request went to the service across origins.
/// </summary>
/// <remarks>In the Ceph collection, which runs one class at a time, with <see cref="PlaybackPageBuildTests"/>: its npm ci replaces web/node_modules, which this build reads.</remarks>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlaybackElsewhereTests(CephFixture ceph, HeadlessChromium chromium, ITestOutputHelper log) : IClassFixture<HeadlessChromium>, IAsyncLifetime
{
    private const string Video = "document.getElementById('player')";
    private static readonly string Web = Path.Combine(RepositoryPaths.Root, "web");
    private readonly DirectoryInfo _site = Directory.CreateTempSubdirectory("recorder-site-");
    private readonly int _port = FreePort.Next();
    private PlaybackSetup _setup = null!;
    private SupervisedProcess? _server;

    private string PageOrigin => $"http://127.0.0.1:{_port}";

    public async Task InitializeAsync()
    {
        _setup = await PlaybackSetup.StartAsync(ceph, "playelse", log, new Dictionary<string, string?> { ["RECORDER_PAGE_ORIGINS"] = PageOrigin }, seconds: 20);
        var build = await ProcessRunner.RunAsync("node", [Path.Combine(Web, "build.mjs"), "--outdir", _site.FullName], TimeSpan.FromMinutes(2),
            environment: new Dictionary<string, string?> { ["RECORDER_API_ORIGIN"] = _setup.Service.Url });
        Assert.True(build.ExitCode == 0, build.StandardError);
        _server = SupervisedProcess.Start("python3", ["-u", "-m", "http.server", _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1", "--directory", _site.FullName]);
        await _server.WaitForLineAsync(line => line.StartsWith("Serving HTTP on 127.0.0.1", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        await _setup.DisposeAsync();
        _site.Delete(recursive: true);
    }

    [Fact]
    public async Task The_page_built_for_the_service_and_served_from_another_origin_signs_in_and_plays()
    {
        var visit = await chromium.OpenAsync(new Uri($"{PageOrigin}/index.html"), new PageProbe
        {
            Steps =
            [
                PageStep.Fill("#api-url", _setup.Service.Url),
                .. _setup.SignInAndPlay(_setup.IdentityFile),
                PageStep.WaitFor($"({Video}.currentTime > 2 && {Video}.getVideoPlaybackQuality().totalVideoFrames > 0) || !document.getElementById('error').hidden",
                    TimeSpan.FromSeconds(60), describe: "document.getElementById('error').innerText"),
            ],
            Evaluate = [$"{Video}.currentTime", $"{Video}.getVideoPlaybackQuality().totalVideoFrames", "document.getElementById('error').hidden", "location.origin"],
            Text = ["#error"],
        });

        log.WriteLine($"played to {visit.Evaluated[$"{Video}.currentTime"]} s; requests: {string.Join(", ", visit.Requests.Select(r => r.Url))}");
        Assert.True(visit.Evaluated["document.getElementById('error').hidden"].GetBoolean(), visit.Text["#error"]);
        Assert.Empty(visit.PageErrors);
        Assert.Equal(PageOrigin, visit.Evaluated["location.origin"].GetString());
        Assert.True(visit.Evaluated[$"{Video}.currentTime"].GetDouble() > 2);
        Assert.True(visit.Evaluated[$"{Video}.getVideoPlaybackQuality().totalVideoFrames"].GetInt32() > 0);
        // The page's own files from the static server; the API, manifest and segments from the service, across origins.
        Assert.Contains(visit.Requests, r => r.Url == $"{PageOrigin}/app.js");
        Assert.Contains(visit.Requests, r => r.Url == $"{PageOrigin}/worker.js");
        Assert.Contains(visit.Requests, r => r.Url.StartsWith($"{_setup.Service.Url}/recordings?", StringComparison.Ordinal) || r.Url == $"{_setup.Service.Url}/recordings");
        Assert.Contains(visit.Requests, r => r.Url == $"{_setup.Service.Url}/recordings/{_setup.RecordingId}/segments/1" && r.Headers!.ContainsKey("range"));
        Assert.All(visit.Requests, r => Assert.True(r.Url.StartsWith(PageOrigin + "/", StringComparison.Ordinal)
            || r.Url.StartsWith(_setup.Service.Url + "/", StringComparison.Ordinal), $"a request to neither origin: {r.Url}"));
        Assert.DoesNotContain(visit.Requests, r => r.Url.StartsWith(_setup.Service.Url + "/play/", StringComparison.Ordinal));
    }
}
