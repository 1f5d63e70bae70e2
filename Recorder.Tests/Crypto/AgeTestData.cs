using System.Security.Cryptography;
using Recorder.Crypto;

namespace Recorder.Tests.Crypto;

/// <summary>Encrypts and decrypts in memory for the stream tests.</summary>
internal static class AgeTestData
{
    public const int Chunk = 65536;

    public static byte[] Random(int length) => RandomNumberGenerator.GetBytes(length);

    public static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static async Task<byte[]> EncryptAsync(byte[] plaintext, IReadOnlyList<IRecipient> recipients, int writeSize = 81920, AgeEncryptOptions? options = null)
    {
        using var output = new MemoryStream();
        await using (var age = await AgeEncryptor.CreateAsync(output, recipients, (options ?? new AgeEncryptOptions()) with { LeaveOpen = true }))
        {
            for (var offset = 0; offset < plaintext.Length; offset += writeSize)
                await age.WriteAsync(plaintext.AsMemory(offset, Math.Min(writeSize, plaintext.Length - offset)));
            await age.FinishAsync();
        }
        return output.ToArray();
    }

    public static async Task<byte[]> DecryptAsync(byte[] ciphertext, IReadOnlyList<IIdentity> identities, AgeDecryptOptions? options = null)
    {
        await using var plain = await AgeDecryptor.OpenAsync(new MemoryStream(ciphertext), identities, options ?? new AgeDecryptOptions());
        using var output = new MemoryStream();
        await plain.CopyToAsync(output);
        return output.ToArray();
    }

    public static async Task<byte[]> DecryptRangeAsync(byte[] ciphertext, IReadOnlyList<IIdentity> identities, long offset, int length, AgeDecryptOptions? options = null)
    {
        await using var plain = await AgeDecryptor.OpenRandomAccessAsync(new MemoryStream(ciphertext), identities, options);
        plain.Position = offset;
        var buffer = new byte[length];
        var read = await plain.ReadAtLeastAsync(buffer, length, throwOnEndOfStream: false);
        return buffer[..read];
    }
}
