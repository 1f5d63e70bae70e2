using Recorder.Crypto;
using Recorder.Crypto.Recipients;
using Recorder.Pipeline;
using Recorder.Pipeline.Signing;
using Recorder.Storage;

namespace Recorder.Pipeline.Output;

/// <summary>
/// The real recording output: each segment an age v1 file for the given
/// recipients (the host's key, and only what the host configured besides),
/// multipart-uploaded to S3; the manifest next to them in plaintext, signed
/// (<c>manifest.json.sig</c>) when a <paramref name="signer"/> is given.
/// </summary>
public sealed class EncryptedRecordingOutput(
    IObjectStore store, RecordingLocation location, IReadOnlyList<IRecipient> recipients, MultipartUploadOptions uploadOptions,
    IUploadStateStore? uploadState = null, long? leaseEpoch = null, ManifestSigner? signer = null,
    (Amazon.S3.ObjectLockMode Mode, int Days)? retention = null) : IRecordingOutput
{
    private bool _signingKeyPublished;

    public const string SegmentFormat = "age-v1+fmp4";

    public RecordingLocation Location { get; } = location;
    public IReadOnlyList<string> RecipientFingerprints { get; } = recipients.Select(r => r.Fingerprint).ToArray();
    public string ManifestLocation => Location.Uri(Location.ManifestKey);

    private ObjectRetention? RetentionFromNow() =>
        retention is { } r ? new ObjectRetention(r.Mode, DateTimeOffset.UtcNow.AddDays(r.Days)) : null;

    /// <summary>The fencing counter on every object this run writes ("none" outside the service).</summary>
    private string LeaseEpochText => leaseEpoch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";

    public async Task<ISegmentWriter> StartSegmentAsync(int number, CancellationToken cancellationToken)
    {
        var key = Location.SegmentKey(number);
        var destination = new ObjectDestination(Location.Bucket, key)
        {
            Metadata = new Dictionary<string, string>
            {
                ["recording-id"] = Location.RecordingId,
                ["segment"] = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["format"] = SegmentFormat,
                ["recipients"] = string.Join(' ', RecipientFingerprints),
                ["started-at"] = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["lease-epoch"] = LeaseEpochText,
            },
            Tags = new Dictionary<string, string>
            {
                ["recorder-recording"] = Location.RecordingId,
                ["recorder-segment"] = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["recorder-format"] = SegmentFormat,
            },
            Retention = RetentionFromNow(),
        };
        var sink = await MultipartUploadSink.StartAsync(store, destination, uploadOptions, uploadState, cancellationToken).ConfigureAwait(false);
        var ciphertext = new HashingWriteStream(sink.Stream);
        try
        {
            var age = await AgeEncryptor.CreateAsync(ciphertext, recipients, new AgeEncryptOptions
            {
                LeaveOpen = true,
                // A recording makes tens of KB/s: each 64 KiB chunk goes on to the sink (and its tail pieces) as soon
                // as it is sealed, where the default 2 MiB batch held about a minute and a half of media and 6 MiB
                // of buffers. Parallel sealing buys nothing at this rate.
                ChunksPerBatch = 1,
                KmsEncryptionContext = KmsEncryptionContext.ForSegment(Location.RecordingId, number, Location.HostId),
            }, cancellationToken).ConfigureAwait(false);
            Func<CancellationToken, Task>? lockIt = RetentionFromNow() is null ? null
                : ct => store.SetRetentionAsync(Location.Bucket, key, RetentionFromNow()!, ct);
            return new EncryptedSegmentWriter(Location.Uri(key), sink, ciphertext, age, lockIt);
        }
        catch
        {
            await ciphertext.DisposeAsync().ConfigureAwait(false);
            await sink.AbortAsync(CancellationToken.None).ConfigureAwait(false);
            await sink.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Stores the manifest, then its signature. Between the two writes (milliseconds) the stored pair does not match;
    /// every later version (a checkpoint every few seconds, the final one, a take-over's) is signed again.
    /// </summary>
    public async Task PublishManifestAsync(RecordingManifest manifest, CancellationToken cancellationToken)
    {
        if (signer is not null) manifest = manifest with { SigningKey = signer.PublicKey.Fingerprint };
        var bytes = manifest.ToJsonBytes();
        var metadata = new Dictionary<string, string> { ["recording-id"] = Location.RecordingId, ["state"] = manifest.State, ["lease-epoch"] = LeaseEpochText };
        // Only the finished manifest is locked: the checkpoints every few seconds before it are superseded versions.
        var retention = manifest.State == "recording" ? null : RetentionFromNow();
        await store.PutObjectAsync(new ObjectDestination(Location.Bucket, Location.ManifestKey)
        {
            ContentType = "application/json",
            Metadata = metadata,
            Retention = retention,
        }, bytes, cancellationToken).ConfigureAwait(false);
        if (signer is null) return;
        await store.PutObjectAsync(new ObjectDestination(Location.Bucket, Location.ManifestKey + ManifestSigner.SignatureSuffix)
        {
            ContentType = "text/plain",
            Metadata = metadata,
            Retention = retention,
        }, signer.Sign(bytes), cancellationToken).ConfigureAwait(false);
        if (_signingKeyPublished) return;
        await store.PutObjectAsync(new ObjectDestination(Location.Bucket, SigningKeyDirectory.Key(Location.Prefix, signer.PublicKey))
        {
            ContentType = "text/plain",
        }, System.Text.Encoding.ASCII.GetBytes(signer.PublicKey.ToOpenSsh() + "\n"), cancellationToken).ConfigureAwait(false);
        _signingKeyPublished = true;
    }
}
