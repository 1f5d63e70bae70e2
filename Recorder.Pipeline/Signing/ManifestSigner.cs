using System.Text;
using Recorder.Crypto.Signing;

namespace Recorder.Pipeline.Signing;

/// <summary>
/// Signs each version of a recording's manifest with the recorder's OpenSSH Ed25519 key: a detached SSHSIG signature
/// (namespace <see cref="Namespace"/>) stored next to it as <c>manifest.json.sig</c>, which the stock
/// <c>ssh-keygen -Y verify -n recorder-manifest</c> checks (docs/audit.md has the exact command).
/// </summary>
public sealed class ManifestSigner : IDisposable
{
    /// <summary>The SSHSIG namespace: a manifest signature cannot be replayed as any other kind of signature.</summary>
    public const string Namespace = "recorder-manifest";

    /// <summary>Appended to the manifest's key for its signature.</summary>
    public const string SignatureSuffix = ".sig";

    /// <summary>The environment variable naming the key file when <c>--signing-key</c> is not given.</summary>
    public const string KeyVariable = "RECORDER_SIGNING_KEY";

    private readonly SshEd25519PrivateKey _key;

    public ManifestSigner(SshEd25519PrivateKey key) => _key = key ?? throw new ArgumentNullException(nameof(key));

    /// <summary>Reads an unencrypted OpenSSH Ed25519 private key (<c>ssh-keygen -t ed25519 -N ''</c>).</summary>
    public static ManifestSigner Load(string path) => new(SshEd25519PrivateKey.Load(path));

    public SshEd25519PublicKey PublicKey => _key.PublicKey;

    /// <summary>The armored signature of exactly these manifest bytes.</summary>
    public byte[] Sign(ReadOnlySpan<byte> manifest) => Encoding.ASCII.GetBytes(SshSignature.Sign(_key, Namespace, manifest));

    /// <summary>A raw Ed25519 signature (audit-log events and checkpoints are signed with the same key).</summary>
    public byte[] SignRaw(ReadOnlySpan<byte> data) => _key.SignRaw(data);

    public void Dispose() => _key.Dispose();
}
