using System.Text;
using System.Text.Json;

namespace Recorder.Pipeline.Audit.Log;

/// <summary>
/// The canonical JSON of audit events: one object, members sorted by name (ordinal, as RFC 8785 sorts ASCII names),
/// no whitespace, strings escaped minimally (only what JSON requires), integers only (no floats, so no number
/// formatting questions), UTF-8. The same event always gives the same bytes, so its hash and signature can be
/// checked by recomputing them.
/// </summary>
public static class CanonicalJson
{
    /// <summary>Writes an object of string, long, bool and nested-object (list of members) values.</summary>
    public static byte[] Write(IEnumerable<KeyValuePair<string, object>> members)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            WriteObject(writer, members);
        return buffer.ToArray();
    }

    private static void WriteObject(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, object>> members)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in members.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case string s:
                writer.WriteStringValue(s);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case IEnumerable<KeyValuePair<string, object>> nested:
                WriteObject(writer, nested);
                break;
            case IEnumerable<object> list:
                writer.WriteStartArray();
                foreach (var item in list) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"canonical JSON holds strings, integers, booleans, objects and arrays, not {value.GetType().Name}", nameof(value));
        }
    }

    /// <summary>True when <paramref name="bytes"/> are exactly what <see cref="Write"/> gives for the same document.</summary>
    public static bool IsCanonical(ReadOnlySpan<byte> bytes, JsonElement parsed) =>
        bytes.SequenceEqual(Write(Members(parsed)));

    /// <summary>The members of a parsed object, as <see cref="Write"/> takes them.</summary>
    public static IEnumerable<KeyValuePair<string, object>> Members(JsonElement element)
    {
        foreach (var property in element.EnumerateObject())
            yield return new(property.Name, Value(property.Value));
    }

    private static object Value(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Number when e.TryGetInt64(out var l) => l,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Object => Members(e).ToList(),
        JsonValueKind.Array => e.EnumerateArray().Select(Value).ToList(),
        _ => throw new FormatException($"canonical JSON has no {e.ValueKind} values (only strings, integers, booleans, objects, arrays)"),
    };

    internal static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
