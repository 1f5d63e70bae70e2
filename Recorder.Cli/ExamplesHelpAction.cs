using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Recorder.Cli;

/// <summary>
/// <c>--help</c> as System.CommandLine writes it, followed by the verb's examples
/// (<see cref="CliHelp.Examples"/>) and, at the top level, the sections on meeting
/// URIs, environment variables, exit codes and completion.
/// </summary>
internal sealed class ExamplesHelpAction(HelpAction standard) : SynchronousCommandLineAction
{
    public static void Install(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new ExamplesHelpAction((HelpAction)help.Action!);
    }

    public override int Invoke(ParseResult parseResult)
    {
        var code = standard.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        var path = VerbPath(parseResult.CommandResult.Command);
        if (path.Length == 0)
        {
            output.Write(CliHelp.TopLevelSections.Replace("\r\n", "\n"));
            output.WriteLine();
        }
        else if (CliHelp.Examples.TryGetValue(path, out var examples))
        {
            output.WriteLine("Examples:");
            foreach (var line in examples) output.WriteLine("  " + line);
            output.WriteLine();
        }
        return code;
    }

    /// <summary>"hosts add" for that sub-verb, "" at the root.</summary>
    internal static string VerbPath(Command command)
    {
        var names = new List<string>();
        for (var c = command; c is not RootCommand; c = c.Parents.OfType<Command>().First()) names.Insert(0, c.Name);
        return string.Join(' ', names);
    }
}
