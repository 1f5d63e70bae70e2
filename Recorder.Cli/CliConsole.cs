namespace Recorder.Cli;

/// <summary>
/// The process's standard streams and environment, injectable so tests run the
/// CLI in-process with their own streams and variables.
/// </summary>
public sealed class CliConsole(System.IO.Stream standardInput, System.IO.Stream standardOutput, TextWriter standardError,
    Func<string, string?> environment, bool outputIsTerminal = false, bool errorIsTerminal = false)
{
    public System.IO.Stream StandardInput { get; } = standardInput;
    public System.IO.Stream StandardOutput { get; } = standardOutput;
    public TextWriter StandardError { get; } = standardError;
    public Func<string, string?> Environment { get; } = environment;

    /// <summary>True when stdout is a terminal, where binary output is refused.</summary>
    public bool OutputIsTerminal { get; } = outputIsTerminal;

    /// <summary>True when stderr is a terminal: progress is drawn live there, else written as a plain line now and then.</summary>
    public bool ErrorIsTerminal { get; } = errorIsTerminal;

    public static CliConsole FromProcess() => new(
        Console.OpenStandardInput(), Console.OpenStandardOutput(),
        new StreamWriter(Console.OpenStandardError()) { AutoFlush = true, NewLine = "\n" },
        System.Environment.GetEnvironmentVariable, !Console.IsOutputRedirected, !Console.IsErrorRedirected);
}
