using System.Security.Cryptography;

namespace Recorder.Tests.Infrastructure;

/// <summary>Reproducible test data and the SHA-256 comparisons tests use (a 200 proves nothing).</summary>
public static class TestBytes
{
    public const int MiB = 1024 * 1024;

    public static byte[] Random(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexString(SHA256.HashData(data));

    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
