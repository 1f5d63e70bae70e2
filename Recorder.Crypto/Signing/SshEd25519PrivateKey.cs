using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Recorder.Crypto.Primitives;

namespace Recorder.Crypto.Signing;

/// <summary>
/// An OpenSSH Ed25519 private key, as <c>ssh-keygen -t ed25519 -N ''</c> writes it
/// (unencrypted <c>openssh-key-v1</c>). The 32-byte seed lives in pinned memory
/// wiped on <see cref="Dispose"/>; it is never exposed.
/// </summary>
public sealed class SshEd25519PrivateKey : IDisposable
{
    /// <summary>An Ed25519 key file is about 400 bytes; anything past this is not one.</summary>
    private const int MaxFileBytes = 64 * 1024;

    private readonly SecretBuffer _seed;
    private bool _disposed;

    private SshEd25519PrivateKey(SecretBuffer seed, SshEd25519PublicKey publicKey)
    {
        _seed = seed;
        PublicKey = publicKey;
    }

    /// <summary>The matching public key, with the comment stored in the key file.</summary>
    public SshEd25519PublicKey PublicKey { get; }

    /// <summary>Parses the text of a key file (<c>-----BEGIN OPENSSH PRIVATE KEY-----</c> …).</summary>
    /// <exception cref="SshKeyException">Not an unencrypted OpenSSH Ed25519 key; <see cref="SshKeyException.Problem"/> says why.</exception>
    public static SshEd25519PrivateKey Parse(ReadOnlySpan<char> openSshPrivateKeyFile)
    {
        var (seed, publicKey) = OpenSshPrivateKeyFile.Read(openSshPrivateKeyFile, "the key", "FILE");
        return new SshEd25519PrivateKey(seed, publicKey);
    }

    /// <summary>Reads a key file; errors name the file and say how to fix it.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable by this user.</exception>
    /// <exception cref="SshKeyException">Not an unencrypted OpenSSH Ed25519 key; <see cref="SshKeyException.Problem"/> says why.</exception>
    public static SshEd25519PrivateKey Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // Bytes and characters hold the secret's base64: pinned, and wiped afterwards (a string could not be).
        var bytes = ReadSmallFile(path);
        var chars = GC.AllocateUninitializedArray<char>(bytes.Length, pinned: true);
        try
        {
            if (!Ascii.IsValid(bytes) || bytes.AsSpan().Contains((byte)0))
                throw new SshKeyException(SshKeyProblem.NotAKey, $"{path} is not an OpenSSH private key (it is not text)");
            for (var i = 0; i < bytes.Length; i++) chars[i] = (char)bytes[i];
            var (seed, publicKey) = OpenSshPrivateKeyFile.Read(chars, path, ShellWord(path));
            return new SshEd25519PrivateKey(seed, publicKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(chars.AsSpan()));
        }
    }

    /// <summary>The raw 64-byte RFC 8032 Ed25519 signature of <paramref name="data"/> (deterministic).</summary>
    public byte[] SignRaw(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var signature = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(_seed.Span, PublicKey.Key.Span, data, signature);
        return signature;
    }

    /// <summary>Wraps a raw seed (RFC 8032 test vectors, in tests).</summary>
    internal static SshEd25519PrivateKey FromSeed(ReadOnlySpan<byte> seed, string comment = "")
    {
        if (seed.Length != Ed25519.SeedSize) throw new ArgumentException("an Ed25519 seed is 32 bytes", nameof(seed));
        Span<byte> publicKey = stackalloc byte[Ed25519.PublicKeySize];
        Ed25519.DerivePublicKey(seed, publicKey);
        return new SshEd25519PrivateKey(new SecretBuffer(seed), SshEd25519PublicKey.FromRaw(publicKey, comment));
    }

    public void Dispose()
    {
        _seed.Dispose();
        _disposed = true;
    }

    /// <summary>Shows the public fingerprint only.</summary>
    public override string ToString() => $"SshEd25519PrivateKey({PublicKey.Fingerprint})";

    private static byte[] ReadSmallFile(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            if (stream.Length > MaxFileBytes)
                throw new SshKeyException(SshKeyProblem.NotAKey, $"{path} is not an OpenSSH private key (it is {stream.Length} bytes)");
            var bytes = GC.AllocateArray<byte>((int)stream.Length, pinned: true);
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"the key file {path} does not exist", path, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"cannot read the key file {path}: permission denied (it must be readable by the service user)", e);
        }
    }

    /// <summary>The path as one shell word, for a command in a hint.</summary>
    private static string ShellWord(string path) =>
        path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or '@' or ':')
            ? path
            : "'" + path.Replace("'", "'\\''") + "'";
}
