using System.Text.Json;
using Recorder.Tests.Cli;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Web;

/// <summary>
/// A service with one host and one finished recording made by it (a synthetic meeting of four, each with its own
/// colour and tone, recorded faster than real time by the installed recorder, encrypted for the host's key only).
/// </summary>
public sealed class PlaybackSetup : IAsyncDisposable
{
    public const int Participants = 4;
    public const int Seconds = 150;
    public const int Width = 640;
    public const int Height = 360;

    private PlaybackSetup(ServiceInstance service, CliFiles files) => (Service, Files) = (service, files);

    public ServiceInstance Service { get; }
    public CliFiles Files { get; }
    public string HostId { get; private set; } = "";
    public string Token { get; private set; } = "";
    public string IdentityFile { get; private set; } = "";
    public string RecordingId { get; private set; } = "";
    public JsonElement Recording { get; private set; }

    /// <param name="environment">The service's settings on top of the test defaults (e.g. RECORDER_SEGMENT_SECONDS).</param>
    /// <param name="seconds">The meeting's length.</param>
    public static async Task<PlaybackSetup> StartAsync(CephFixture ceph, string bucketName, ITestOutputHelper log,
        IReadOnlyDictionary<string, string?>? environment = null, int seconds = Seconds)
    {
        var files = new CliFiles();
        var service = await ServiceInstance.StartAsync(ceph, await ceph.CreateBucketAsync(bucketName), output: log, environment: environment);
        var setup = new PlaybackSetup(service, files);
        try
        {
            var (identity, recipient) = files.NewIdentity("host.key");
            (setup.HostId, setup.Token) = await service.AddHostAsync("Alice", [recipient]);
            setup.IdentityFile = identity;
            setup.RecordingId = await service.ScheduleAsync(setup.Token,
                new { meeting = $"synthetic://?participants={Participants}&seconds={seconds}&marker=0&pace=fast", size = $"{Width}x{Height}" });
            setup.Recording = await service.WaitUntilEndedAsync(setup.Token, setup.RecordingId, TimeSpan.FromMinutes(3));
            Assert.Equal("completed", setup.Recording.GetProperty("state").GetString());
            return setup;
        }
        catch
        {
            await setup.DisposeAsync();
            throw;
        }
    }

    /// <summary>The page's steps from signing in to pressing Play on the recording, with <paramref name="identityFile"/> picked.</summary>
    public IEnumerable<PageStep> SignInAndPlay(string identityFile) => SignInAndPlay(Token, RecordingId, identityFile);

    /// <summary>Signs in with <paramref name="token"/>, picks <paramref name="identityFile"/>, and presses Play on <paramref name="recordingId"/>.</summary>
    public static IEnumerable<PageStep> SignInAndPlay(string token, string recordingId, string identityFile) =>
    [
        PageStep.Fill("#token", token),
        PageStep.Click("#signin button[type=submit]"),
        PageStep.WaitFor("Number(document.body.dataset.listed) >= 1"),
        PageStep.File("#identity", "host.key", File.ReadAllBytes(identityFile)),
        PageStep.WaitFor("document.body.dataset.identity === 'loaded' || !document.getElementById('error').hidden"),
        PageStep.Click($"button[data-action=play][data-recording='{recordingId}']"),
    ];

    /// <summary>The recording's first segment as listed: its s3:// URI and size.</summary>
    public (string Uri, long Bytes) FirstSegment
    {
        get
        {
            var segment = Recording.GetProperty("segments")[0];
            return (segment.GetProperty("uri").GetString()!, segment.GetProperty("bytes").GetInt64());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        Files.Dispose();
    }
}
