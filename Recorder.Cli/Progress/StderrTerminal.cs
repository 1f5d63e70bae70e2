using System.Text;
using Spectre.Console;

namespace Recorder.Cli.Progress;

/// <summary>
/// Spectre.Console's output: the CLI's own stderr (never stdout, which carries data),
/// declared a terminal because the caller checked that it is one.
/// </summary>
internal sealed class StderrTerminal(CliOutput output) : IAnsiConsoleOutput
{
    public TextWriter Writer { get; } = new StderrWriter(output);
    public bool IsTerminal => true;
    public int Width => Columns() ?? Measure(() => System.Console.WindowWidth, 80);
    public int Height => Measure(() => System.Console.WindowHeight, 24);

    public void SetEncoding(Encoding encoding)
    {
    }

    /// <summary>COLUMNS when exported: it wins, as for other tools (and sizes a pseudo-terminal nobody sized).</summary>
    private int? Columns() =>
        int.TryParse(output.Console.Environment("COLUMNS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : null;

    private static int Measure(Func<int> read, int fallback)
    {
        try
        {
            return read() is > 0 and var value ? value : fallback;
        }
        catch (IOException)
        {
            return fallback;
        }
    }

    /// <summary>Goes through <see cref="CliOutput"/>, so a broken stderr is handled as every other stderr write is.</summary>
    private sealed class StderrWriter(CliOutput output) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) => output.WriteStderrRaw(value.ToString());
        public override void Write(string? value)
        {
            if (value is not null) output.WriteStderrRaw(value);
        }
        public override void Write(char[] buffer, int index, int count) => output.WriteStderrRaw(new string(buffer, index, count));
    }
}
