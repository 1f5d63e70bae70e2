using Recorder.Cli;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>Help a user can act on: an example for every verb, the top level's reference sections, and shell completion.</summary>
public sealed class CliHelpTests
{
    public static TheoryData<string> Verbs()
    {
        var data = new TheoryData<string>();
        var context = new CliContext(new CliConsole(Stream.Null, Stream.Null, TextWriter.Null, _ => null));
        foreach (var command in CommandCatalog.All.Select(c => c.Build(context)))
        {
            data.Add(command.Name);
            foreach (var sub in command.Subcommands) data.Add($"{command.Name} {sub.Name}");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Every_verb_has_help_with_an_example(string verb)
    {
        var result = await CliRunner.RunAsync([.. verb.Split(' '), "--help"]);

        Assert.Equal((0, ""), (result.ExitCode, result.StandardError));
        var help = result.StandardOutputText;
        var examples = help.IndexOf("\nExamples:\n  ", StringComparison.Ordinal);
        Assert.True(examples >= 0, $"'recorder {verb} --help' has no examples:\n{help}");
        Assert.Contains($"recorder {verb} ", help[examples..]);
        Assert.Contains("Usage:", help);
    }

    [Fact]
    public async Task Top_level_help_lists_uris_variables_exit_codes_quiet_and_completion()
    {
        var result = await CliRunner.RunAsync(["--help"]);

        Assert.Equal(0, result.ExitCode);
        var help = result.StandardOutputText;
        foreach (var expected in new[]
                 {
                     "-q, --quiet", "synthetic://?participants=4&seconds=20", "janus://HOST:PORT/janus?room=1234", "idle=", "reconnect=", "pin=",
                     "AWS_ENDPOINT_URL_S3", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "RECORDER_URL", "RECORDER_TOKEN",
                     "RECORDER_MEETING", "RECORDER_SIGNING_KEY", "RECORDER_DEBUG=1", "RECORDER_OPERATOR_TOKEN",
                     "Exit codes:", "  0  success", "  1  failure", "  2  usage error", "  3  audit or verify found a violation", "  4  decrypt wrote",
                     "source <(recorder completion bash)",
                 })
            Assert.Contains(expected, help);
    }

    [Theory]
    [InlineData("recorder enc", "encrypt\n")]
    [InlineData("recorder hosts ", "--help\n--quiet\n-?\n-h\n-q\n/?\n/h\nadd\nlist\nretention\nrotate-token\nset\n")]
    [InlineData("recorder legal-hold re", "release\n")]
    public async Task The_suggest_directive_completes_verbs_and_sub_verbs(string line, string expected)
    {
        var result = await CliRunner.RunAsync([$"[suggest:{line.Length}]", line]);

        Assert.Equal((0, ""), (result.ExitCode, result.StandardError));
        Assert.Equal(expected, result.StandardOutputText);
    }

    [Fact]
    public async Task The_bash_completion_script_completes_through_the_real_program()
    {
        var launcher = RepositoryPaths.RecorderLauncher;
        var script = await CliRunner.RunAsync(["completion", "bash"]);
        Assert.Equal(0, script.ExitCode);
        var file = Path.Combine(Path.GetTempPath(), $"recorder-completion-{Guid.NewGuid():N}.bash");
        await File.WriteAllBytesAsync(file, script.StandardOutput);
        try
        {
            var bash = await ProcessRunner.RunAsync("bash",
            [
                "-c",
                $"source '{file}'; COMP_LINE='recorder gr'; COMP_POINT=11; COMP_WORDS=(recorder gr); COMP_CWORD=1; _recorder_complete; "
                + "printf '%s\\n' \"${COMPREPLY[@]}\"; complete -p recorder",
            ], TimeSpan.FromMinutes(1), new Dictionary<string, string?> { ["PATH"] = $"{Path.GetDirectoryName(launcher)}:/usr/bin:/bin" });

            Assert.Equal((0, ""), (bash.ExitCode, bash.StandardError));
            Assert.Equal("grant\ncomplete -o default -F _recorder_complete recorder\n", bash.StandardOutput);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// zsh (Debian's): the script registers with the real completion system (compinit), and its function, run with
    /// compadd replaced by a stand-in that prints what it is given (compadd is a builtin only a completion widget may
    /// call), offers what the real program suggests, and nothing (not an empty word) when there is nothing.
    /// </summary>
    [Theory]
    [InlineData("recorder legal-hold re", "release\n")]
    [InlineData("recorder dec", "decrypt\n")]
    [InlineData("recorder zzz", "")]
    public async Task The_zsh_completion_script_registers_with_compinit_and_completes_through_the_real_program(string line, string expected)
    {
        var launcher = RepositoryPaths.RecorderLauncher;
        var script = await CliRunner.RunAsync(["completion", "zsh"]);
        Assert.Equal(0, script.ExitCode);
        var file = Path.Combine(Path.GetTempPath(), $"recorder-completion-{Guid.NewGuid():N}.zsh");
        await File.WriteAllBytesAsync(file, script.StandardOutput);
        var environment = new Dictionary<string, string?> { ["PATH"] = $"{Path.GetDirectoryName(launcher)}:/usr/bin:/bin" };
        try
        {
            // -f: no startup files; compinit -D: no dump file written.
            var registered = await ProcessRunner.RunAsync("zsh",
                ["-f", "-c", $"autoload -Uz compinit && compinit -u -D && source '{file}' && print -r -- $_comps[recorder]"], TimeSpan.FromMinutes(1), environment);
            Assert.Equal((0, "", "_recorder_complete\n"), (registered.ExitCode, registered.StandardError, registered.StandardOutput));

            var words = string.Join(' ', line.Split(' ').Select(w => $"'{w}'"));
            var completed = await ProcessRunner.RunAsync("zsh",
            [
                "-f", "-c",
                $"compdef() {{ :; }}; compadd() {{ [[ $1 == -- ]] && shift; (( $# )) && print -rl -- \"$@\"; return 0; }}; source '{file}'; " +
                $"BUFFER='{line}'; CURSOR={line.Length}; words=({words}); _recorder_complete",
            ], TimeSpan.FromMinutes(1), environment);
            Assert.Equal((0, "", expected), (completed.ExitCode, completed.StandardError, completed.StandardOutput));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_unexpected_remainder_says_what_failed_and_how_to_see_more_never_a_bare_type()
    {
        var failure = CliErrors.Describe(new InvalidOperationException("the sequence is empty"), "encrypt", _ => null);

        Assert.Equal((1, "encrypt failed: the sequence is empty",
            "this is not an error recorder knows; rerun with RECORDER_DEBUG=1 for the details, and report them if it looks like a bug"),
            (failure.Code, failure.Message, failure.Hint));
        Assert.DoesNotContain("InvalidOperationException", failure.Message);
    }

    [Fact]
    public void A_connection_refused_outage_names_the_endpoint()
    {
        var refused = new Recorder.Storage.StorageTransientException("s3://b/k: HeadObject failed",
            new HttpRequestException("refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)));
        var outage = new Recorder.Storage.StorageOutageException("s3://b/k: HeadObject kept failing", refused) { FailedAttempts = 23, OutageDuration = TimeSpan.FromSeconds(120) };

        var failure = CliErrors.Describe(outage, "inspect", name => name == "AWS_ENDPOINT_URL_S3" ? "http://127.0.0.1:9" : null);

        Assert.Equal("cannot connect to S3 at http://127.0.0.1:9: connection refused (23 attempts in 120 s)", failure.Message);
        Assert.Equal("check AWS_ENDPOINT_URL_S3 and that the S3 server is running", failure.Hint);
    }
}
