using System.Globalization;

namespace Recorder.Storage;

/// <summary>
/// Where a <see cref="MultipartUploadSink"/> keeps the bytes not yet in an
/// uploaded part (<see cref="MultipartUploadOptions.TailCheckpointInterval"/>):
/// <c>{key}.tail/{part:00000}-{offset:0000000000}</c>, each object a run of the
/// part's bytes from that offset. They hold what the sink was given (for a
/// recording: age ciphertext, never plaintext), are deleted once their part is
/// stored, and are appended as the last parts by <see cref="MultipartUploadRecovery"/>.
/// </summary>
public static class TailPieces
{
    public const string Suffix = ".tail/";

    public static string Prefix(string key) => key + Suffix;

    private const string EndMark = "-end";

    public static string Key(string key, int part, long offset, bool endsPart = false) =>
        string.Create(CultureInfo.InvariantCulture, $"{key}{Suffix}{part:00000}-{offset:0000000000}{(endsPart ? EndMark : "")}");

    /// <summary>The part and offset a piece's key names, or null for another key.</summary>
    public static (int Part, long Offset)? Parse(string uploadKey, string pieceKey) =>
        ParsePiece(uploadKey, pieceKey) is { } piece ? (piece.Part, piece.Offset) : null;

    /// <summary>The part, offset and whether the piece ends its (sealed) part; null for another key.</summary>
    public static (int Part, long Offset, bool EndsPart)? ParsePiece(string uploadKey, string pieceKey)
    {
        var prefix = Prefix(uploadKey);
        if (!pieceKey.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var name = pieceKey.AsSpan(prefix.Length);
        var ends = name.EndsWith(EndMark, StringComparison.Ordinal);
        if (ends) name = name[..^EndMark.Length];
        return name.Length == 16 && name[5] == '-'
            && int.TryParse(name[..5], NumberStyles.None, CultureInfo.InvariantCulture, out var part)
            && long.TryParse(name[6..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? (part, offset, ends)
            : null;
    }
}
