using System.Globalization;
using System.Text;

namespace Recorder.Crypto.Transparency;

/// <summary>
/// A C2SP checkpoint (c2sp.org/tlog-checkpoint): the text of the signed note a log
/// publishes as its tree head. Three lines, then optional extension lines, each
/// ending in a newline:
/// <code>
/// &lt;origin&gt;
/// &lt;tree size, decimal, no leading zeros&gt;
/// &lt;base64 of the 32-byte RFC 6962 root hash&gt;
/// </code>
/// Sign <see cref="Format"/> with <see cref="SignedNote.Sign"/>; read the text of an
/// opened note with <see cref="Parse"/>, which accepts exactly what <see cref="Format"/> writes.
/// </summary>
public sealed class Checkpoint
{
    private readonly byte[] _rootHash;

    /// <summary>
    /// A checkpoint of the tree of <paramref name="size"/> leaves with head <paramref name="rootHash"/>.
    /// The origin must be non-empty and hold no newline or other character below U+0020 (the spec
    /// recommends a scheme-less URL, <c>example.com/log</c>); extension lines must be non-empty, likewise.
    /// </summary>
    public Checkpoint(string origin, long size, ReadOnlySpan<byte> rootHash, IReadOnlyList<string>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (!IsLine(origin)) throw new ArgumentException("the origin must be a non-empty line without control characters (below U+0020)", nameof(origin));
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (rootHash.Length != MerkleTree.HashSize) throw new ArgumentException("the root hash is 32 bytes (SHA-256)", nameof(rootHash));
        var lines = extensions?.ToArray() ?? [];
        if (!lines.All(IsLine))
            throw new ArgumentException("each extension line must be non-empty, without control characters (below U+0020)", nameof(extensions));

        Origin = origin;
        Size = size;
        _rootHash = rootHash.ToArray();
        Extensions = lines;
    }

    /// <summary>The log's identity, the first line.</summary>
    public string Origin { get; }

    /// <summary>The number of leaves in the tree.</summary>
    public long Size { get; }

    /// <summary>The RFC 6962 tree head of the first <see cref="Size"/> leaves.</summary>
    public ReadOnlySpan<byte> RootHash => _rootHash;

    /// <summary>Lines after the root hash (opaque; the spec does not recommend them).</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>The note text: origin, size, root hash and extension lines, each ending in a newline.</summary>
    public string Format()
    {
        var text = new StringBuilder()
            .Append(Origin).Append('\n')
            .Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(Convert.ToBase64String(_rootHash)).Append('\n');
        foreach (var line in Extensions) text.Append(line).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// Reads a checkpoint's note text (<see cref="SignedNote.Text"/>, after the signatures
    /// are verified). Throws <see cref="FormatException"/> naming the line that is wrong.
    /// </summary>
    public static Checkpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n')) throw Malformed("the text does not end with a newline");
        var lines = text[..^1].Split('\n');
        if (lines.Length < 3) throw Malformed($"{lines.Length} line(s), expected at least 3 (origin, tree size, root hash)");
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) throw Malformed($"line {i + 1} is empty");
            if (!IsLine(lines[i])) throw Malformed($"line {i + 1} holds a control character");
        }

        var sizeText = lines[1];
        if (!sizeText.All(char.IsAsciiDigit)) throw Malformed($"tree size \"{sizeText}\" is not a decimal number");
        if (sizeText.Length > 1 && sizeText[0] == '0') throw Malformed($"tree size \"{sizeText}\" has a leading zero");
        if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            throw Malformed($"tree size {sizeText} is too large");

        if (!NoteKeys.TryDecodeBase64(lines[2], out var rootHash)) throw Malformed("the root hash is not standard base64");
        if (rootHash.Length != MerkleTree.HashSize)
            throw Malformed($"the root hash is {rootHash.Length} bytes, not 32");

        return new Checkpoint(lines[0], size, rootHash, lines[3..]);
    }

    // The signed-note rule: no character below U+0020 (a newline would split the line).
    private static bool IsLine(string line) => line.Length > 0 && !line.Any(c => c < ' ');

    private static FormatException Malformed(string what) => new($"malformed checkpoint: {what}");
}
