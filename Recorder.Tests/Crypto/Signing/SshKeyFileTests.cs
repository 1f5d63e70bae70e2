using Recorder.Crypto.Signing;

namespace Recorder.Tests.Crypto.Signing;

/// <summary>
/// Private key files the recorder cannot sign with, from ssh-keygen where it can
/// make them, each refused with the message an operator acts on; and public key
/// lines.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SshKeyFileTests : IClassFixture<SshKeygenKeys>
{
    private readonly SshKeygenKeys _keys;

    public SshKeyFileTests(SshKeygenKeys keys) => _keys = keys;

    [Fact]
    public void Rsa_key_file_is_refused_by_type()
    {
        var e = Assert.Throws<SshKeyException>(() => SshEd25519PrivateKey.Load(_keys.Rsa));
        Assert.Equal((SshKeyProblem.UnsupportedType, $"{_keys.Rsa} is an ssh-rsa key; the recorder signs with Ed25519 keys only (ssh-keygen -t ed25519)"),
            (e.Problem, e.Message));
    }

    [Fact]
    public void Passphrase_protected_key_file_is_refused_with_the_command_that_removes_it()
    {
        var e = Assert.Throws<SshKeyException>(() => SshEd25519PrivateKey.Load(_keys.Protected));
        Assert.Equal(
            (SshKeyProblem.PassphraseProtected,
                $"{_keys.Protected} is protected by a passphrase; the recorder needs an unencrypted key (ssh-keygen -p -N '' -f {_keys.Protected}) kept readable only by the service user"),
            (e.Problem, e.Message));
    }

    [Fact]
    public void Parsed_text_without_a_path_says_the_key_and_FILE()
    {
        var e = Assert.Throws<SshKeyException>(() => SshEd25519PrivateKey.Parse(File.ReadAllText(_keys.Protected)));
        Assert.Equal("the key is protected by a passphrase; the recorder needs an unencrypted key (ssh-keygen -p -N '' -f FILE) kept readable only by the service user", e.Message);
        e = Assert.Throws<SshKeyException>(() => SshEd25519PrivateKey.Parse(File.ReadAllText(_keys.Rsa)));
        Assert.Equal("the key is an ssh-rsa key; the recorder signs with Ed25519 keys only (ssh-keygen -t ed25519)", e.Message);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var path = _keys.PathOf("no-such-key");
        var e = Assert.Throws<FileNotFoundException>(() => SshEd25519PrivateKey.Load(path));
        Assert.Equal((path, $"the key file {path} does not exist"), (e.FileName, e.Message));
        Assert.Throws<FileNotFoundException>(() => SshEd25519PrivateKey.Load(_keys.PathOf("no-such-folder/key")));
    }

    [Fact]
    public void Public_key_file_where_the_private_key_belongs_is_named()
    {
        var e = Assert.Throws<SshKeyException>(() => SshEd25519PrivateKey.Load(_keys.Signer + ".pub"));
        Assert.Equal((SshKeyProblem.NotAKey, $"{_keys.Signer}.pub is a public key (ssh-ed25519 …); the recorder needs the private key (the file without .pub)"),
            (e.Problem, e.Message));
    }

    [Theory]
    [InlineData("", SshKeyProblem.NotAKey, "the key is not an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----)")]
    [InlineData("{\"manifest\": 1}", SshKeyProblem.NotAKey, "the key is not an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----)")]
    [InlineData("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n", SshKeyProblem.UnsupportedType,
        "the key is an ecdsa key; the recorder signs with Ed25519 keys only (ssh-keygen -t ed25519)")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", SshKeyProblem.NotAKey,
        "the key is a PKCS#8 key (openssl); the recorder reads OpenSSH private keys (-----BEGIN OPENSSH PRIVATE KEY-----, from ssh-keygen -t ed25519)")]
    public void Other_text_is_not_a_key(string text, SshKeyProblem problem, string message)
    {
        var e = Assert.Throws<SshKeyException>(() => SshEd25519PrivateKey.Parse(text));
        Assert.Equal((problem, message), (e.Problem, e.Message));
    }

    [Fact]
    public void Truncated_key_file_is_damaged()
    {
        var text = File.ReadAllText(_keys.Signer);
        var e = Assert.Throws<SshKeyException>(() => SshEd25519PrivateKey.Parse(text.AsSpan(0, text.Length / 2)));
        Assert.Equal((SshKeyProblem.Damaged, "the key is a damaged OpenSSH private key: the -----END OPENSSH PRIVATE KEY----- line is missing (truncated?)"),
            (e.Problem, e.Message));
    }

    [Fact]
    public void Key_file_whose_secret_was_changed_is_damaged()
    {
        // The last 64 bytes before the comment are seed || public key: change the seed's last byte.
        var lines = File.ReadAllText(_keys.Signer).Trim().Split('\n');
        var bytes = Convert.FromBase64String(string.Concat(lines[1..^1]));
        var comment = System.Text.Encoding.UTF8.GetBytes(SshKeygenKeys.SignerIdentity);
        var seedEnd = bytes.AsSpan().LastIndexOf(comment) - 4 - 32;
        bytes[seedEnd - 1] ^= 1;
        var text = $"{lines[0]}\n{Convert.ToBase64String(bytes)}\n{lines[^1]}\n";

        var e = Assert.Throws<SshKeyException>(() => SshEd25519PrivateKey.Parse(text));
        Assert.Equal((SshKeyProblem.Damaged, "the key is a damaged OpenSSH private key: the secret does not give the public key in the file"),
            (e.Problem, e.Message));
    }

    [Theory]
    [InlineData("", "not an OpenSSH public key: the line is empty")]
    [InlineData("hello world", "not an OpenSSH public key: expected ssh-ed25519 AAAA… comment")]
    [InlineData("ssh-ed25519", "not an OpenSSH public key: the base64 key after ssh-ed25519 is missing")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5!", "not an OpenSSH public key: the base64 key is damaged or mistyped")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==", "not an OpenSSH public key: the base64 key is damaged or mistyped")]
    [InlineData("ssh-rsa AAAAB3NzaC1yc2E= me", "the key is an ssh-rsa key; the recorder signs with Ed25519 keys only (ssh-keygen -t ed25519)")]
    [InlineData("restrict ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 me",
        "not an OpenSSH public key: options or names before ssh-ed25519 are not supported; give the key alone (ssh-ed25519 AAAA… comment)")]
    [InlineData("ssh-ed25519 AAAAB3NzaC1yc2E= me", "not an OpenSSH public key: the line says ssh-ed25519 but the key in it is ssh-rsa")]
    public void Bad_public_key_lines_say_what_is_wrong(string line, string message)
    {
        Assert.Equal(message, Assert.Throws<SshKeyException>(() => SshEd25519PublicKey.Parse(line)).Message);
    }

    [Fact]
    public void Public_keys_are_equal_by_key_bytes_not_comment()
    {
        using var key = SshEd25519PrivateKey.Load(_keys.Signer);
        var bare = SshEd25519PublicKey.FromRaw(key.PublicKey.Key.Span);
        Assert.Equal(key.PublicKey, bare);
        Assert.Equal(key.PublicKey.GetHashCode(), bare.GetHashCode());
        Assert.Equal(key.PublicKey.Fingerprint, bare.Fingerprint);
        Assert.Equal(key.PublicKey.ToOpenSsh().Split(' ')[..2], bare.ToOpenSsh().Split(' '));
        Assert.False(bare.ToOpenSsh().EndsWith(' '));
        Assert.Equal(bare, SshEd25519PublicKey.Parse(bare.ToOpenSsh()));
        Assert.Equal("", SshEd25519PublicKey.Parse(bare.ToOpenSsh()).Comment);

        using var other = SshEd25519PrivateKey.Load(_keys.Other);
        Assert.NotEqual(key.PublicKey, other.PublicKey);
        Assert.Throws<ArgumentException>(() => SshEd25519PublicKey.FromRaw(new byte[31]));
        Assert.Throws<ArgumentException>(() => SshEd25519PublicKey.FromRaw(new byte[32], "two\nlines"));
    }

    [Fact]
    public void Private_key_shows_only_its_fingerprint_and_cannot_sign_once_disposed()
    {
        var key = SshEd25519PrivateKey.Load(_keys.Signer);
        Assert.Equal($"SshEd25519PrivateKey({key.PublicKey.Fingerprint})", key.ToString());
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.SignRaw([1, 2, 3]));
    }
}
