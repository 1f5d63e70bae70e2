using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Recorder.Crypto.Recipients;
using Recorder.Service.Store;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Cli;

/// <summary>
/// <c>recorder schedule|status|list|stop|cancel</c> against the real service. A
/// recording that really records needs <c>recorder record --events</c>; here the
/// recordings are scheduled a day ahead, or (for finished ones) taken through the
/// store's own transitions — the calls the service's job makes — so what the API
/// shows of segments, manifests and errors is exercised without a meeting.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServiceRecordingsCliTests(CephFixture ceph, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Meeting = "synthetic://?participants=2&seconds=5";
    private ServiceInstance _service = null!;
    private string _hostId = null!;
    private string _hostToken = null!;
    private string _recipient = null!;

    public async Task InitializeAsync()
    {
        _service = await ServiceInstance.StartAsync(ceph, await ceph.CreateBucketAsync("recordings"), output);
        using var identity = X25519Identity.Generate();
        _recipient = identity.Recipient.ToString();
        using var added = JsonDocument.Parse((await CliRunner.RunAsync(["hosts", "add", "--name", "Ann", "-r", _recipient, "--json"],
            environment: _service.CliEnvironment(_service.OperatorToken))).StandardOutput);
        (_hostId, _hostToken) = (added.RootElement.GetProperty("hostId").GetString()!, added.RootElement.GetProperty("token").GetString()!);
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private Task<CliResult> HostAsync(params string[] args) => CliRunner.RunAsync(args, environment: _service.CliEnvironment(_hostToken));

    private Task<CliResult> OperatorAsync(params string[] args) => CliRunner.RunAsync(args, environment: _service.CliEnvironment(_service.OperatorToken));

    private IRecorderStore Store => _service.App.Services.GetRequiredService<IRecorderStore>();

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Schedule_with_bad_input_names_each_flag_with_the_services_message()
    {
        var bad = await HostAsync("schedule", "--meeting", "ftp://127.0.0.1/x", "--at", "tomorrow", "--duration", "5x", "--layout", "mosaic", "--size", "7x7");
        Assert.Equal((1, ""), (bad.ExitCode, bad.StandardOutputText));
        Assert.Equal(
            "recorder: error: --meeting: unknown meeting scheme 'ftp' (known: synthetic, janus)\n"
            + "recorder: error: --at: 'tomorrow' is not \"now\" or a time with its offset, e.g. 2026-12-24T18:00:00Z\n"
            + "recorder: error: --duration: '5x' is not a duration: write 90s, 10m, 1h or hh:mm:ss\n"
            + "recorder: error: --layout: 'mosaic' is not a layout: gallery or speaker\n"
            + "recorder: error: --size: '7x7' is not a size: even WxH between 160x90 and 3840x2160, e.g. 1280x720\n", bad.StandardError);

        var noHost = await OperatorAsync("schedule", "--meeting", Meeting);
        Assert.Equal((1, "recorder: error: --host: an operator names the host the recording is for (its host id)\n"), (noHost.ExitCode, noHost.StandardError));
        var unknownHost = await OperatorAsync("schedule", "--meeting", Meeting, "--host", "host-000000000000");
        Assert.Equal((1, "recorder: error: --host: no host host-000000000000\n"), (unknownHost.ExitCode, unknownHost.StandardError));
        var otherHost = await HostAsync("schedule", "--meeting", Meeting, "--host", "host-000000000000");
        Assert.Equal((1, "recorder: error: --host: only an operator may record for another host; leave host out\n"), (otherHost.ExitCode, otherHost.StandardError));
        var state = await HostAsync("list", "--state", "done");
        Assert.Equal((1, "recorder: error: --state: 'done' is not a state: scheduled, joining, recording, finalizing, completed, failed\n"),
            (state.ExitCode, state.StandardError));
    }

    [Fact]
    public async Task A_scheduled_recording_shows_in_status_and_list_refuses_stop_and_is_cancelled()
    {
        var at = Iso(DateTimeOffset.UtcNow.AddDays(1));
        var scheduled = await HostAsync("schedule", "--meeting", Meeting, "--at", at, "--duration", "10m", "--layout", "speaker", "--size", "640x360", "--json");
        Assert.Equal(0, scheduled.ExitCode);
        using var json = JsonDocument.Parse(scheduled.StandardOutput);
        Assert.Equal(["recordingId"], json.RootElement.EnumerateObject().Select(p => p.Name));
        var id = json.RootElement.GetProperty("recordingId").GetString()!;
        Assert.Matches("^rec-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$", id);
        Assert.Equal($"recorder: scheduled, starts at {at}; 'recorder status --follow {id}' follows it\n", scheduled.StandardError);
        var second = await OperatorAsync("schedule", "--meeting", Meeting, "--at", at, "--host", _hostId);
        Assert.Equal(0, second.ExitCode);
        var secondId = second.StandardOutputText.TrimEnd('\n');
        Assert.Equal($"{secondId}\n", second.StandardOutputText);

        var status = await HostAsync("status", id, "--json");
        Assert.Equal((0, ""), (status.ExitCode, status.StandardError));
        using (var document = JsonDocument.Parse(status.StandardOutput))
        {
            var root = document.RootElement;
            Assert.Equal(["recordingId", "state", "segments", "manifest", "error"], root.EnumerateObject().Select(p => p.Name));
            Assert.Equal((id, "scheduled", 0, JsonValueKind.Null, JsonValueKind.Null), (root.GetProperty("recordingId").GetString(), root.GetProperty("state").GetString(),
                root.GetProperty("segments").GetArrayLength(), root.GetProperty("manifest").ValueKind, root.GetProperty("error").ValueKind));
        }
        var human = await HostAsync("status", id);
        var created = (await Store.GetRecordingAsync(id, default))!.CreatedAt;
        Assert.Equal((0, ""), (human.ExitCode, human.StandardError));
        Assert.Equal($"recording       {id}\nstate           scheduled\nhost            {_hostId}\nmeeting         {Meeting}\n"
            + $"layout          speaker, 640x360, at most 10m\nstart at        {at}\nscheduled at    {Iso(created)}\nrecipients      -\nsegments        0\n"
            + "manifest        -\ndropped frames  0\nuploaded        0 bytes\n", human.StandardOutputText);

        var list = await HostAsync("list", "--json");
        Assert.Equal((0, ""), (list.ExitCode, list.StandardError));
        using (var document = JsonDocument.Parse(list.StandardOutput))
        {
            var items = document.RootElement.GetProperty("recordings").EnumerateArray().ToArray();
            Assert.Equal([secondId, id], items.Select(i => i.GetProperty("recordingId").GetString())); // newest first
            Assert.Equal(["recordingId", "state", "startAt", "manifest"], items[1].EnumerateObject().Select(p => p.Name));
            Assert.Equal(("scheduled", at, JsonValueKind.Null),
                (items[1].GetProperty("state").GetString(), Iso(items[1].GetProperty("startAt").GetDateTimeOffset()), items[1].GetProperty("manifest").ValueKind));
        }
        var table = await HostAsync("list", "--limit", "1");
        Assert.Equal("RECORDING                      STATE      START AT              HOST               MEETING\n"
            + $"{secondId}  scheduled  {at}  {_hostId}  {Meeting}\n", table.StandardOutputText);
        var none = await HostAsync("list", "--state", "completed", "--json");
        Assert.Equal("{\n  \"recordings\": []\n}\n", none.StandardOutputText);

        var stop = await HostAsync("stop", id);
        Assert.Equal((1, "", $"recorder: error: recording {id} has not started\nrecorder: hint: 'recorder cancel {id}' cancels it\n"),
            (stop.ExitCode, stop.StandardOutputText, stop.StandardError));

        // Another host sees nothing of it: the same answer as for a recording that does not exist.
        using var other = JsonDocument.Parse((await OperatorAsync("hosts", "add", "--name", "Bo", "-r", _recipient, "--json")).StandardOutput);
        var stranger = await CliRunner.RunAsync(["cancel", id], environment: _service.CliEnvironment(other.RootElement.GetProperty("token").GetString()!));
        Assert.Equal((1, $"recorder: error: no recording {id}\n"), (stranger.ExitCode, stranger.StandardError));

        var cancel = await HostAsync("cancel", id);
        Assert.Equal((0, "cancelled\n", ""), (cancel.ExitCode, cancel.StandardOutputText, cancel.StandardError));
        var gone = await HostAsync("status", id);
        Assert.Equal((1, "", $"recorder: error: no recording {id}\n"), (gone.ExitCode, gone.StandardOutputText, gone.StandardError));
        var again = await HostAsync("cancel", id);
        Assert.Equal((1, $"recorder: error: no recording {id}\n"), (again.ExitCode, again.StandardError));
    }
}
