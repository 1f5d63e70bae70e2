using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Recorder.Crypto.Format;

namespace Recorder.Crypto.Recipients;

/// <summary>
/// The <c>recorder-aws-kms</c> stanza: <c>-&gt; recorder-aws-kms KEY-ARN CONTEXT</c>, where
/// CONTEXT is unpadded base64 of the encryption context as a JSON object with
/// ordinally sorted keys, and the body is KMS's CiphertextBlob for the file key.
/// </summary>
internal static class KmsStanza
{
    public const string Type = "recorder-aws-kms";
    private const int MaxBodyBytes = 6 * 1024;

    public static AgeStanza Create(string keyId, IReadOnlyDictionary<string, string> context, byte[] ciphertextBlob) =>
        new(Type, [keyId, EncodeContext(context)], ciphertextBlob);

    public static string EncodeContext(IReadOnlyDictionary<string, string> context)
    {
        var sorted = new SortedDictionary<string, string>(context.ToDictionary(), StringComparer.Ordinal);
        return CanonicalBase64.Encode(JsonSerializer.SerializeToUtf8Bytes(sorted, KmsContextJson.Default.SortedDictionaryStringString));
    }

    /// <summary>The key id and context of a stanza of this type; a malformed one is a corrupt header.</summary>
    public static (string KeyId, Dictionary<string, string> Context) Read(AgeStanza stanza)
    {
        if (stanza.Arguments.Count != 2) throw AgeDecryptionException.Header($"{Type} stanza must have exactly two arguments");
        if (stanza.Body.Length is 0 or > MaxBodyBytes) throw AgeDecryptionException.Header($"{Type} stanza body has an invalid length");
        if (!CanonicalBase64.TryDecode(stanza.Arguments[1], out var json))
            throw AgeDecryptionException.Header($"{Type} stanza context is not canonical base64");
        try
        {
            var context = JsonSerializer.Deserialize(json, KmsContextJson.Default.DictionaryStringString)
                ?? throw AgeDecryptionException.Header($"{Type} stanza context is null");
            return (stanza.Arguments[0], context);
        }
        catch (JsonException)
        {
            throw AgeDecryptionException.Header($"{Type} stanza context is not a JSON object of strings");
        }
    }

    public static string Describe(IReadOnlyDictionary<string, string> context) =>
        string.Join(", ", context.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    internal static string DecodeForDisplay(string argument) =>
        CanonicalBase64.TryDecode(argument, out var json) ? Encoding.UTF8.GetString(json) : "(invalid)";
}

/// <summary>Source-generated (no reflection, so the CLI can be compiled ahead of time) JSON of the encryption context.</summary>
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class KmsContextJson : JsonSerializerContext;
