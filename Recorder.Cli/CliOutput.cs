using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Recorder.Cli;

/// <summary>
/// Every terminal-output rule of the CLI, in one place: diagnostics go to stderr
/// as <c>recorder: error: …</c>, <c>recorder: hint: …</c>, <c>recorder: warning: …</c>,
/// lower-case and without a final period; <c>--json</c> prints exactly one JSON
/// document on stdout; plain results go to stdout as text lines.
/// </summary>
public sealed class CliOutput(CliConsole console)
{
    public void Error(string message, string? hint = null)
    {
        console.StandardError.Write($"recorder: error: {Normalize(message)}\n");
        if (hint is not null) Hint(hint);
    }

    public void Hint(string hint) => console.StandardError.Write($"recorder: hint: {Normalize(hint)}\n");

    public void Warning(string message) => console.StandardError.Write($"recorder: warning: {Normalize(message)}\n");

    /// <summary>A line for the user on stderr, as written (e.g. age-keygen's <c>Public key: …</c>).</summary>
    public void Notice(string line) => console.StandardError.Write(line + "\n");

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

    private void WriteStdout(string text)
    {
        console.StandardOutput.Write(Encoding.UTF8.GetBytes(text));
        console.StandardOutput.Flush();
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
