using System.Net;
using System.Net.Sockets;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>
/// The API verbs before and around any answer from the service: where the URL and
/// token come from, what is refused before connecting (exit 2), an address where
/// nothing listens (exit 1), and the token never echoed. No service is started:
/// {port} is a loopback port nothing listens on.
/// </summary>
public sealed class ServiceClientUsageTests
{
    private const string Token = "rec_tokenvalue_0123456789abcdef";

    public static TheoryData<string, string, string?, string?, int, string> Table() => new()
    {
        { "no RECORDER_URL is a usage error saying where the URL goes", "list", null, Token, 2,
            "recorder: error: no service URL: give --url URL or set RECORDER_URL\n"
            + "recorder: hint: RECORDER_URL=http://127.0.0.1:8080 is where 'recorder serve' listens by default\n" },
        { "no token is a usage error saying where tokens come from", "status rec-1", "http://127.0.0.1:{port}", null, 2,
            "recorder: error: no API token: give --token TOKEN or set RECORDER_TOKEN\n"
            + "recorder: hint: a host's token is printed once by 'recorder hosts add'; the operator's is the service's RECORDER_OPERATOR_TOKEN "
            + "or the file operator-token in its state folder\n" },
        { "an address where nothing listens names the URL and its source", "list", "http://127.0.0.1:{port}", Token, 1,
            "recorder: error: cannot connect to the service at http://127.0.0.1:{port}: connection refused\n"
            + "recorder: hint: is 'recorder serve' running there? (the URL came from RECORDER_URL)\n" },
        { "--url wins over RECORDER_URL, and the message says so", "list --url http://127.0.0.1:{port}/", "http://127.0.0.1:1", Token, 1,
            "recorder: error: cannot connect to the service at http://127.0.0.1:{port}: connection refused\n"
            + "recorder: hint: is 'recorder serve' running there? (the URL came from --url)\n" },
        { "a URL that is not http(s) is a usage error", "list --url ftp://127.0.0.1/", null, Token, 2,
            "recorder: error: --url: 'ftp://127.0.0.1/' is not an http:// or https:// URL\nrecorder: hint: e.g. RECORDER_URL=http://127.0.0.1:8080\n" },
        { "a password in the URL is refused without being echoed", "list", "http://op:secret-pass@127.0.0.1:{port}", Token, 2,
            "recorder: error: RECORDER_URL: no user name or password in the URL\nrecorder: hint: give the token with RECORDER_TOKEN or --token\n" },
        { "a token with a line break (pasted from a file) is refused without being echoed", "list", "http://127.0.0.1:{port}", Token + "\nx", 2,
            "recorder: error: the token from RECORDER_TOKEN has spaces or characters a token never has\nrecorder: hint: copy it again, exactly as printed\n" },
        { "--limit must be positive", "list --limit 0", "http://127.0.0.1:{port}", Token, 2,
            "recorder: error: --limit 0: give 1 or more\n" },
        { "hosts add needs a key", "hosts add --name Ann", "http://127.0.0.1:{port}", Token, 2,
            "recorder: error: give the host's key with -r RECIPIENT or --kms-key ARN (one of them)\n"
            + "recorder: hint: -r age1… (the host's public key) or --kms-key arn:aws:kms:…\n" },
        { "hosts add takes -r or --kms-key, not both", "hosts add --name Ann -r age1x --kms-key arn:aws:kms:eu-west-1:1:key/k", "http://127.0.0.1:{port}", Token, 2,
            "recorder: error: give the host's key with -r RECIPIENT or --kms-key ARN (one of them)\n"
            + "recorder: hint: -r age1… (the host's public key) or --kms-key arn:aws:kms:…\n" },
        { "hosts add needs --name", "hosts add -r age1x", "http://127.0.0.1:{port}", Token, 2,
            "recorder: error: option '--name' is required\nrecorder: hint: run 'recorder hosts add --help' for usage\n" },
        { "hosts set with nothing to change", "hosts set host-1", "http://127.0.0.1:{port}", Token, 2,
            "recorder: error: nothing to change\nrecorder: hint: give -r, --kms-key, --name, --display-name, --webhook or --no-webhook\n" },
        { "hosts set takes --webhook or --no-webhook, not both", "hosts set host-1 --webhook http://127.0.0.1:9/ --no-webhook", "http://127.0.0.1:{port}", Token, 2,
            "recorder: error: give --webhook URL or --no-webhook, not both\n" },
        { "the help hint names the sub-verb", "hosts set", "http://127.0.0.1:{port}", Token, 2,
            "recorder: error: required argument missing for command: 'set'\nrecorder: hint: run 'recorder hosts set --help' for usage\n" },
        { "schedule needs --meeting", "schedule --at 2026-12-24T18:00:00Z", "http://127.0.0.1:{port}", Token, 2,
            "recorder: error: option '--meeting' is required\nrecorder: hint: run 'recorder schedule --help' for usage\n" },
        { "an unknown verb under hosts", "hosts remove host-1", "http://127.0.0.1:{port}", Token, 2,
            "recorder: error: unrecognized command or argument 'remove'\nrecorder: hint: run 'recorder hosts --help' for usage\n" },
        { "serve refuses a flag the service does not take", "serve --bogus 1", null, null, 2,
            "recorder: error: unrecognized command or argument '--bogus'\nrecorder: hint: run 'recorder serve --help' for usage\n" },
        { "--capacity is a whole number (the service's binder would fail with a stack trace)", "serve --capacity many", null, null, 2,
            "recorder: error: --capacity many: give a whole number from 1 to 256\n" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Exit_code_and_stderr_follow_the_contract(string guards, string arguments, string? url, string? token, int exitCode, string stderr)
    {
        var port = UnusedPort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string Fill(string s) => s.Replace("{port}", port);
        var environment = new Dictionary<string, string?> { ["RECORDER_URL"] = url is null ? null : Fill(url), ["RECORDER_TOKEN"] = token };

        var result = await CliRunner.RunAsync(Fill(arguments).Split(' '), environment: environment);

        Assert.True(exitCode == result.ExitCode, $"{guards}: exit {result.ExitCode}, stderr: {result.StandardError}");
        Assert.Equal(Fill(stderr), result.StandardError);
        Assert.Equal("", result.StandardOutputText);
        Assert.DoesNotContain("tokenvalue", result.StandardError);
        Assert.DoesNotContain("secret-pass", result.StandardError);
    }

    [Fact]
    public async Task Serve_with_a_missing_service_program_says_so()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}", "recorder-service");
        var result = await CliRunner.RunAsync(["serve", "--bucket", "b"],
            environment: new Dictionary<string, string?> { ["RECORDER_SERVICE_PROGRAM"] = missing });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"recorder: error: the service program RECORDER_SERVICE_PROGRAM names does not exist ({missing})\n"
            + "recorder: hint: point RECORDER_SERVICE_PROGRAM at recorder-service, or unset it to use the one installed beside recorder\n",
            result.StandardError);
    }

    /// <summary>A loopback port that was free a moment ago: nothing listens there.</summary>
    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
