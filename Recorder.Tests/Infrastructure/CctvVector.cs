using System.IO.Compression;
using System.Text;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// One C2SP CCTV age test vector: <c>key: value</c> header lines, a blank line,
/// then the age file (zlib-compressed when <c>compressed: zlib</c>).
/// </summary>
public sealed record CctvVector(string Name, string Expect, string? PayloadSha256, IReadOnlyList<string> Identities,
    bool Armored, bool HasPassphrase, byte[] File)
{
    /// <summary>Kept in the repository (TestData/README.md says where they come from).</summary>
    public static string Folder => Path.Combine(RepositoryPaths.Root, "Recorder.Tests", "TestData", "age-vectors");

    public static IReadOnlyList<CctvVector> LoadAll()
    {
        if (!Directory.Exists(Folder)) throw new DirectoryNotFoundException($"CCTV vectors not found at {Folder}");
        return Directory.GetFiles(Folder).Order(StringComparer.Ordinal).Select(Load).ToArray();
    }

    public static CctvVector Load(string path)
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        var split = bytes.AsSpan().IndexOf("\n\n"u8);
        if (split < 0) throw new InvalidDataException($"{path}: no blank line after the vector header");
        var fields = Encoding.ASCII.GetString(bytes, 0, split).Split('\n')
            .Select(l => l.Split(": ", 2)).Where(p => p.Length == 2).ToArray();
        string? Get(string key) => fields.FirstOrDefault(p => p[0] == key)?[1];
        var file = bytes[(split + 2)..];
        if (Get("compressed") == "zlib")
        {
            using var z = new ZLibStream(new MemoryStream(file), CompressionMode.Decompress);
            using var output = new MemoryStream();
            z.CopyTo(output);
            file = output.ToArray();
        }
        return new CctvVector(Path.GetFileName(path), Get("expect") ?? throw new InvalidDataException($"{path}: no expect"),
            Get("payload"), fields.Where(p => p[0] == "identity").Select(p => p[1]).ToArray(),
            Get("armored") == "yes", Get("passphrase") is not null, file);
    }

    /// <summary>Why this implementation does not run the vector, or null when it does.</summary>
    public string? SkipReason =>
        Armored ? "armored (ASCII armor is not supported)"
        : HasPassphrase ? "scrypt passphrase recipient (not supported)"
        : Identities.Any(i => i.StartsWith("AGE-SECRET-KEY-PQ-", StringComparison.Ordinal)) ? "post-quantum hybrid identity (not supported)"
        : Identities.Count == 0 ? "no X25519 identity"
        : null;
}
