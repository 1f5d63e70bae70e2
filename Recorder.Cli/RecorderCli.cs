using System.CommandLine;
using Amazon.Runtime;
using Recorder.Crypto;

namespace Recorder.Cli;

/// <summary>Parses, runs a verb, and turns every failure into the contract's exit code and stderr lines.</summary>
public static class RecorderCli
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(console);
        var root = new RootCommand("recorder: encrypted meeting recordings (age v1 files, S3)");
        foreach (var command in CommandCatalog.All) root.Subcommands.Add(command.Build(context));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // An unknown word explains more than the missing command it causes.
            var first = parse.Errors.OrderBy(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal) ? 0 : 1).First();
            context.Output.Error(first.Message, $"run 'recorder {VerbOf(parse)}--help' for usage");
            return CliExitCodes.Usage;
        }
        var stdout = new StreamWriter(console.StandardOutput, leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = console.StandardError,
            EnableDefaultExceptionHandler = false,
        };
        // record and demo handle SIGINT/SIGTERM themselves (StopSignals: the first finishes the segment, the second
        // aborts). System.CommandLine's own handling would cancel the action's token at the first signal — an abort —
        // and end the process 2 s later, cutting off the segment being finished.
        if (args is ["record" or "demo", ..]) invocation.ProcessTerminationTimeout = null;
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (Exception e)
        {
            var (code, message, hint) = Describe(e);
            context.Output.Error(message);
            if (e is CliException c) foreach (var more in c.MoreMessages) context.Output.Error(more);
            if (hint is not null) context.Output.Hint(hint);
            return code;
        }
        finally
        {
            await stdout.FlushAsync(cancellationToken);
        }
    }

    /// <summary>Started without the launcher: the runtime has already put its diagnostic files in /tmp.</summary>
    public static int RefuseWithoutHardening(CliConsole console)
    {
        new CliOutput(console).Error(
            "DOTNET_EnableDiagnostics=0 was not set when the runtime started, so it has created diagnostic files in /tmp; meeting media will not be handled",
            "run the 'recorder' launcher script (not recorder-apphost or 'dotnet recorder.dll'), or set DOTNET_EnableDiagnostics=0 first");
        return CliExitCodes.Failure;
    }

    /// <summary>The exit code, message and hint for a failure; never key material.</summary>
    internal static (int Code, string Message, string? Hint) Describe(Exception e) => e switch
    {
        CliException c => (c.ExitCode, c.Message, c.Hint),
        Storage.StorageDestinationException d => (CliExitCodes.Failure, d.Message,
            "check that the bucket exists and that these credentials may write to it (AWS_* variables)"),
        Storage.StorageOutageException o => (CliExitCodes.Failure, o.Message,
            "S3 could not be reached for longer than the retry window; check AWS_ENDPOINT_URL_S3 and the network"),
        Storage.StorageException s => (CliExitCodes.Failure, s.Message, null),
        Pipeline.Encoder.FfmpegException f => (CliExitCodes.Failure, f.Message, "is ffmpeg installed? (localstack/install.sh ffmpeg)"),
        AgeNoIdentityMatchException n => (CliExitCodes.Failure, n.Message,
            "the file was encrypted for other keys; 'recorder inspect' lists its recipients"),
        AgeDecryptionException d => (CliExitCodes.Failure, d.Message, null),
        FileNotFoundException f => (CliExitCodes.Failure, $"no such file: {f.FileName}", null),
        DirectoryNotFoundException => (CliExitCodes.Failure, "no such directory for a file given", null),
        UnauthorizedAccessException => (CliExitCodes.Failure, "permission denied on a file given", null),
        AmazonServiceException a => (CliExitCodes.Failure, $"{a.ErrorCode ?? "request failed"}: {a.Message}",
            "check the AWS_* variables and that the credentials may perform the operation"),
        AmazonClientException a => (CliExitCodes.Failure, a.Message, "check AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_KMS and the network"),
        OperationCanceledException => (CliExitCodes.Failure, "cancelled", null),
        IOException io => (CliExitCodes.Failure, io.Message, null),
        _ => (CliExitCodes.Failure, $"unexpected {e.GetType().Name}: {e.Message}", null),
    };

    /// <summary>The verb (and sub-verb, as in "hosts set") the parse got to, for the help hint; empty at the root.</summary>
    private static string VerbOf(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent) names.Insert(0, result.Command.Name);
        return names.Count == 0 ? "" : string.Join(' ', names) + " ";
    }
}
