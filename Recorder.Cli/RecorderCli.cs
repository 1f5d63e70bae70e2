using System.CommandLine;

namespace Recorder.Cli;

/// <summary>Parses, runs a verb, and turns every failure into the contract's exit code and stderr lines.</summary>
public static class RecorderCli
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(console);
        var root = new RootCommand("recorder: encrypted meeting recordings (age v1 files, S3)");
        foreach (var command in CommandCatalog.All) root.Subcommands.Add(command.Build(context));
        var quiet = new Option<bool>("--quiet", "-q")
        {
            Description = "no progress, notices or warnings on stderr (errors and results still print)", Recursive = true,
        };
        root.Options.Add(quiet);
        ExamplesHelpAction.Install(root);

        var parse = root.Parse(args);
        context.Output.Quiet = parse.GetValue(quiet);
        // "recorder encrypt --help" shows help even though the required -r is missing.
        if (parse.Errors.Count > 0 && parse.Action is not ExamplesHelpAction)
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
            var failure = CliErrors.Describe(e, VerbOf(parse).TrimEnd() is { Length: > 0 } verb ? verb : "recorder", console.Environment);
            context.Output.Error(failure.Message);
            foreach (var more in failure.MoreMessages) context.Output.Error(more);
            if (failure.Hint is not null) context.Output.Hint(failure.Hint);
            if (console.Environment(CliErrors.DebugVariable) is "1" or "true") context.Output.Report(e.ToString());
            return failure.Code;
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

    /// <summary>The verb (and sub-verb, as in "hosts set") the parse got to, for the help hint; empty at the root.</summary>
    private static string VerbOf(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent) names.Insert(0, result.Command.Name);
        return names.Count == 0 ? "" : string.Join(' ', names) + " ";
    }
}
