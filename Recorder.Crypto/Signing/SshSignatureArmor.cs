using System.Text;

namespace Recorder.Crypto.Signing;

/// <summary>
/// The armor of an SSH signature (PROTOCOL.sshsig §1) exactly as ssh-keygen
/// writes it: the BEGIN line, base64 in lines of 70 characters, the END line,
/// each ending in a newline. Reading accepts what ssh-keygen accepts: CRLF line
/// ends, and anything after the END line.
/// </summary>
internal static class SshSignatureArmor
{
    internal const string Begin = "-----BEGIN SSH SIGNATURE-----";
    internal const string End = "-----END SSH SIGNATURE-----";
    private const int LineChars = 70;

    public static string Encode(ReadOnlySpan<byte> blob)
    {
        var base64 = Convert.ToBase64String(blob);
        var text = new StringBuilder(Begin.Length + base64.Length + base64.Length / LineChars + End.Length + 4);
        text.Append(Begin).Append('\n');
        for (var start = 0; start < base64.Length; start += LineChars)
            text.Append(base64, start, Math.Min(LineChars, base64.Length - start)).Append('\n');
        return text.Append(End).Append('\n').ToString();
    }

    /// <summary>The blob, or null with the reason (a sentence after "not an SSH signature: ").</summary>
    public static byte[]? Decode(string armored, out string problem)
    {
        problem = "";
        var text = armored.AsSpan();
        if (!text.StartsWith(Begin, StringComparison.Ordinal))
        {
            problem = $"it does not begin with {Begin}";
            return null;
        }
        text = text[Begin.Length..];
        if (text.StartsWith("\r\n", StringComparison.Ordinal)) text = text[2..];
        else if (text.StartsWith("\n", StringComparison.Ordinal)) text = text[1..];
        else
        {
            problem = $"no line break after {Begin}";
            return null;
        }
        var end = text.IndexOf("\n" + End, StringComparison.Ordinal);
        if (end < 0)
        {
            problem = $"the {End} line is missing (truncated?)";
            return null;
        }
        var base64 = text[..end];
        var blob = new byte[base64.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64Chars(base64, blob, out var length))
        {
            problem = "the base64 between the armor lines is damaged";
            return null;
        }
        return blob[..length];
    }
}
