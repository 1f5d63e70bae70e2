using System.Text;
using Recorder.Crypto;
using Recorder.Crypto.Recipients;

namespace Recorder.Tests.Crypto;

/// <summary>
/// The recipient-hint stanza is readable without a key and covered by the MAC;
/// re-wrapping gives a new header over the byte-identical payload.
/// </summary>
public sealed class HintAndRewrapTests
{
    [Fact]
    public async Task Hint_stanza_lists_every_recipient_and_inspection_needs_no_key()
    {
        using var a = X25519Identity.Generate();
        using var b = X25519Identity.Generate();
        var ciphertext = await AgeTestData.EncryptAsync(AgeTestData.Random(100), [a.Recipient, b.Recipient]);

        var info = await AgeInspector.InspectAsync(new MemoryStream(ciphertext));
        Assert.Equal(["X25519", "X25519", "recorder-recipients"], info.StanzaTypes);
        Assert.Equal([a.Recipient.Fingerprint, b.Recipient.Fingerprint], info.RecipientFingerprints);
        Assert.Equal(100, info.PlaintextLengthBytes);
        Assert.Equal(1, info.ChunkCount);
        Assert.Contains($"\n-> recorder-recipients {a.Recipient.Fingerprint} {b.Recipient.Fingerprint}\n\n---", Encoding.ASCII.GetString(ciphertext));
    }

    [Fact]
    public async Task Removing_the_hint_stanza_breaks_the_header_mac()
    {
        using var a = X25519Identity.Generate();
        var ciphertext = await AgeTestData.EncryptAsync(AgeTestData.Random(10), [a.Recipient]);
        var text = Encoding.Latin1.GetString(ciphertext);
        var start = text.IndexOf("-> recorder-recipients", StringComparison.Ordinal);
        var end = text.IndexOf("\n\n", start, StringComparison.Ordinal) + 2;
        var stripped = Encoding.Latin1.GetBytes(text.Remove(start, end - start));
        var e = await Assert.ThrowsAsync<AgeDecryptionException>(() => AgeTestData.DecryptAsync(stripped, [a]));
        Assert.Equal(AgeFailureKind.HeaderMac, e.Kind);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rewrapped_file_keeps_the_payload_and_opens_for_the_new_recipient(bool keepExisting)
    {
        using var host = X25519Identity.Generate();
        using var archivist = X25519Identity.Generate();
        var plaintext = AgeTestData.Random(3 * AgeTestData.Chunk + 9);
        var original = await AgeTestData.EncryptAsync(plaintext, [host.Recipient]);

        var source = new MemoryStream(original);
        var result = await AgeRewrapper.RewrapHeaderAsync(source, [host], [archivist.Recipient], keepExisting);
        byte[] rewrapped = [.. result.Header.Span, .. original.AsSpan(result.PayloadOffset)];

        Assert.Equal(plaintext, await AgeTestData.DecryptAsync(rewrapped, [archivist]));
        var info = await AgeInspector.InspectAsync(new MemoryStream(rewrapped));
        if (keepExisting)
        {
            Assert.Equal(plaintext, await AgeTestData.DecryptAsync(rewrapped, [host]));
            Assert.Equal([host.Recipient.Fingerprint, archivist.Recipient.Fingerprint], info.RecipientFingerprints);
        }
        else
        {
            await Assert.ThrowsAsync<AgeNoIdentityMatchException>(() => AgeTestData.DecryptAsync(rewrapped, [host]));
            Assert.Equal([archivist.Recipient.Fingerprint], info.RecipientFingerprints);
        }
    }

    [Fact]
    public async Task Rewrapping_needs_an_identity_that_unwraps()
    {
        using var host = X25519Identity.Generate();
        using var stranger = X25519Identity.Generate();
        var original = await AgeTestData.EncryptAsync(AgeTestData.Random(10), [host.Recipient]);
        await Assert.ThrowsAsync<AgeNoIdentityMatchException>(() =>
            AgeRewrapper.RewrapHeaderAsync(new MemoryStream(original), [stranger], [stranger.Recipient]));
    }

    [Fact]
    public async Task Rewrapping_a_file_without_hints_adds_no_partial_hint_stanza()
    {
        using var host = X25519Identity.Generate();
        using var archivist = X25519Identity.Generate();
        var original = await AgeTestData.EncryptAsync(AgeTestData.Random(10), [host.Recipient], options: new AgeEncryptOptions { IncludeRecipientHints = false });
        var result = await AgeRewrapper.RewrapHeaderAsync(new MemoryStream(original), [host], [archivist.Recipient]);
        var info = await AgeInspector.InspectAsync(new MemoryStream([.. result.Header.Span, .. original.AsSpan(result.PayloadOffset)]));
        Assert.Equal(["X25519", "X25519"], info.StanzaTypes);
        Assert.Empty(info.RecipientFingerprints);
    }
}
