using System.Security.Cryptography;
using Recorder.Crypto.Signing;

namespace Recorder.Pipeline.Signing;

/// <summary>
/// Where the recorder publishes its signing public keys in the bucket: <c>{prefix}signing-keys/{id}.pub</c>, one
/// OpenSSH public key line each (<c>id</c>: hex SHA-256 of the key's 32 bytes, so a key has one name). A key found
/// here is only as trustworthy as the bucket: <c>recorder verify --trust FILE</c> names the keys an auditor trusts.
/// </summary>
public static class SigningKeyDirectory
{
    public const string Folder = "signing-keys/";

    public static string Key(string prefix, SshEd25519PublicKey publicKey) =>
        $"{Normalize(prefix)}{Folder}{Convert.ToHexStringLower(SHA256.HashData(publicKey.Key.Span))}.pub";

    public static string FolderKey(string prefix) => Normalize(prefix) + Folder;

    private static string Normalize(string prefix) => prefix.Length > 0 && !prefix.EndsWith('/') ? prefix + "/" : prefix;
}
