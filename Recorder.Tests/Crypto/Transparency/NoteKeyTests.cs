using Recorder.Crypto.Transparency;

namespace Recorder.Tests.Crypto.Transparency;

/// <summary>
/// Verifier and signer key strings as golang.org/x/mod/sumdb/note writes them:
/// the known keys parse to the right name, key ID and public key, and every
/// mangling of them (each substring, each character changed) is refused.
/// </summary>
public sealed class NoteKeyTests
{
    private const string PeterSigner = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string PeterVerifier = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

    [Fact]
    public void The_go_verifier_key_parses_and_formats_back()
    {
        var verifier = NoteVerifier.Parse(PeterVerifier);
        Assert.Equal("PeterNeumann", verifier.Name);
        Assert.Equal(0xc74f20a3u, verifier.KeyId);
        Assert.Equal(Convert.FromBase64String("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")[1..], verifier.PublicKey.ToArray());
        Assert.Equal(PeterVerifier, verifier.VerifierKey);
        Assert.Equal(PeterVerifier, new NoteVerifier("PeterNeumann", verifier.PublicKey).ToString());
    }

    [Fact]
    public void Every_mangled_verifier_key_is_refused()
    {
        foreach (var mangled in Manglings(PeterVerifier))
            Assert.Throws<FormatException>(() => NoteVerifier.Parse(mangled));
    }

    [Fact]
    public void Every_mangled_signer_key_is_refused_without_repeating_it()
    {
        foreach (var mangled in Manglings(PeterSigner))
        {
            var ex = Assert.Throws<FormatException>(() => NoteSigner.Parse(mangled));
            Assert.DoesNotContain("AYEKFALVFGyNhPJEMzD1QIDr", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    // From the Go tests: a key of the wrong length and an unknown algorithm, each with its key ID adjusted.
    // The first is also non-canonical base64 (stray bits in "EY=="), which Go lets by and this refuses.
    [InlineData("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==", "malformed verifier key: the key is not standard base64")]
    [InlineData("PeterNeumann+00000000+AQABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4=", "malformed verifier key: an Ed25519 key is 32 bytes, not 31")]
    [InlineData("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "unsupported verifier key: signature type 0x65 (only Ed25519, 0x01, is supported)")]
    [InlineData("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "malformed verifier key: key ID c74f20a4 does not match the name and key (they give c74f20a3)")]
    [InlineData("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "malformed verifier key: the key ID must be 8 lowercase hex digits")]
    [InlineData("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "malformed verifier key: the key name must be non-empty, without spaces, plus signs or control characters")]
    [InlineData("PeterNeumann+c74f20a3", "malformed verifier key: expected <name>+<key ID>+<key>")]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", "malformed verifier key: the key is not standard base64")]
    public void Bad_verifier_keys_are_refused_saying_why(string key, string expected) =>
        Assert.Equal(expected, Assert.Throws<FormatException>(() => NoteVerifier.Parse(key)).Message);

    [Fact]
    public void A_generated_signer_exports_a_key_that_parses_to_the_same_signer()
    {
        using var signer = NoteSigner.Generate("example.com/log");
        using var again = NoteSigner.Parse(signer.ExportSignerKey());
        Assert.Equal(signer.Verifier.VerifierKey, again.Verifier.VerifierKey);
        Assert.Equal(NoteVerifier.Parse(signer.Verifier.VerifierKey).KeyId, signer.KeyId);
        Assert.DoesNotContain("PRIVATE", signer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_disposed_seed_signer_no_longer_signs()
    {
        var signer = NoteSigner.Generate("example.com/log");
        signer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => signer.Sign("x"u8));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a+b")]
    [InlineData("a b")]
    [InlineData("a\u00a0b")]
    [InlineData("a\nb")]
    public void Key_names_with_spaces_plus_signs_or_control_characters_are_refused(string name) =>
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new NoteVerifier(name, new byte[32])).ParamName);

    // Each proper substring and each single character incremented, as the Go tests mangle keys.
    private static IEnumerable<string> Manglings(string key)
    {
        for (var i = 0; i <= key.Length; i++)
        {
            for (var j = i + 1; j <= key.Length; j++)
            {
                if (i != 0 || j != key.Length) yield return key[i..j];
            }
        }
        for (var i = 0; i < key.Length; i++)
        {
            var chars = key.ToCharArray();
            chars[i]++;
            yield return new string(chars);
        }
    }
}
