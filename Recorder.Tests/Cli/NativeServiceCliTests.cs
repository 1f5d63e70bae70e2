using System.Security.Cryptography;
using System.Text.Json;
using Recorder.Crypto.Recipients;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>
/// The install README describes — the CLI compiled ahead of time in DIR, the
/// service published ReadyToRun in DIR/service — run as installed: the native
/// <c>recorder serve</c> finds the service beside itself and becomes it, and the
/// native API verbs (source-generated JSON, HttpClient without reflection) call it.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class NativeServiceCliTests(CephFixture ceph) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("recorder-native-serve-");

    [SkippableFact]
    public async Task The_installed_recorder_serves_from_beside_itself_and_its_api_verbs_call_the_service()
    {
        var recorder = RepositoryPaths.NativeLauncherOrSkip();
        var directory = Path.GetDirectoryName(Path.GetFullPath(recorder))!;
        var program = Path.Combine(directory, "service", "recorder-service");
        Skip.IfNot(File.Exists(program),
            $"the service is not installed beside {recorder}: dotnet publish Recorder.Service -c Release -r linux-x64 -o {directory}/service (scripts/test.sh does)");
        var operatorToken = "rec_op_native_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var environment = new Dictionary<string, string?>(CliRunner.CephEnvironment(ceph.Options)) { ["RECORDER_OPERATOR_TOKEN"] = operatorToken };
        var bucket = await ceph.CreateBucketAsync("native-serve");
        using var serve = ServeProcess.Start(recorder, ["--urls", "http://127.0.0.1:0", "--bucket", bucket, "--state-dir", _state.FullName], environment);
        var url = await serve.WaitUntilListeningAsync(Timeout);
        Assert.Equal(Path.GetFullPath(program), File.ResolveLinkTarget($"/proc/{serve.Id}/exe", false)!.FullName);

        Task<ProcessResult> RunAsync(string token, params string[] args) =>
            ProcessRunner.RunAsync(recorder, args, Timeout, new Dictionary<string, string?> { ["RECORDER_URL"] = url, ["RECORDER_TOKEN"] = token });
        using var identity = X25519Identity.Generate();
        var added = await RunAsync(operatorToken, "hosts", "add", "--name", "Ann", "-r", identity.Recipient.ToString(), "--json");
        Assert.Equal(0, added.ExitCode);
        using var host = JsonDocument.Parse(added.StandardOutput);
        var (hostId, hostToken) = (host.RootElement.GetProperty("hostId").GetString()!, host.RootElement.GetProperty("token").GetString()!);

        var listed = await RunAsync(operatorToken, "hosts", "list", "--json");
        Assert.Contains("\"displayName\": \"● Recording\"", listed.StandardOutput); // relaxed escaping in the native program too

        var at = DateTimeOffset.UtcNow.AddDays(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var scheduled = await RunAsync(hostToken, "schedule", "--meeting", "synthetic://?participants=2&seconds=5", "--at", at, "--json");
        Assert.Equal(0, scheduled.ExitCode);
        using var created = JsonDocument.Parse(scheduled.StandardOutput);
        var id = created.RootElement.GetProperty("recordingId").GetString()!;

        var status = await RunAsync(hostToken, "status", id, "--json");
        Assert.Equal((0, $"{{\n  \"recordingId\": \"{id}\",\n  \"state\": \"scheduled\",\n  \"segments\": [],\n  \"manifest\": null,\n  \"error\": null\n}}\n", ""),
            (status.ExitCode, status.StandardOutput, status.StandardError));
        var list = await RunAsync(hostToken, "list");
        Assert.Contains($"{id}  scheduled  {at}  {hostId}  synthetic://?participants=2&seconds=5\n", list.StandardOutput);
        var bad = await RunAsync(hostToken, "schedule", "--meeting", "synthetic://?participants=2", "--layout", "mosaic", "--size", "7x7");
        Assert.Equal((1, "recorder: error: --layout: 'mosaic' is not a layout: gallery or speaker\n"
            + "recorder: error: --size: '7x7' is not a size: even WxH between 160x90 and 3840x2160, e.g. 1280x720\n"), (bad.ExitCode, bad.StandardError));
        var cancel = await RunAsync(hostToken, "cancel", id);
        Assert.Equal((0, "cancelled\n"), (cancel.ExitCode, cancel.StandardOutput));
        var refused = await RunAsync(hostToken + "x", "list");
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("recorder: error: the token is not valid\n", refused.StandardError);

        var exit = await serve.StopAsync(Timeout);
        Assert.True(exit == 0, $"exit {exit}; log:\n{serve.Log}");
    }

    public void Dispose() => _state.Delete(recursive: true);
}
