using Recorder.Crypto.Signing;

namespace Recorder.Tests.Crypto.Signing;

/// <summary>Takes armored signatures apart and puts them back together, to make damaged ones.</summary>
internal static class Signatures
{
    public static byte[] Blob(string armored) =>
        SshSignatureArmor.Decode(armored, out var problem) ?? throw new InvalidOperationException(problem);

    public static string Armor(byte[] blob) => SshSignatureArmor.Encode(blob);

    public static string HashAlgorithmOf(string armored) =>
        (SshSignatureBlob.Decode(Blob(armored), out var problem) ?? throw new InvalidOperationException(problem)).HashAlgorithm;

    /// <summary>The armored signature with <paramref name="change"/> applied to a copy of its blob.</summary>
    public static string WithBlob(string armored, Func<byte[], byte[]> change) => Armor(change(Blob(armored)));
}
