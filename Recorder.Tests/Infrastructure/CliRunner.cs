using System.Text;
using Recorder.Cli;

namespace Recorder.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, byte[] StandardOutput, string StandardError)
{
    public string StandardOutputText => Encoding.UTF8.GetString(StandardOutput);
}

/// <summary>
/// Runs the real <c>recorder</c> command in-process (the same RecorderCli.RunAsync
/// Program.cs calls) with its own stdin, stdout, stderr and environment. Only the
/// variables given are visible: no test reads the machine's AWS credentials.
/// </summary>
public static class CliRunner
{
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, byte[]? standardInput = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter { NewLine = "\n" };
        var console = new CliConsole(new MemoryStream(standardInput ?? []), stdout, stderr,
            name => environment is not null && environment.TryGetValue(name, out var v) ? v : null);
        var code = await RecorderCli.RunAsync(args.ToArray(), console);
        return new CliResult(code, stdout.ToArray(), stderr.ToString());
    }

    /// <summary>The environment of the local Ceph S3 for the CLI's s3:// paths.</summary>
    public static IReadOnlyDictionary<string, string?> CephEnvironment(Recorder.Storage.S3ConnectionOptions options) =>
        new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL_S3"] = options.ServiceUrl,
            ["AWS_ACCESS_KEY_ID"] = options.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = options.SecretAccessKey,
            ["AWS_REGION"] = options.Region,
            ["AWS_REQUEST_CHECKSUM_CALCULATION"] = "when_required",
            ["AWS_RESPONSE_CHECKSUM_VALIDATION"] = "when_required",
        };
}
