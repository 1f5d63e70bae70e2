using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Recorder.Pipeline.Events;

namespace Recorder.Cli;

/// <summary>
/// Every terminal-output rule of the CLI, in one place: diagnostics go to stderr
/// as <c>recorder: error: …</c>, <c>recorder: hint: …</c>, <c>recorder: warning: …</c>,
/// lower-case and without a final period; <c>--json</c> prints exactly one JSON
/// document on stdout; <c>record --events</c> one JSON line per event; plain
/// results go to stdout as text lines.
/// </summary>
public sealed class CliOutput(CliConsole console)
{
    /// <summary>
    /// Set by <c>record --events</c>, whose stdout and stderr are pipes to a supervisor
    /// that may die: then nobody reads them and every write fails (EPIPE; .NET ignores
    /// SIGPIPE, so it is an <see cref="IOException"/>). Such a write is dropped instead of
    /// thrown, so it can never fail or abort the recording, wherever it happens (a notice
    /// from a signal handler, a log line from the pipeline, a timer's progress line).
    /// </summary>
    public bool DropFailedWrites { get; set; }

    /// <summary>
    /// <c>--quiet</c>: no progress, notices or warnings; errors, hints and <see cref="Report"/> lines
    /// (a verb's result on stderr, such as a public key or an audit finding) still print.
    /// </summary>
    public bool Quiet { get; set; }

    /// <summary>The console this writes to (progress displays draw on its stderr).</summary>
    public CliConsole Console => console;

    public void Error(string message, string? hint = null)
    {
        WriteStderr($"recorder: error: {Normalize(message)}\n");
        if (hint is not null) Hint(hint);
    }

    public void Hint(string hint) => WriteStderr($"recorder: hint: {Normalize(hint)}\n");

    public void Warning(string message)
    {
        if (!Quiet) WriteStderr($"recorder: warning: {Normalize(message)}\n");
    }

    /// <summary>A line for the user on stderr, as written (what is going on; left out under <c>--quiet</c>).</summary>
    public void Notice(string line)
    {
        if (!Quiet) WriteStderr(line + "\n");
    }

    /// <summary>
    /// A result line on stderr, as written, printed even under <c>--quiet</c>: age-keygen's
    /// <c>Public key: …</c>, a token shown once, an audit finding.
    /// </summary>
    public void Report(string line) => WriteStderr(line + "\n");

    /// <summary>Text results on stdout.</summary>
    public void Lines(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines) text.Append(line).Append('\n');
        WriteStdout(text.ToString());
    }

    /// <summary>The one JSON document of a <c>--json</c> run (its type registered in <see cref="CliJson"/>).</summary>
    public void JsonDocument<T>(T value, JsonTypeInfo<T> type)
    {
        // Through a writer with the relaxed encoder: a host's display name "● Recording" or "Cy's"
        // prints as itself rather than \u25CF or \u0027 (both are valid JSON; this is for whoever reads it).
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            JsonSerializer.Serialize(writer, value, type);
        WriteStdout(Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n");
    }

    /// <summary>One line of <c>record --events</c> on stdout, flushed; false when it was dropped (see <see cref="DropFailedWrites"/>).</summary>
    public bool EventLine(RecordingEvent e) => WriteStdout(e.ToJsonLine() + "\n");

    /// <summary>A two-column table of facts, labels padded to one width.</summary>
    public void Facts(IEnumerable<(string Label, string Value)> facts)
    {
        var list = facts.ToArray();
        var width = list.Length == 0 ? 0 : list.Max(f => f.Label.Length) + 2;
        Lines(list.Select(f => f.Label.PadRight(width) + f.Value));
    }

    /// <summary>A table: a header row, then one row per item; columns padded to their widest cell, two spaces apart.</summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.Prepend(headers).ToArray();
        var widths = headers.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        // The last column is not padded: no trailing spaces.
        Lines(all.Select(r => string.Join("  ", r.Select((cell, i) => i == r.Count - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd()));
    }

    private bool WriteStdout(string text)
    {
        try
        {
            console.StandardOutput.Write(Encoding.UTF8.GetBytes(text));
            console.StandardOutput.Flush();
            return true;
        }
        catch (IOException) when (DropFailedWrites)
        {
            return false;
        }
    }

    /// <summary>
    /// Set while a live progress display is drawn on the terminal: lines for stderr go
    /// through it, which prints them above the display instead of across it.
    /// </summary>
    internal Action<string>? LiveLines { get; set; }

    private void WriteStderr(string text)
    {
        if (LiveLines is { } live)
        {
            live(text);
            return;
        }
        WriteStderrRaw(text);
    }

    /// <summary>Text on stderr as given (a progress display's own drawing), with the same broken-pipe rule.</summary>
    internal void WriteStderrRaw(string text)
    {
        try
        {
            console.StandardError.Write(text);
        }
        catch (IOException) when (DropFailedWrites)
        {
            // The supervisor that read stderr is gone; the recording goes on.
        }
    }

    /// <summary>Lower-case first letter (unless it starts an acronym), no final period, one line.</summary>
    internal static string Normalize(string message)
    {
        var text = message.Replace('\n', ' ').Trim().TrimEnd('.');
        if (text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]))
            text = char.ToLowerInvariant(text[0]) + text[1..];
        return text;
    }
}
