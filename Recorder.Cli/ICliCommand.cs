using System.CommandLine;

namespace Recorder.Cli;

/// <summary>One verb of the CLI: builds its System.CommandLine command, whose action returns the exit code.</summary>
public interface ICliCommand
{
    Command Build(CliContext context);
}

/// <summary>What a verb's action gets: the console, the output rules, the services built from the environment.</summary>
public sealed class CliContext(CliConsole console)
{
    public CliConsole Console { get; } = console;
    public CliOutput Output { get; } = new(console);
    public IO.CliServices Services { get; } = new(console);
}
