namespace Recorder.Crypto.Signing;

/// <summary>Text from a file or signature (a key type, a namespace) made safe to put in a message.</summary>
internal static class UntrustedText
{
    private const int MaxChars = 64;

    /// <summary>Control characters become '?' (no forged log lines); longer text is cut at 64 characters.</summary>
    public static string Printable(string text)
    {
        var cut = text.Length > MaxChars ? text[..MaxChars] : text;
        var printable = string.Create(cut.Length, cut, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = char.IsControl(source[i]) ? '?' : source[i];
        });
        return cut.Length < text.Length ? printable + "…" : printable;
    }
}
