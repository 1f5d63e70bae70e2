using Recorder.Crypto.Signing;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Crypto.Signing;

/// <summary>
/// Interop with the real ssh-keygen (OpenSSH 9.2, Debian), both ways: keys it
/// makes load here with the same public key line and fingerprint; signatures made
/// here pass <c>ssh-keygen -Y verify</c> as an auditor runs it and are byte for
/// byte what <c>ssh-keygen -Y sign</c> writes; its signatures verify here.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SshKeygenInteropTests : IClassFixture<SshKeygenKeys>
{
    private readonly SshKeygenKeys _keys;

    public SshKeygenInteropTests(SshKeygenKeys keys) => _keys = keys;

    /// <summary>Empty, one byte, a manifest-sized text, and more than one SHA-512 block many times over.</summary>
    public static TheoryData<int> Sizes() => new(0, 1, 700, 100_000);

    [Fact]
    public async Task Loaded_key_has_the_public_key_line_and_fingerprint_ssh_keygen_gives()
    {
        using var key = SshEd25519PrivateKey.Load(_keys.Signer);
        var publicLine = File.ReadAllText(_keys.Signer + ".pub").Trim();
        Assert.Equal(publicLine, key.PublicKey.ToOpenSsh());
        Assert.Equal(SshKeygenKeys.SignerIdentity, key.PublicKey.Comment);
        Assert.Equal(key.PublicKey, SshEd25519PublicKey.Parse(publicLine));

        // "256 SHA256:… signer@recorder (ED25519)"
        var listed = await SshKeygenKeys.RunAsync(["-l", "-f", _keys.Signer]);
        Assert.Equal(0, listed.ExitCode);
        Assert.Equal(listed.StandardOutput.Split(' ')[1], key.PublicKey.Fingerprint);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Ssh_keygen_verifies_our_signature(int size)
    {
        var message = TestBytes.Random(size, seed: size);
        using var key = SshEd25519PrivateKey.Load(_keys.Signer);
        var (exitCode, output) = await _keys.VerifyAsync(SshSignature.Sign(key, SshKeygenKeys.Namespace, message), message);
        Assert.True(exitCode == 0, output);
        Assert.Contains($"Good \"{SshKeygenKeys.Namespace}\" signature for {SshKeygenKeys.SignerIdentity}", output);
    }

    [Fact]
    public async Task Ssh_keygen_rejects_our_signature_of_other_content()
    {
        // The control for the test above: the auditor's check can fail.
        var message = TestBytes.Random(700, seed: 1);
        using var key = SshEd25519PrivateKey.Load(_keys.Signer);
        var armored = SshSignature.Sign(key, SshKeygenKeys.Namespace, message);
        message[350] ^= 1;
        var (exitCode, output) = await _keys.VerifyAsync(armored, message);
        Assert.NotEqual(0, exitCode);
        Assert.DoesNotContain("Good", output);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Our_signature_is_byte_identical_to_ssh_keygen_sign(int size)
    {
        var message = TestBytes.Random(size, seed: size + 1);
        using var key = SshEd25519PrivateKey.Load(_keys.Signer);
        Assert.Equal(await _keys.SignAsync(_keys.Signer, message), SshSignature.Sign(key, SshKeygenKeys.Namespace, message));
    }

    [Theory]
    [InlineData("sha512")]
    [InlineData("sha256")]
    public async Task We_verify_what_ssh_keygen_signs(string hashAlgorithm)
    {
        var message = TestBytes.Random(700, seed: 2);
        var armored = await _keys.SignAsync(_keys.Signer, message, SshKeygenKeys.Namespace, "-O", $"hashalg={hashAlgorithm}");
        Assert.Equal(hashAlgorithm, Signatures.HashAlgorithmOf(armored));

        using var key = SshEd25519PrivateKey.Load(_keys.Signer);
        var check = SshSignature.Verify(armored, SshKeygenKeys.Namespace, message);
        Assert.Equal(new SshSignatureCheck(true, key.PublicKey, null), check);
    }
}
