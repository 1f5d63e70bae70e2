using Recorder.Crypto;
using Recorder.Crypto.Recipients;
using Amazon.KeyManagementService;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Crypto;

/// <summary>
/// The KMS stanza through AWSSDK.KeyManagementService against the loopback
/// KmsTestDouble: the recorder encrypts with kms:Encrypt only and cannot decrypt
/// what it wrote; the archivist's credentials can; the encryption context binds.
/// </summary>
public sealed class KmsRecipientTests : IAsyncLifetime
{
    private static readonly IReadOnlyDictionary<string, string> Context = KmsEncryptionContext.ForSegment("rec-42", 1, "host-7");
    private KmsTestDouble _kms = null!;
    private string _keyArn = "";

    public async Task InitializeAsync()
    {
        _kms = await KmsTestDouble.StartAsync(new HashSet<string>
            { KmsEncryptionContext.RecordingIdKey, KmsEncryptionContext.SegmentKey, KmsEncryptionContext.HostIdKey });
        _keyArn = _kms.CreateKey();
    }

    public async Task DisposeAsync() => await _kms.DisposeAsync();

    private async Task<byte[]> EncryptAsRecorderAsync(byte[] plaintext, IReadOnlyDictionary<string, string>? context = null)
    {
        using var client = _kms.CreateClient(KmsTestDouble.RecorderAccessKeyId);
        var recipient = AgeRecipients.Parse($"kms:{_keyArn}", new KmsRecipientOptions { Client = client });
        return await AgeTestData.EncryptAsync(plaintext, [recipient], options: new AgeEncryptOptions { KmsEncryptionContext = context ?? Context });
    }

    [Fact]
    public async Task Recorder_encrypts_without_decrypt_and_archivist_decrypts()
    {
        var plaintext = AgeTestData.Random(70_000);
        var ciphertext = await EncryptAsRecorderAsync(plaintext);
        Assert.Equal(["Encrypt"], _kms.Calls.Select(c => c.Operation));

        using var archivist = _kms.CreateClient(KmsTestDouble.ArchivistAccessKeyId);
        Assert.Equal(AgeTestData.Sha256(plaintext), AgeTestData.Sha256(await AgeTestData.DecryptAsync(ciphertext, [new KmsIdentity(archivist)])));
        var decrypt = _kms.Calls.Last();
        Assert.Equal(("Decrypt", KmsTestDouble.ArchivistAccessKeyId, "ok"), (decrypt.Operation, decrypt.AccessKeyId, decrypt.Outcome));
        Assert.Equal(Context.OrderBy(p => p.Key), decrypt.Context.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task Recorder_credentials_are_refused_decrypt_and_that_is_not_my_key_with_a_reason()
    {
        var ciphertext = await EncryptAsRecorderAsync(AgeTestData.Random(10));
        using var recorder = _kms.CreateClient(KmsTestDouble.RecorderAccessKeyId);
        var e = await Assert.ThrowsAsync<AgeNoIdentityMatchException>(() => AgeTestData.DecryptAsync(ciphertext, [new KmsIdentity(recorder)]));
        Assert.Equal($"kms key {_keyArn}: AccessDeniedException", Assert.Single(e.Reasons));
        Assert.Equal("AccessDeniedException", _kms.Calls.Last().Outcome);
    }

    [Fact]
    public async Task Encrypt_without_the_recording_context_is_refused_by_the_key_policy()
    {
        var e = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() =>
            EncryptAsRecorderAsync(AgeTestData.Random(10), new Dictionary<string, string> { ["other"] = "x" }));
        Assert.Equal("AccessDeniedException", e.ErrorCode);
    }

    [Fact]
    public async Task Kms_recipient_without_any_context_is_a_usage_error()
    {
        using var client = _kms.CreateClient(KmsTestDouble.RecorderAccessKeyId);
        var recipient = AgeRecipients.Parse($"kms:{_keyArn}", new KmsRecipientOptions { Client = client });
        var e = await Assert.ThrowsAsync<ArgumentException>(() => AgeTestData.EncryptAsync([1], [recipient]));
        Assert.Equal("options", e.ParamName);
        Assert.Empty(_kms.Calls);
    }

    [Fact]
    public async Task Stanza_carries_key_and_context_and_hint_lists_the_key()
    {
        var ciphertext = await EncryptAsRecorderAsync(AgeTestData.Random(10));
        var info = await AgeInspector.InspectAsync(new MemoryStream(ciphertext));
        Assert.Equal(["recorder-aws-kms", "recorder-recipients"], info.StanzaTypes);
        Assert.Equal([_keyArn], info.KmsKeyIds);
        Assert.Equal(["kms:" + _keyArn], info.RecipientFingerprints);
        Assert.Equal("""{"recorder:host-id":"host-7","recorder:recording-id":"rec-42","recorder:segment":"1"}""", Assert.Single(info.KmsEncryptionContexts));
    }

    [Fact]
    public async Task Changed_context_in_the_stanza_is_refused_by_kms()
    {
        var ciphertext = await EncryptAsRecorderAsync(AgeTestData.Random(10));
        var text = System.Text.Encoding.Latin1.GetString(ciphertext);
        var original = KmsStanza.EncodeContext(Context);
        var forged = KmsStanza.EncodeContext(KmsEncryptionContext.ForSegment("rec-42", 2, "host-7"));
        var damaged = System.Text.Encoding.Latin1.GetBytes(text.Replace(original, forged, StringComparison.Ordinal));
        using var archivist = _kms.CreateClient(KmsTestDouble.ArchivistAccessKeyId);
        var e = await Assert.ThrowsAsync<AgeNoIdentityMatchException>(() => AgeTestData.DecryptAsync(damaged, [new KmsIdentity(archivist)]));
        Assert.Equal($"kms key {_keyArn}: InvalidCiphertextException", Assert.Single(e.Reasons));
    }
}
