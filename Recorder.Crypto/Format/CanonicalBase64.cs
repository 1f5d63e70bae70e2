namespace Recorder.Crypto.Format;

/// <summary>
/// Standard base64 without padding, as age writes it. Decoding is strict: no
/// padding, no whitespace, and the unused low bits of the last character must be
/// zero, so every value has exactly one encoding (the spec's "canonical").
/// </summary>
internal static class CanonicalBase64
{
    public static string Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=');

    public static int EncodedLength(int byteCount) => checked((byteCount * 8 + 5) / 6);

    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] data)
    {
        data = [];
        if (text.Length % 4 == 1) return false;
        foreach (var c in text)
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '+' or '/')) return false;

        var padded = text.Length % 4 == 0 ? text.ToString() : text.ToString() + new string('=', 4 - text.Length % 4);
        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return false;
        }
        // Re-encoding must give the same text: rejects non-zero trailing bits.
        if (!text.SequenceEqual(Encode(decoded))) return false;
        data = decoded;
        return true;
    }
}
