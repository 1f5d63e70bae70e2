using System.Security.Cryptography;
using Recorder.Crypto;
using Recorder.Crypto.Keys;

namespace Recorder.Tests.Cli;

internal static class AgeTestDataForCli
{
    public static byte[] Random(int length) => RandomNumberGenerator.GetBytes(length);

    /// <summary>Encrypts with the library for the recipient of an identity file.</summary>
    public static async Task<byte[]> EncryptForAsync(byte[] plaintext, string identityPath)
    {
        var identities = AgeKeyFile.ReadIdentities(identityPath);
        try
        {
            return await Crypto.AgeTestData.EncryptAsync(plaintext, identities.Select(i => (IRecipient)i.Recipient).ToArray());
        }
        finally
        {
            foreach (var i in identities) i.Dispose();
        }
    }

    /// <summary>Everything after the header (nonce and chunks) is byte-identical.</summary>
    internal static async Task AssertSamePayloadAsync(byte[] original, byte[] rewrapped)
    {
        var a = await Recorder.Crypto.AgeInspector.InspectAsync(new MemoryStream(original));
        var b = await Recorder.Crypto.AgeInspector.InspectAsync(new MemoryStream(rewrapped));
        Assert.NotEqual(a.HeaderLengthBytes, b.HeaderLengthBytes);
        Assert.Equal(Crypto.AgeTestData.Sha256(original[a.HeaderLengthBytes..]), Crypto.AgeTestData.Sha256(rewrapped[b.HeaderLengthBytes..]));
    }

}
