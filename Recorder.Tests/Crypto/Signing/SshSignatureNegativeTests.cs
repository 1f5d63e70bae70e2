using System.Buffers.Binary;
using System.Text;
using Recorder.Crypto.Signing;

namespace Recorder.Tests.Crypto.Signing;

/// <summary>
/// Signatures that must not verify, each with the sentence it reports, and the
/// signer whenever the blob names one; and a signature by another key, which is
/// valid and names that key, because trust is the caller's decision.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SshSignatureNegativeTests : IClassFixture<SshKeygenKeys>, IDisposable
{
    private const string Mismatch =
        "the signature does not match the content: the content was changed after signing, or it was signed by another key";

    private readonly SshKeygenKeys _keys;
    private readonly SshEd25519PrivateKey _signer;
    private readonly byte[] _message = Encoding.UTF8.GetBytes("{\"recording\":\"r-1\",\"parts\":[\"a\",\"b\"]}\n");
    private readonly string _armored;

    public SshSignatureNegativeTests(SshKeygenKeys keys)
    {
        _keys = keys;
        _signer = SshEd25519PrivateKey.Load(keys.Signer);
        _armored = SshSignature.Sign(_signer, SshKeygenKeys.Namespace, _message);
    }

    public void Dispose() => _signer.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(-1)]
    public void One_changed_byte_of_the_content_is_a_mismatch(int index)
    {
        var changed = _message.ToArray();
        changed[index < 0 ? changed.Length + index : index] ^= 0x20;
        Assert.Equal(new SshSignatureCheck(false, _signer.PublicKey, Mismatch), SshSignature.Verify(_armored, SshKeygenKeys.Namespace, changed));
    }

    [Fact]
    public async Task Signature_for_another_namespace_is_refused_naming_both()
    {
        var theirs = await _keys.SignAsync(_keys.Signer, _message, "file");
        var expected = new SshSignatureCheck(false, _signer.PublicKey, "signed for namespace 'file', expected 'recorder-manifest'");
        Assert.Equal(expected, SshSignature.Verify(theirs, SshKeygenKeys.Namespace, _message));
        Assert.Equal(expected, SshSignature.Verify(SshSignature.Sign(_signer, "file", _message), SshKeygenKeys.Namespace, _message));
    }

    [Fact]
    public void Signature_by_another_key_is_valid_and_names_that_key()
    {
        using var other = SshEd25519PrivateKey.Load(_keys.Other);
        var armored = SshSignature.Sign(other, SshKeygenKeys.Namespace, _message);
        var check = SshSignature.Verify(armored, SshKeygenKeys.Namespace, _message);
        Assert.Equal(new SshSignatureCheck(true, other.PublicKey, null), check);
        Assert.NotEqual(_signer.PublicKey, check.Signer);

        var changed = _message.Append((byte)'\n').ToArray();
        Assert.Equal(new SshSignatureCheck(false, other.PublicKey, Mismatch), SshSignature.Verify(armored, SshKeygenKeys.Namespace, changed));
    }

    [Fact]
    public void Key_in_the_blob_replaced_by_another_is_a_mismatch()
    {
        // Someone swaps in their key to claim the signature: it names them, and does not verify.
        using var other = SshEd25519PrivateKey.Load(_keys.Other);
        var forged = Signatures.WithBlob(_armored, blob => Replace(blob, _signer.PublicKey.Key.Span, other.PublicKey.Key.Span));
        Assert.Equal(new SshSignatureCheck(false, other.PublicKey, Mismatch), SshSignature.Verify(forged, SshKeygenKeys.Namespace, _message));
    }

    [Theory]
    [InlineData("empty", "it does not begin with -----BEGIN SSH SIGNATURE-----")]
    [InlineData("leading blank line", "it does not begin with -----BEGIN SSH SIGNATURE-----")]
    [InlineData("header only", "no line break after -----BEGIN SSH SIGNATURE-----")]
    [InlineData("cut in the base64", "the -----END SSH SIGNATURE----- line is missing (truncated?)")]
    [InlineData("cut in the footer", "the -----END SSH SIGNATURE----- line is missing (truncated?)")]
    [InlineData("garbled base64 character", "the base64 between the armor lines is damaged")]
    [InlineData("one base64 line dropped", "the base64 between the armor lines is damaged")]
    [InlineData("not SSHSIG", "the blob does not start with SSHSIG")]
    [InlineData("blob cut short", "it ends in the middle of a field (truncated?)")]
    [InlineData("data after the blob", "data follows the signature")]
    [InlineData("signature of 63 bytes", "the ssh-ed25519 signature is not 64 bytes")]
    public void Damaged_armor_or_blob_is_not_a_signature(string damage, string problem)
    {
        var lines = _armored.Split('\n');
        var armored = damage switch
        {
            "empty" => "",
            "leading blank line" => "\n" + _armored,
            "header only" => lines[0],
            "cut in the base64" => _armored[..100],
            "cut in the footer" => _armored[..^10],
            "garbled base64 character" => _armored.Replace(lines[2], "!" + lines[2][1..]),
            "one base64 line dropped" => _armored.Replace(lines[2] + "\n", ""),
            "not SSHSIG" => Signatures.WithBlob(_armored, blob => [.. "SSHSIH"u8, .. blob[6..]]),
            "blob cut short" => Signatures.WithBlob(_armored, blob => blob[..^1]),
            "data after the blob" => Signatures.WithBlob(_armored, blob => [.. blob, 0]),
            "signature of 63 bytes" => Signatures.WithBlob(_armored, ShortenSignature),
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        Assert.Equal(new SshSignatureCheck(false, null, "not an SSH signature: " + problem), SshSignature.Verify(armored, SshKeygenKeys.Namespace, _message));
    }

    [Fact]
    public void Windows_line_ends_and_text_after_the_footer_are_accepted_as_by_ssh_keygen()
    {
        var armored = _armored.ReplaceLineEndings("\r\n") + "trailing words\n";
        Assert.Equal(new SshSignatureCheck(true, _signer.PublicKey, null), SshSignature.Verify(armored, SshKeygenKeys.Namespace, _message));
    }

    [Fact]
    public void Later_version_is_refused()
    {
        var armored = Signatures.WithBlob(_armored, blob =>
        {
            BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(6), 2);
            return blob;
        });
        Assert.Equal(
            new SshSignatureCheck(false, null, "unsupported SSH signature version 2 (the recorder reads version 1)"),
            SshSignature.Verify(armored, SshKeygenKeys.Namespace, _message));
    }

    [Fact]
    public async Task Rsa_signature_is_refused_by_key_type()
    {
        var armored = await _keys.SignAsync(_keys.Rsa, _message);
        Assert.Equal(
            new SshSignatureCheck(false, null, "signed with an ssh-rsa key; the recorder verifies Ed25519 signatures only"),
            SshSignature.Verify(armored, SshKeygenKeys.Namespace, _message));
    }

    [Fact]
    public void Unknown_hash_algorithm_is_refused()
    {
        // Correctly signed, so only the algorithm is wrong.
        var signedData = SshSignatureBlob.SignedData(SshKeygenKeys.Namespace, "md5", System.Security.Cryptography.MD5.HashData(_message));
        var blob = new SshSignatureBlob(_signer.PublicKey, SshKeygenKeys.Namespace, "md5", _signer.SignRaw(signedData));
        Assert.Equal(
            new SshSignatureCheck(false, _signer.PublicKey, "unsupported hash algorithm 'md5' (sha512 or sha256)"),
            SshSignature.Verify(Signatures.Armor(blob.Encode()), SshKeygenKeys.Namespace, _message));
    }

    private static byte[] ShortenSignature(byte[] blob)
    {
        // The blob ends with string(string "ssh-ed25519", string signature[64]): drop the last byte, fix both lengths.
        var shorter = blob[..^1];
        var outer = shorter.Length - (4 + 4 + 11 + 4 + 63);
        BinaryPrimitives.WriteUInt32BigEndian(shorter.AsSpan(outer), 4 + 11 + 4 + 63);
        BinaryPrimitives.WriteUInt32BigEndian(shorter.AsSpan(outer + 4 + 4 + 11), 63);
        return shorter;
    }

    private static byte[] Replace(byte[] blob, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to)
    {
        var at = blob.AsSpan().IndexOf(from);
        Assert.True(at >= 0);
        to.CopyTo(blob.AsSpan(at));
        return blob;
    }
}
