using System.Text.Json;
using System.Text.RegularExpressions;
using Recorder.Crypto.Recipients;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Cli;

/// <summary>
/// <c>recorder hosts …</c> and <c>recorder auditors …</c> against the real service
/// (in-process, ServiceInstance): exact outputs, JSON read field by field, tokens
/// that work once printed and stop working once rotated.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServiceHostsCliTests(CephFixture ceph, ITestOutputHelper output) : IAsyncLifetime
{
    private const string TokenNotice = "recorder: the token is shown only this once: keep it now ('recorder hosts rotate-token HOST' replaces a lost one)\n";
    private const string InvalidToken = "recorder: error: the token is not valid\nrecorder: hint: check the token from RECORDER_TOKEN; "
        + "tokens are printed once by 'recorder hosts add' or rotated with 'recorder hosts rotate-token'\n";
    private ServiceInstance _service = null!;

    public async Task InitializeAsync() => _service = await ServiceInstance.StartAsync(ceph, await ceph.CreateBucketAsync("hosts"), output);

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private Task<CliResult> RunAsync(string token, params string[] args) => CliRunner.RunAsync(args, environment: _service.CliEnvironment(token));

    private Task<CliResult> OperatorAsync(params string[] args) => RunAsync(_service.OperatorToken, args);

    private static string NewRecipient()
    {
        using var identity = X25519Identity.Generate();
        return identity.Recipient.ToString();
    }

    private static string Short(string recipient) => $"{recipient[..12]}…{recipient[^4..]}";

    [Fact]
    public async Task Hosts_add_prints_the_id_and_token_once_and_list_shows_every_host()
    {
        var (ann, bo) = (NewRecipient(), NewRecipient());
        var added = await OperatorAsync("hosts", "add", "--name", "Ann", "-r", ann, "--json");
        Assert.Equal((0, TokenNotice), (added.ExitCode, added.StandardError));
        using var json = JsonDocument.Parse(added.StandardOutput);
        Assert.Equal(["hostId", "token"], json.RootElement.EnumerateObject().Select(p => p.Name));
        var annId = json.RootElement.GetProperty("hostId").GetString()!;
        var annToken = json.RootElement.GetProperty("token").GetString()!;
        Assert.Matches("^host-[0-9a-f]{12}$", annId);
        Assert.StartsWith("rec_", annToken);

        var human = await OperatorAsync("hosts", "add", "--name", "Bo", "-r", bo, "--display-name", "Bo's recorder", "--webhook", "http://127.0.0.1:9/hook");
        Assert.Equal(0, human.ExitCode);
        Assert.Equal("recorder: the token and the webhook secret are shown only this once: keep them now "
            + "('recorder hosts rotate-token HOST' replaces a lost token)\n", human.StandardError);
        var lines = Regex.Match(human.StandardOutputText, @"^host {12}(host-[0-9a-f]{12})\ntoken {11}(rec_\S+)\nwebhook secret  (whsec_\S+)\n$");
        Assert.True(lines.Success, human.StandardOutputText);
        var (boId, boToken) = (lines.Groups[1].Value, lines.Groups[2].Value);

        // The printed tokens are the hosts' own: each lists its (no) recordings.
        foreach (var token in new[] { annToken, boToken })
        {
            var list = await RunAsync(token, "list");
            Assert.Equal((0, "RECORDING  STATE  START AT  HOST  MEETING\n", ""), (list.ExitCode, list.StandardOutputText, list.StandardError));
        }

        var table = await OperatorAsync("hosts", "list");
        Assert.Equal((0, ""), (table.ExitCode, table.StandardError));
        Assert.Equal(
            "HOST               NAME  RECIPIENTS         DISPLAY NAME   WEBHOOK\n"
            + $"{annId}  Ann   {Short(ann)}  ● Recording    -\n"
            + $"{boId}  Bo    {Short(bo)}  Bo's recorder  http://127.0.0.1:9/hook\n", table.StandardOutputText);

        var listed = await OperatorAsync("hosts", "list", "--json");
        Assert.Equal((0, ""), (listed.ExitCode, listed.StandardError));
        using var hosts = JsonDocument.Parse(listed.StandardOutput);
        var items = hosts.RootElement.GetProperty("hosts").EnumerateArray().ToArray();
        Assert.Equal(2, items.Length);
        Assert.Equal(["hostId", "name", "recipients", "displayName", "webhookUrl", "createdAt", "retention"], items[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal((annId, "Ann", ann, "● Recording", JsonValueKind.Null),
            (items[0].GetProperty("hostId").GetString(), items[0].GetProperty("name").GetString(), Assert.Single(items[0].GetProperty("recipients").EnumerateArray()).GetString(),
                items[0].GetProperty("displayName").GetString(), items[0].GetProperty("webhookUrl").ValueKind));
        Assert.Equal((boId, "Bo", bo, "Bo's recorder", "http://127.0.0.1:9/hook"),
            (items[1].GetProperty("hostId").GetString(), items[1].GetProperty("name").GetString(), Assert.Single(items[1].GetProperty("recipients").EnumerateArray()).GetString(),
                items[1].GetProperty("displayName").GetString(), items[1].GetProperty("webhookUrl").GetString()));
        Assert.InRange(items[0].GetProperty("createdAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);
        Assert.DoesNotContain("whsec_", listed.StandardOutputText); // secrets are shown once, never listed
    }

    [Fact]
    public async Task Hosts_set_changes_only_what_is_given_and_a_new_webhook_gets_a_new_secret()
    {
        var (first, second) = (NewRecipient(), NewRecipient());
        using var added = JsonDocument.Parse((await OperatorAsync("hosts", "add", "--name", "Ann", "-r", first, "--json")).StandardOutput);
        var id = added.RootElement.GetProperty("hostId").GetString()!;

        var renamed = await OperatorAsync("hosts", "set", id, "--name", "Ann B", "--display-name", "Ann's recorder", "--webhook", "http://127.0.0.1:9/x", "--json");
        Assert.Equal((0, "recorder: the webhook secret is shown only this once: give it to the webhook's receiver now\n"), (renamed.ExitCode, renamed.StandardError));
        using (var json = JsonDocument.Parse(renamed.StandardOutput))
        {
            var root = json.RootElement;
            Assert.Equal(["host", "webhookSecret"], root.EnumerateObject().Select(p => p.Name));
            Assert.StartsWith("whsec_", root.GetProperty("webhookSecret").GetString());
            var host = root.GetProperty("host");
            Assert.Equal((id, "Ann B", first, "Ann's recorder", "http://127.0.0.1:9/x"),
                (host.GetProperty("hostId").GetString(), host.GetProperty("name").GetString(), Assert.Single(host.GetProperty("recipients").EnumerateArray()).GetString(),
                    host.GetProperty("displayName").GetString(), host.GetProperty("webhookUrl").GetString()));
        }

        var rekeyed = await OperatorAsync("hosts", "set", id, "-r", second);
        Assert.Equal((0, ""), (rekeyed.ExitCode, rekeyed.StandardError));
        Assert.Equal($"host          {id}\nname          Ann B\nrecipients    {second}\ndisplay name  Ann's recorder\nwebhook       http://127.0.0.1:9/x\n",
            rekeyed.StandardOutputText);

        var unhooked = await OperatorAsync("hosts", "set", id, "--no-webhook", "--json");
        Assert.Equal((0, ""), (unhooked.ExitCode, unhooked.StandardError));
        using (var json = JsonDocument.Parse(unhooked.StandardOutput))
        {
            Assert.Equal(["host"], json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("host").GetProperty("webhookUrl").ValueKind);
        }

        var missing = await OperatorAsync("hosts", "set", "host-000000000000", "--name", "x");
        Assert.Equal((1, "recorder: error: no host host-000000000000\n"), (missing.ExitCode, missing.StandardError));
        var badHook = await OperatorAsync("hosts", "set", id, "--webhook", "ftp://127.0.0.1/x", "--display-name", " ");
        Assert.Equal((1, "recorder: error: --display-name: 1 to 64 characters, no control characters (participants see it next to the recorder)\n"
            + "recorder: error: --webhook: an absolute http:// or https:// URL\n"), (badHook.ExitCode, badHook.StandardError));
        var badKey = await OperatorAsync("hosts", "add", "--name", "Bad", "-r", "age1qqqq");
        Assert.Equal(1, badKey.ExitCode);
        Assert.StartsWith("recorder: error: -r: 'age1qqqq': ", badKey.StandardError);
    }

    [Fact]
    public async Task A_rotated_token_replaces_the_old_one_at_once()
    {
        using var added = JsonDocument.Parse((await OperatorAsync("hosts", "add", "--name", "Ann", "-r", NewRecipient(), "--json")).StandardOutput);
        var (id, old) = (added.RootElement.GetProperty("hostId").GetString()!, added.RootElement.GetProperty("token").GetString()!);
        Assert.Equal(0, (await RunAsync(old, "list")).ExitCode);

        var rotated = await OperatorAsync("hosts", "rotate-token", id, "--json");
        Assert.Equal((0, TokenNotice), (rotated.ExitCode, rotated.StandardError));
        using var json = JsonDocument.Parse(rotated.StandardOutput);
        Assert.Equal(["hostId", "token"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(id, json.RootElement.GetProperty("hostId").GetString());
        var fresh = json.RootElement.GetProperty("token").GetString()!;
        Assert.NotEqual(old, fresh);

        var refused = await RunAsync(old, "list");
        Assert.Equal((1, "", InvalidToken), (refused.ExitCode, refused.StandardOutputText, refused.StandardError));
        Assert.Equal(0, (await RunAsync(fresh, "list")).ExitCode);

        var human = await OperatorAsync("hosts", "rotate-token", id);
        Assert.Matches($"^host   {id}\ntoken  rec_\\S+\n$", human.StandardOutputText);
        Assert.Equal(1, (await RunAsync(fresh, "list")).ExitCode);

        // A host's token may not manage hosts; a token given with --token is named as such.
        var forbidden = await RunAsync(human.StandardOutputText.Split('\n')[1][7..], "hosts", "list");
        Assert.Equal((1, "recorder: error: this token's role may not do that\nrecorder: hint: the token from RECORDER_TOKEN has another role: hosts and auditors "
            + "take the operator's token; a host's token schedules, stops and cancels its own recordings; an auditor's only reads\n"),
            (forbidden.ExitCode, forbidden.StandardError));
        var flag = await RunAsync(_service.OperatorToken, "list", "--token", old);
        Assert.Equal((1, InvalidToken.Replace("from RECORDER_TOKEN", "from --token", StringComparison.Ordinal)), (flag.ExitCode, flag.StandardError));
        Assert.DoesNotContain(old, flag.StandardError);
    }

    [Fact]
    public async Task Auditors_add_prints_the_token_once_and_list_shows_them()
    {
        var added = await OperatorAsync("auditors", "add", "--name", "Audra", "--json");
        Assert.Equal((0, "recorder: the token is shown only this once: keep it now\n"), (added.ExitCode, added.StandardError));
        using var json = JsonDocument.Parse(added.StandardOutput);
        Assert.Equal(["auditorId", "token"], json.RootElement.EnumerateObject().Select(p => p.Name));
        var id = json.RootElement.GetProperty("auditorId").GetString()!;
        Assert.Matches("^auditor-[0-9a-f]{12}$", id);

        var listed = await OperatorAsync("auditors", "list", "--json");
        using var auditors = JsonDocument.Parse(listed.StandardOutput);
        var auditor = Assert.Single(auditors.RootElement.GetProperty("auditors").EnumerateArray());
        Assert.Equal((id, "Audra"), (auditor.GetProperty("auditorId").GetString(), auditor.GetProperty("name").GetString()));
        var created = auditor.GetProperty("createdAt").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var table = await OperatorAsync("auditors", "list");
        Assert.Equal($"AUDITOR               NAME   CREATED\n{id}  Audra  {created}\n", table.StandardOutputText);

        // The auditor reads recordings and schedules none.
        var token = json.RootElement.GetProperty("token").GetString()!;
        Assert.Equal(0, (await RunAsync(token, "list")).ExitCode);
        var schedule = await RunAsync(token, "schedule", "--meeting", "synthetic://?participants=1&seconds=1");
        Assert.Equal(1, schedule.ExitCode);
        Assert.StartsWith("recorder: error: this token's role may not do that\n", schedule.StandardError);
        var empty = await OperatorAsync("auditors", "add", "--name", " ");
        Assert.Equal((1, "recorder: error: --name: required: a name to tell this principal by (not used in object keys)\n"), (empty.ExitCode, empty.StandardError));
    }
}
