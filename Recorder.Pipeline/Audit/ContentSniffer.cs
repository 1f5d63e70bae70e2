using System.Text.Unicode;

namespace Recorder.Pipeline.Audit;

/// <summary>What an object's first bytes look like, for findings about objects that are not what they should be.</summary>
public static class ContentSniffer
{
    /// <summary>How many first bytes <see cref="Describe"/> wants.</summary>
    public const int SniffBytes = 512;

    public static bool IsAge(ReadOnlySpan<byte> first) => first.StartsWith("age-encryption.org/v1\n"u8);

    public static string Describe(ReadOnlySpan<byte> first)
    {
        if (first.Length == 0) return "empty";
        if (IsAge(first)) return "an age v1 file";
        if (first.StartsWith("-----BEGIN AGE ENCRYPTED FILE-----"u8)) return "an ASCII-armored age file";
        if (first.Length >= 8 && first[4..8].SequenceEqual("ftyp"u8)) return "an unencrypted MP4 (ftyp box)";
        if (first.Length >= 8 && (first[4..8].SequenceEqual("moof"u8) || first[4..8].SequenceEqual("styp"u8))) return "an unencrypted MP4 fragment";
        if (first.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])) return "unencrypted Matroska/WebM";
        if (first.StartsWith("RIFF"u8)) return "an unencrypted RIFF file (WAV/AVI)";
        if (first.StartsWith("OggS"u8)) return "unencrypted Ogg";
        if (first.StartsWith("ID3"u8) || (first.Length > 1 && first[0] == 0xFF && (first[1] & 0xE0) == 0xE0)) return "unencrypted MP3/AAC audio";
        if (first.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B])) return "gzip-compressed data";
        if (first.StartsWith("PK"u8)) return "a ZIP archive";
        if (LooksLikeText(first))
        {
            var trimmed = first.TrimStart(" \t\r\n"u8);
            return trimmed.Length > 0 && trimmed[0] is (byte)'{' or (byte)'[' ? "JSON text" : "plain text";
        }
        return "unknown binary data";
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> first)
    {
        if (Utf8.IsValid(first) is false && Utf8.IsValid(first[..Math.Max(0, first.Length - 3)]) is false) return false;
        foreach (var b in first)
        {
            if (b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t') return false;
        }
        return true;
    }
}
